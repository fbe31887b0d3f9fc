"""File › Import PyTorch Model… driven like a person: keys into the dialog, a click on Import,
a real worker process, and the drawing opened as an untitled project."""

from __future__ import annotations

import os
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit

from gui import import_dialog
from gui.import_dialog import ImportDialog
from tests.gui.window_helpers import ScriptedDialogs, isolate, make_window

SEEDS = Path(__file__).resolve().parents[1] / "importer" / "seed_models.py"


def open_dialog(qtbot, window) -> ImportDialog:
    window.act.import_model.trigger()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog, "importDialog") is not None)
    return window.findChild(ImportDialog, "importDialog")


def type_into(qtbot, dialog: ImportDialog, name: str, text: str) -> None:
    field = dialog.findChild(QLineEdit, name)
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def click_import(qtbot, dialog: ImportDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_importing_a_model_file_opens_its_drawing_untitled(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    dialog = open_dialog(qtbot, window)
    warning = dialog.findChild(QLabel, "importWarning").text()
    assert "runs this model's Python code" in warning
    type_into(qtbot, dialog, "importSource", f"{SEEDS}:CNN")
    type_into(qtbot, dialog, "importShape", "1,28,28")
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: window.document.project.name == "CNN", timeout=240_000)
    project = window.document.project
    assert window.document.path is None
    assert [n.type for n in project.nodes][:3] == ["Input", "Conv1", "Conv2"]  # its Sequentials
    assert project.blocks.names() == ["Conv1", "Conv2"]
    assert project.validate().valid
    assert dialogs.errors == []


def test_a_failed_import_shows_the_commands_one_line(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    before = window.document.project
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog, "importSource", f"{SEEDS}:NoSuchModel")
    type_into(qtbot, dialog, "importShape", "1,28,28")
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: dialogs.errors != [], timeout=240_000)
    assert dialogs.errors == [("Cannot import model", f"{SEEDS}: defines no 'NoSuchModel'")]
    assert window.document.project is before
    QApplication.processEvents()


def test_a_failed_import_in_chinese_shows_the_workers_chinese_line(
    qtbot, monkeypatch, tmp_path, qapp
):
    from gui.language import apply_language

    isolate(monkeypatch, tmp_path)
    apply_language(qapp, "zh_CN")
    try:
        dialogs = ScriptedDialogs()
        window = make_window(qtbot, dialogs)
        dialog = open_dialog(qtbot, window)
        type_into(qtbot, dialog, "importSource", f"{SEEDS}:NoSuchModel")
        type_into(qtbot, dialog, "importShape", "1,28,28")
        click_import(qtbot, dialog)
        qtbot.waitUntil(lambda: dialogs.errors != [], timeout=240_000)
        (_title, line) = dialogs.errors[0]
        assert line == f"{SEEDS}：没有定义 'NoSuchModel'"
    finally:
        apply_language(qapp, "en")


SLEEPY = """import time

import torch.nn as nn


class Sleepy(nn.Module):
    def __init__(self):
        super().__init__()
        time.sleep(120)  # a model whose construction hangs (waits on a network, say)
        self.fc = nn.Linear(2, 2)
"""


def start_sleepy_import(qtbot, window, tmp_path):
    model = tmp_path / "sleepy.py"
    model.write_text(SLEEPY, encoding="utf-8")
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog, "importSource", f"{model}:Sleepy")
    type_into(qtbot, dialog, "importShape", "2")
    click_import(qtbot, dialog)
    run = dialog.run
    assert run is not None
    qtbot.waitUntil(lambda: run.command.process.processId() > 0, timeout=5_000)
    return dialog, run, run.command.process.processId()


def is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_an_import_past_its_time_limit_is_killed_and_one_line_says_so(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    monkeypatch.setattr(import_dialog, "TIME_LIMIT_MS", 1_500)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    before = window.document.project
    started = time.monotonic()
    dialog, _run, pid = start_sleepy_import(qtbot, window, tmp_path)
    # while it runs the dialog says so, its fields locked, and Cancel stays live
    status = dialog.findChild(QLabel, "importStatus")
    assert status.isVisible() and "Cancel stops it" in status.text()
    assert not dialog.findChild(QLineEdit, "importSource").isEnabled()
    box = dialog.findChild(QDialogButtonBox)
    assert not box.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert box.button(QDialogButtonBox.StandardButton.Cancel).isEnabled()
    qtbot.waitUntil(lambda: dialogs.errors != [], timeout=5_000)
    assert dialogs.errors == [
        (
            "Cannot import model",
            "the import was stopped after 1.5 s: building or tracing the model did not finish "
            "(its code may wait for input or loop forever)",
        )
    ]
    assert time.monotonic() - started < 5
    assert is_gone(pid)  # killed and reaped, not left running beside the window
    assert window.document.project is before


def test_cancel_stops_an_import_under_way(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    before = window.document.project
    dialog, run, pid = start_sleepy_import(qtbot, window, tmp_path)
    box = dialog.findChild(QDialogButtonBox)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert run.ended and is_gone(pid)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    QApplication.processEvents()
    assert dialogs.errors == []  # the person stopped it: no error to tell them
    assert window.document.project is before
    assert window.cursor().shape() != Qt.CursorShape.BusyCursor
