"""File › Import PyTorch Model… driven like a person: keys into the dialog, a click on Import,
a real worker process, and the drawing opened as an untitled project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit

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
