"""Shared set-up for the window tests: a MainWindow with its own settings and recovery folder,
and dialogs that answer from a script instead of blocking on a modal box."""

from __future__ import annotations

import shutil
from pathlib import Path

from gui.dialogs import Choice, Dialogs
from gui.main_window import MainWindow
from gui.settings import AppSettings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
# LeNet with the classic in_features=576 mistake, named "LeNet": the tests' own copy, so they do
# not change when the shipped examples do.
LENET = DATA / "lenet.json"


class ScriptedDialogs(Dialogs):
    """Answers set by the test; every question asked is recorded."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.unsaved_answer = Choice.DISCARD
        self.open_answer: Path | None = None
        self.save_answer: Path | None = None
        self.restore_answer = True
        self.trust_answer = False
        self.confirm_answer = True
        self.text_answer: str | None = None

    def error(self, parent, title, text, details=""):
        self.errors.append((title, text))

    def confirm(self, parent, title, text):
        self.asked.append(f"confirm:{title}")
        return self.confirm_answer

    def ask_text(self, parent, title, label, text):
        self.asked.append(f"text:{title}")
        return self.text_answer

    def ask_unsaved(self, parent, name):
        self.asked.append(f"unsaved:{name}")
        return self.unsaved_answer

    def ask_restore(self, parent, description):
        self.asked.append(f"restore:{description}")
        return self.restore_answer

    def ask_trust_code(self, parent, name, count):
        self.asked.append(f"trust:{name}:{count}")
        return self.trust_answer

    def open_path(self, parent, folder):
        self.asked.append("open")
        return self.open_answer

    def save_path(self, parent, title, suggested, file_filter):
        self.asked.append(f"save:{title}")
        return self.save_answer


def isolate(monkeypatch, tmp_path: Path) -> Path:
    """Point settings and recovery files into tmp_path; returns the settings file."""
    settings = tmp_path / "settings.ini"
    monkeypatch.setenv("NETWRIGHT_SETTINGS", str(settings))
    monkeypatch.setenv("NETWRIGHT_RECOVERY_DIR", str(tmp_path / "recovery"))
    return settings


def make_window(qtbot, dialogs: Dialogs | None = None, show: bool = True) -> MainWindow:
    window = MainWindow(AppSettings(), dialogs or ScriptedDialogs(), EXAMPLES)
    qtbot.addWidget(window)
    if show:
        window.show()
        qtbot.waitExposed(window)
    return window


def copy_example(tmp_path: Path, name: str = "lenet.json") -> Path:
    """Copy a test project (tests/gui/data) or a shipped example into tmp_path."""
    target = tmp_path / name
    source = DATA / name if (DATA / name).exists() else EXAMPLES / name
    shutil.copy(source, target)
    return target


def undo_steps(window: MainWindow) -> int:
    return window.document.undo_stack.count()


def press(window: MainWindow, key, modifiers=None) -> None:
    """Type a key into the window as the platform delivers it (so shortcuts apply)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    modifiers = modifiers if modifiers is not None else Qt.KeyboardModifier.NoModifier
    # keyPress + keyRelease: QTest.keyClick on a QWindow skips the shortcut map for some keys.
    QTest.keyPress(window.windowHandle(), key, modifiers)
    QTest.keyRelease(window.windowHandle(), key, modifiers)
