"""Code nodes in the editor: added from the palette, written in the code editor, run in the
worker in the background, and asked about before a file's code runs."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from graph import Edge, Node, Project, save_project
from tests.code import sources
from tests.gui.window_helpers import copy_example, isolate, make_window

DOUBLE = """class Double(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.fc = nn.Linear(size, 2 * size)

    def forward(self, x):
        return self.fc(x)
"""


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    return make_window(qtbot)


def _code_node_shape(window, node_id: str) -> str:
    return window.canvas.canvas_scene.nodes[node_id].display_texts[3]


def test_new_layer_from_code_adds_a_node_whose_edited_code_gives_the_shape_on_the_canvas(
    window, qtbot, tmp_path
):
    window.files.open_path(copy_example(tmp_path, "mlp.json"))
    project = window.document.project
    before = {n.id for n in project.nodes}
    window.select_nodes(["hidden"] if project.has_node("hidden") else [project.nodes[1].id])
    tree = window.palette.tree
    item = window.palette.item_for("Code")
    assert item.text(0) == "New layer from code"
    tree.scrollToItem(item)
    point = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)  # as a person does
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    (added,) = {n.id for n in project.nodes} - before
    assert project.node(added).type == "Code"
    window.select_nodes([added])
    editor = window.inspector.rows["source"].editor
    qtbot.mouseClick(editor.button, Qt.MouseButton.LeftButton)
    dialog = editor.dialog
    assert dialog is not None and dialog.isVisible()

    dialog.text.selectAll()
    qtbot.keyClick(dialog.text, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.text, "class Oops(nn.Module)")  # real typing: a syntax error
    qtbot.waitUntil(lambda: dialog.text.error_line == 1, timeout=3000)
    assert "line 1" in dialog.problem.text()

    dialog.text.setPlainText(DOUBLE)
    args = window.inspector.rows["args"].editor
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert project.node(added).params["source"] == DOUBLE
    args.line.setFocus()
    args.line.setText("size=" + str(_incoming_width(window, added)))
    qtbot.keyClick(args.line, Qt.Key.Key_Return)
    width = _incoming_width(window, added)
    qtbot.waitUntil(lambda: _code_node_shape(window, added) == f"→ [{2 * width}]", timeout=30000)
    assert window.document.project.validate().nodes[added].params == width * 2 * width + 2 * width


def _incoming_width(window, node_id: str) -> int:
    report = window.document.project.validate().nodes[node_id]
    return report.inputs[0].shape[-1]


def test_an_exception_in_forward_marks_the_users_line_in_the_editor(window, qtbot, tmp_path):
    project = Project(
        "mine",
        nodes=[
            Node("x", "Input", {"shape": [4]}),
            Node("mine", "Code", {"source": sources.FAILS_ON_LINE_4}),
            Node("o", "Output"),
        ],
        edges=[Edge("x", "mine"), Edge("mine", "o")],
    )
    window.document.replace_project(project, None)
    window.code_trust.action.trigger()  # File › Trust Code in This Project
    window.select_nodes(["mine"])
    editor = window.inspector.rows["source"].editor
    qtbot.mouseClick(editor.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.dialog.text.error_line == 4, timeout=30000)
    assert "forward raised RuntimeError" in editor.dialog.problem.text()


def test_a_file_with_code_asks_first_and_runs_nothing_until_trusted(window, qtbot, tmp_path):
    canary = tmp_path / "canary.txt"
    path = tmp_path / "stranger.json"
    project = Project(
        "stranger",
        nodes=[
            Node("x", "Input", {"shape": [3]}),
            Node("bird", "Code", {"source": sources.canary(str(canary))}),
            Node("o", "Output"),
        ],
        edges=[Edge("x", "bird"), Edge("bird", "o")],
    )
    save_project(project, path)
    window.files.open_path(path)
    assert window.dialogs.asked[-1] == "trust:stranger.json:1"
    report = window.document.project.validate()
    assert [p.code for p in report.errors] == ["untrusted_code"]
    qtbot.wait(300)
    assert not canary.exists()
    assert window.code_trust.action.isEnabled()

    window.code_trust.action.trigger()  # File › Trust Code in This Project
    qtbot.waitUntil(lambda: window.document.project.validate().valid, timeout=30000)
    assert canary.exists()
    assert _code_node_shape(window, "bird") == "→ [3]"
    assert not window.code_trust.action.isEnabled()
    window.files.open_path(path, ask=False)  # remembered for this file: no second question
    assert window.dialogs.asked.count("trust:stranger.json:1") == 1
    qtbot.waitUntil(lambda: window.document.project.validate().valid, timeout=30000)
    assert json.loads(path.read_text())["nodes"][1]["type"] == "Code"
