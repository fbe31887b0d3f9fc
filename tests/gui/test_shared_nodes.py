"""A node that calls another node's layer again (an imported model's second call of one layer,
or the inspector's Shares choice) says on the canvas which node it shares, where a layer shows
its parameter count: its weights are counted there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from graph import Edge, Node, Project, save_project
from tests.gui.window_helpers import isolate, make_window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    return make_window(qtbot)


def test_a_sharing_node_names_the_node_whose_weights_it_uses(window, qtbot, tmp_path):
    project = Project(
        "Tied",
        nodes=[
            Node("x", "Input", {"shape": [8]}),
            Node("fc", "Linear", {"out_features": 8}),
            Node("act", "ReLU"),
            Node("again", "Linear", {"out_features": 8}, shares="fc"),
            Node("out", "Output"),
        ],
        edges=[Edge("x", "fc"), Edge("fc", "act"), Edge("act", "again"), Edge("again", "out")],
    )
    path = tmp_path / "tied.json"
    save_project(project, path)
    window.files.open_example(path, ask=False)
    scene = window.canvas.canvas_scene
    qtbot.waitUntil(lambda: scene.nodes["again"].params_text == "shares fc", timeout=10000)
    assert scene.nodes["fc"].params_text == "72 params"

    # choosing "none" in the inspector's Shares box gives it weights of its own again
    window.canvas.fit_to_view()
    item = scene.nodes["again"]
    where = window.canvas.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=where)
    box = window.inspector.shares_box
    assert box is not None and box.currentData() == "fc"
    assert box.findData("") == 0
    qtbot.keyClick(box, Qt.Key.Key_Home)  # the first choice, as a person picks it by keyboard
    qtbot.waitUntil(lambda: item.params_text == "72 params", timeout=10000)
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: item.params_text == "shares fc", timeout=10000)
