"""The code tab and export: generated source that follows the drawing, highlighted per layer."""

from __future__ import annotations

import ast

from PySide6.QtCore import Qt

from codegen import generate_model
from graph import UNSET
from tests.gui.window_helpers import ScriptedDialogs, copy_example, isolate, make_window


def _valid_lenet_window(qtbot, tmp_path, monkeypatch, dialogs=None):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot, dialogs)
    window.files.open_path(copy_example(tmp_path))
    window.document.set_param("fc1", "in_features", UNSET)  # inferred: 400
    return window


def test_an_invalid_drawing_shows_why_there_is_no_code(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    text = window.code.source()
    assert text.startswith("# No code yet: the drawing has 1 error(s).")
    assert "expects 576 input features" in text
    ast.parse(text)  # only comments


def test_the_code_follows_the_drawing(qtbot, tmp_path, monkeypatch):
    window = _valid_lenet_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: "class " in window.code.source(), timeout=3000)
    assert window.code.source() == generate_model(window.document.project).source

    window.document.set_param("conv1", "out_channels", 10)
    qtbot.waitUntil(lambda: "Conv2d(1, 10" in window.code.source(), timeout=3000)
    ast.parse(window.code.source())


def test_selecting_a_node_highlights_its_lines(qtbot, tmp_path, monkeypatch):
    window = _valid_lenet_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: "class " in window.code.source(), timeout=3000)
    window.select_nodes(["conv2"])

    lines = window.code.highlighted_lines()
    assert lines and all(window.code.line_map[n] == "conv2" for n in lines)
    assert len(window.code.editor.extraSelections()) == len(lines)
    source_lines = window.code.source().splitlines()
    assert any("conv2" in source_lines[n - 1] for n in lines)


def test_export_code_writes_the_module(qtbot, tmp_path, monkeypatch):
    dialogs = ScriptedDialogs()
    window = _valid_lenet_window(qtbot, tmp_path, monkeypatch, dialogs)
    dialogs.save_answer = tmp_path / "lenet_model.py"
    window.act.export_code.trigger()
    written = (tmp_path / "lenet_model.py").read_text()
    assert written == generate_model(window.document.project).source


def test_export_of_an_invalid_drawing_explains_instead(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    window.files.open_path(copy_example(tmp_path))
    dialogs.save_answer = tmp_path / "never.py"
    window.act.export_code.trigger()
    ((title, text),) = dialogs.errors
    assert title == "Cannot export code"
    assert "1 error(s)" in text and not (tmp_path / "never.py").exists()


def test_clicking_the_code_tab_shows_code_for_edits_made_while_it_was_hidden(
    qtbot, tmp_path, monkeypatch
):
    window = _valid_lenet_window(qtbot, tmp_path, monkeypatch)
    window.bottom_tabs.setCurrentWidget(window.problems)
    window.document.set_param("conv2", "out_channels", 20)
    tabs = window.bottom_tabs.tabBar()

    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())

    assert window.bottom_tabs.currentWidget() is window.code
    text = window.code.editor.toPlainText()
    assert "Conv2d(6, 20" in text and "Linear(500, 120)" in text


def test_export_training_script_writes_it_next_to_the_model_it_imports(
    qtbot, tmp_path, monkeypatch
):
    dialogs = ScriptedDialogs()
    window = _valid_lenet_window(qtbot, tmp_path, monkeypatch, dialogs)
    out = tmp_path / "out"
    out.mkdir()
    dialogs.save_answer = out / "lenet_train.py"

    window.act.export_train.trigger()

    assert dialogs.errors == []
    script = (out / "lenet_train.py").read_text()
    ast.parse(script)
    (model_file,) = [p for p in out.iterdir() if p.name != "lenet_train.py"]
    assert model_file.read_text() == generate_model(window.document.project).source
    assert f"from {model_file.stem} import" in script
