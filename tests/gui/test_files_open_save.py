"""Open, save, recent files and the guards around them, through the window's real actions."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from graph import load_project, project_to_dict
from gui.dialogs import Choice, Dialogs
from gui.settings import AppSettings
from tests.gui.window_helpers import LENET, ScriptedDialogs, copy_example, isolate, make_window


def test_open_edit_save_round_trip_keeps_the_edit_and_clears_the_unsaved_mark(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    path = copy_example(tmp_path)
    window = make_window(qtbot)
    assert window.files.open_path(path)
    assert window.windowTitle() == "Netwright — LeNet"

    window.document.set_param("conv1", "out_channels", 8)
    assert window.windowTitle() == "Netwright — LeNet *"
    window.act.save.trigger()

    assert window.windowTitle() == "Netwright — LeNet"
    reloaded = load_project(path)
    assert reloaded.node("conv1").params["out_channels"] == 8
    original = project_to_dict(load_project(LENET))
    assert project_to_dict(reloaded)["edges"] == original["edges"]


def test_save_as_writes_the_chosen_file_and_lists_it_in_recent_files(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.files.open_example(window.files.examples()[0])
    assert window.document.path is None  # examples open as untitled copies
    dialogs.save_answer = tmp_path / "mine"

    window.act.save.trigger()  # no path yet: Save asks where

    saved = tmp_path / "mine.json"
    assert saved.exists() and window.document.path == saved.resolve()
    assert AppSettings().recent_files()[0] == saved.resolve()
    window.act.recent_menu.aboutToShow.emit()
    assert saved.name in [a.text() for a in window.act.recent_menu.actions()]


def test_a_malformed_file_shows_the_reason_and_leaves_the_open_project_untouched(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot, Dialogs())  # the real message box
    window.files.open_path(copy_example(tmp_path))
    before = project_to_dict(window.document.project)
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "netwright", "version": 1, "nodes": [', encoding="utf-8")
    seen: list[str] = []

    def close_the_box() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, close_the_box)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(20, close_the_box)
    assert not window.files.open_path(bad)

    assert len(seen) == 1
    assert "broken.json" in seen[0] and "not valid JSON" in seen[0]
    assert project_to_dict(window.document.project) == before
    assert window.document.path == (tmp_path / "lenet.json").resolve()


def test_hostile_files_are_refused_with_a_one_line_reason(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.files.open_path(copy_example(tmp_path))
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    wrong = tmp_path / "code.json"
    wrong.write_text(json.dumps({"format": "netwright", "version": 1, "nodes": "__import__"}))

    for path in (deep, binary, wrong, tmp_path / "missing.json"):
        assert not window.files.open_path(path)

    assert len(dialogs.errors) == 4
    for title, text in dialogs.errors:
        assert title == "Cannot open project" and "\n" not in text and "Traceback" not in text
    assert window.document.project.name == "LeNet" and len(window.document.project.nodes) == 10


def test_unsaved_changes_prompt_guards_opening_another_file(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.files.open_path(copy_example(tmp_path))
    window.document.set_label("conv1", "first")
    other = copy_example(tmp_path, "digits_cnn.json")

    dialogs.unsaved_answer = Choice.CANCEL
    assert not window.files.open_path(other)
    assert window.document.project.node("conv1").label == "first"

    dialogs.unsaved_answer = Choice.SAVE
    assert window.files.open_path(other)
    assert load_project(tmp_path / "lenet.json").node("conv1").label == "first"
    assert dialogs.asked == ["unsaved:LeNet", "unsaved:LeNet"]


def test_closing_with_unsaved_changes_can_be_cancelled(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.files.open_path(copy_example(tmp_path))
    window.document.set_label("conv1", "kept")
    dialogs.unsaved_answer = Choice.CANCEL

    assert not window.close()
    assert window.isVisible()

    dialogs.unsaved_answer = Choice.DISCARD
    assert window.close()


def test_new_starts_an_empty_untitled_project(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.act.new.trigger()
    assert window.document.project.nodes == []
    assert window.windowTitle() == "Netwright — Untitled"
    assert window.document.path is None


def test_save_as_names_a_new_drawing_after_its_file_and_the_title_follows(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.act.new.trigger()
    window.add_layer("Linear")
    dialogs.save_answer = tmp_path / "my_net.json"
    window.act.save_as.trigger()
    assert window.windowTitle() == "Netwright — my_net"
    assert window.document.project.name == "my_net"
    assert not window.document.is_modified()
    assert load_project(tmp_path / "my_net.json").name == "my_net"
