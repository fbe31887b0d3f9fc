"""Starts the editor: the QApplication, the theme, an exception hook that reports errors in a dialog
and keeps the app running, and the main window on a file or on the default example.

`NETWRIGHT_EXIT_WHEN_SHOWN=1` makes the app print `shown <seconds>` and quit as soon as the window
is exposed on screen; bench/bench_startup.py times startup with it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

_STARTED = time.perf_counter()


def _load_model_before_qt() -> None:
    """Import the model (networkx included) before PySide6.

    Once PySide6 is loaded it inspects the source of every module imported after it (for its
    `__feature__` switches); networkx is hundreds of modules, so this order saves ~0.3 s of startup.
    """
    import graph.analysis  # noqa: F401


def install_exception_hook(window: object) -> None:
    """Unexpected exceptions (in any slot or event handler) show a dialog; the app keeps running.

    The traceback goes to stderr and into the dialog's details, never into the main message.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from i18n import localize, message_of

    showing = False

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        details = "".join(traceback.format_exception(kind, exc, tb))
        sys.stderr.write(details)
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if showing:  # an error while the dialog is open: stderr only, no pile of dialogs
            return
        showing = True
        try:
            text = localize(message_of(exc))
            message = text.splitlines()[0] if text else kind.__name__
            translate = QCoreApplication.translate
            window.dialogs.error(  # type: ignore[attr-defined]
                window,
                translate("App", "Something went wrong"),
                translate(
                    "App",
                    "Netwright hit an unexpected error and carried on: {message}\n\n"
                    "Your drawing is unchanged and autosaved; saving now is a good idea.",
                ).format(message=message),
                details,
            )
        finally:
            showing = False

    sys.excepthook = hook


def _exit_when_shown(app: Any, window: Any) -> None:
    """Quit once the window is on screen, saying when (the startup benchmark)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Expose and obj.isExposed():  # type: ignore[attr-defined]
                torch = "yes" if "torch" in sys.modules else "no"
                seconds = time.perf_counter() - _STARTED
                print(f"shown {seconds:.4f} torch={torch} title={window.windowTitle()}", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = Watcher(app)
    handle = window.windowHandle()
    handle.installEventFilter(watcher)
    if handle.isExposed():
        watcher.eventFilter(handle, QEvent(QEvent.Type.Expose))


def run_app(
    path: str | None,
    default_example: Path,
    language: str | None = None,
    platform_problem: Callable[[], str | None] | None = None,
) -> int:
    """The editor on `path` (or the default example), in `language` (None: the setting, else the
    system's); 1 with one line on stderr if the system cannot show a window."""
    from gui.platform_check import xcb_problem

    problem = (platform_problem or xcb_problem)()
    if problem is not None:  # Qt would abort with a page that does not name the missing piece
        from i18n import localize

        print(localize(problem), file=sys.stderr)
        return 1
    _load_model_before_qt()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Netwright")
    app.setOrganizationName("Netwright")

    from gui.language import apply_language, chosen_language
    from gui.main_window import MainWindow
    from gui.settings import AppSettings
    from gui.theme import apply_theme

    settings = AppSettings()
    apply_language(app, language or chosen_language(settings.language))
    apply_theme(app, settings.theme)
    window = MainWindow(settings=settings, examples_dir=Path(default_example).parent)
    install_exception_hook(window)
    if path:
        if not window.files.open_path(path, ask=False):
            window.files.open_example(default_example, ask=False)
    else:
        window.files.open_example(default_example, ask=False)
    window.show()
    if os.environ.get("NETWRIGHT_EXIT_WHEN_SHOWN"):
        _exit_when_shown(app, window)
    else:
        QTimer.singleShot(0, window.offer_recovery)
    code = app.exec()
    _release_clipboard(app)
    _exit_now_if_busy(code)
    return code


def _exit_now_if_busy(code: int) -> None:
    """End the process at once when a plain interpreter exit would take seconds.

    Once torch is loaded (a run, a dataset preview, the device list), the interpreter's clean-up
    walks its millions of objects and runs its native destructors: the process lingered 3-7 s
    after Quit. A preview still importing torch holds the shutdown up the same way. Everything
    the user has is saved by now (closeEvent), so skipping that clean-up loses nothing.
    """
    busy = any(t.daemon and t.is_alive() for t in threading.enumerate())
    if busy or "torch" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _release_clipboard(app: QApplication) -> None:
    """Leave what the user copied on the clipboard, held by an object Qt made itself.

    Copy puts a QMimeData made in Python on the clipboard. Qt frees it in an exit handler after
    the interpreter is gone, and the wrapper's clean-up then crashes the process on quit. setText
    makes Qt build its own QMimeData; pasting reads the fragment back from the text.
    """
    clipboard = app.clipboard()
    ours = clipboard.mimeData()
    if ours is None:
        return
    if ours.hasText():
        clipboard.setText(ours.text())
    else:
        clipboard.clear()
