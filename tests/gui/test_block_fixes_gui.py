"""In an opened block, a problem's fixes are offered as at the top level: a light bulb on the
inner node's badge and buttons in the inspector; a click edits the definition, one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt

from graph import project_from_dict
from tests.graph.blocks_helpers import chain, project_data
from tests.gui.canvas_support import snapshot
from tests.gui.test_block_navigation import double_click, window_with

BROKEN_BLOCK = {
    "params": {},
    **chain(
        ("x", "Input"),
        ("fc", "Linear", {"in_features": 5, "out_features": 8}),
        ("out", "Output"),
    ),
}


def broken_inside():
    """x [4] -> b: Block (its fc pinned to 5 input features) -> out."""
    return project_from_dict(
        project_data(
            {"Block": BROKEN_BLOCK},
            ("x", "Input", {"shape": [4]}),
            ("b", "Block", {}),
            ("out", "Output"),
        )
    )


def test_a_fix_inside_an_opened_block_is_a_click_and_one_undo(qtbot):
    window = window_with(qtbot, broken_inside())
    document = window.document
    before = snapshot(document)
    view = window.canvas
    double_click(view, "b")
    qtbot.waitUntil(lambda: document.stack.path() == ["b"])
    view.canvas_scene.flush()
    assert view.canvas_scene.nodes["fc"].badge.fixable  # the light bulb on the inner node
    window.select_nodes(["fc"])
    buttons = window.inspector.fixes.buttons
    assert [b.text() for b in buttons] == [
        "Set in_features of 'fc' to 4 (what arrives)",
        "Unpin in_features of 'fc' (infer it from the input)",
    ]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: document.project.validate().valid)
    assert document.project.blocks.get("Block").body.node("fc").params["in_features"] == 4
    document.undo_stack.undo()
    assert snapshot(document) == before
