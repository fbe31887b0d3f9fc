"""Starts the editor: the QApplication, the theme, an exception hook that reports errors in a dialog
and keeps the app running, and the main window on a file or on the default example.

`NETWRIGHT_EXIT_WHEN_SHOWN=1` makes the app print `shown <seconds>` and quit as soon as the window
is exposed on screen; bench/bench_startup.py times startup with it.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

_STARTED = time.perf_counter()


def install_exception_hook(window: object) -> None:
    """Unexpected exceptions (in any slot or event handler) show a dialog; the app keeps running.

    The traceback goes to stderr and into the dialog's details, never into the main message.
    """
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
            message = str(exc).splitlines()[0] if str(exc) else kind.__name__
            window.dialogs.error(  # type: ignore[attr-defined]
                window,
                "Something went wrong",
                f"Netwright hit an unexpected error and carried on: {message}\n\n"
                "Your drawing is unchanged and autosaved; saving now is a good idea.",
                details,
            )
        finally:
            showing = False

    sys.excepthook = hook


class _ExitWhenShown(QObject):
    """Quits once the window is on screen (startup benchmark)."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and obj.isExposed():  # type: ignore[attr-defined]
            print(f"shown {time.perf_counter() - _STARTED:.4f}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def run_app(path: str | None, default_example: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Netwright")
    app.setOrganizationName("Netwright")
    app.setApplicationDisplayName("Netwright")

    from gui.main_window import MainWindow
    from gui.settings import AppSettings
    from gui.theme import apply_theme

    settings = AppSettings()
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
        watcher = _ExitWhenShown(app)
        handle = window.windowHandle()
        handle.installEventFilter(watcher)
        if handle.isExposed():
            watcher.eventFilter(handle, QEvent(QEvent.Type.Expose))
    else:
        QTimer.singleShot(0, window.offer_recovery)
    return app.exec()
