"""Freezing layers on the canvas: a click selects, the menu's Freeze marks them (❄ on the node,
"frozen" in the file), and undo thaws them again."""

from __future__ import annotations

from graph import Edge, Node, Project, project_to_json
from gui.document import Document
from tests.gui.canvas_support import NO_MODS, node_centre, press, release, show_canvas


def _project() -> Project:
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("fc", "Linear", {"out_features": 4}, (0.0, 200.0)),
        ],
        edges=[Edge("x", "fc")],
    )


def test_freezing_a_selected_layer_marks_it_and_undo_thaws_it(qtbot):
    document = Document(_project())
    view = show_canvas(qtbot, document)
    centre = node_centre(view, "fc")
    press(view, centre)
    release(view, centre, mods=NO_MODS)
    assert view.selected_node_ids() == ["fc"]
    view.toggle_freeze_selection()
    assert document.project.node("fc").frozen
    assert view.canvas_scene.nodes["fc"].display_texts[0] == "Linear ❄"
    assert '"frozen": true' in project_to_json(document.project)
    document.undo_stack.undo()
    assert not document.project.node("fc").frozen
    assert view.canvas_scene.nodes["fc"].display_texts[0] == "Linear"
