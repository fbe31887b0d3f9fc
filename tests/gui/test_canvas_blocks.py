"""Blocks on the canvas: Ctrl+G groups the clicked nodes into a block, Ctrl+Shift+G ungroups an
instance, each one undo step that restores the exact state; an instance draws as one node."""

from __future__ import annotations

from PySide6.QtCore import Qt

from graph import Edge, Node, Project
from tests.gui.canvas_support import node_centre, press, release, snapshot
from tests.gui.window_helpers import make_window
from tests.gui.window_helpers import press as key

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def residual() -> Project:
    nodes = [
        Node("x", "Input", {"shape": [4]}, (0, 0)),
        Node("fc", "Linear", {"out_features": 8}, (0, 160)),
        Node("relu", "ReLU", {}, (260, 320)),
        Node("fc2", "Linear", {"out_features": 8}, (260, 480)),
        Node("add", "Add", {}, (0, 640)),
        Node("out", "Output", {}, (0, 800)),
    ]
    edges = [
        Edge("x", "fc"),
        Edge("fc", "relu"),
        Edge("relu", "fc2"),
        Edge("fc2", "add"),
        Edge("fc", "add", 0, 1),
        Edge("add", "out"),
    ]
    return Project("res", nodes, edges)


def click(view, node_id, mods=Qt.KeyboardModifier.NoModifier) -> None:
    centre = node_centre(view, node_id)
    press(view, centre, mods=mods)
    release(view, centre, mods=mods)


def test_ctrl_g_groups_the_clicked_nodes_and_ctrl_z_restores_the_drawing(qtbot):
    window = make_window(qtbot)
    window.document.replace_project(residual())
    view = window.canvas
    view.set_zoom(50)
    view.canvas_scene.flush()
    before = snapshot(window.document)
    steps = window.document.undo_stack.count()
    click(view, "relu")
    click(view, "fc2", CTRL)
    assert sorted(view.selected_node_ids()) == ["fc2", "relu"]
    view.setFocus()
    key(window, Qt.Key.Key_G, CTRL)
    view.canvas_scene.flush()
    project = window.document.project
    assert project.blocks.names() == ["Block1"]
    (instance,) = view.selected_node_ids()
    assert project.node(instance).type == "Block1"
    assert window.document.undo_stack.count() == steps + 1
    item = view.canvas_scene.nodes[instance]
    kind, _, _, shape, params = item.display_texts
    assert kind == "Block1" and shape == "→ [8]" and params.startswith("72")
    assert project.validate().valid
    grouped = snapshot(window.document)

    key(window, Qt.Key.Key_Z, CTRL)
    view.canvas_scene.flush()
    assert snapshot(window.document) == before
    assert set(view.canvas_scene.nodes) == {"x", "fc", "relu", "fc2", "add", "out"}
    key(window, Qt.Key.Key_Z, CTRL_SHIFT)
    view.canvas_scene.flush()
    assert snapshot(window.document) == grouped


def test_ctrl_shift_g_ungroups_an_instance_in_one_undo_step(qtbot):
    window = make_window(qtbot)
    window.document.replace_project(residual())
    view = window.canvas
    view.set_zoom(50)
    view.canvas_scene.flush()
    click(view, "relu")
    click(view, "fc2", CTRL)
    view.setFocus()
    key(window, Qt.Key.Key_G, CTRL)
    view.canvas_scene.flush()
    grouped = snapshot(window.document)
    (instance,) = view.selected_node_ids()
    click(view, instance)
    key(window, Qt.Key.Key_G, CTRL_SHIFT)
    view.canvas_scene.flush()
    project = window.document.project
    assert len(project.blocks) == 0
    assert sorted(view.selected_node_ids()) == ["fc2", "relu"]
    assert project.validate().valid
    key(window, Qt.Key.Key_Z, CTRL)
    view.canvas_scene.flush()
    assert snapshot(window.document) == grouped


def test_what_cannot_be_grouped_says_why_in_the_status_bar(qtbot):
    window = make_window(qtbot)
    window.document.replace_project(residual())
    view = window.canvas
    view.set_zoom(50)
    view.canvas_scene.flush()
    before = snapshot(window.document)
    click(view, "fc")
    click(view, "fc2", CTRL)  # the path through relu leaves and comes back
    view.setFocus()
    key(window, Qt.Key.Key_G, CTRL)
    assert "would make a loop" in window.statusBar().currentMessage()
    assert snapshot(window.document) == before


def test_a_repeated_instance_shows_its_block_copies_and_params(qtbot, example_document):
    window = make_window(qtbot)
    window.document.replace_project(example_document("resnet18").project)
    view = window.canvas
    view.canvas_scene.flush()
    kind, _, summary, shape, _ = view.canvas_scene.nodes["layer1"].display_texts
    assert kind == "BasicBlock ×2" and summary == "planes=64" and shape == "→ [64, 56, 56]"
    kind, _, summary, _, params = view.canvas_scene.nodes["layer2"].display_texts
    assert kind == "Stage" and summary == "planes=128, stride=2" and params.startswith("525")


def test_the_palette_lists_the_project_blocks_and_double_click_adds_an_instance(
    qtbot, example_document
):
    window = make_window(qtbot)
    window.document.replace_project(example_document("nested_blocks").project)
    tree = window.palette.tree
    blocks = tree.topLevelItem(0)
    assert [blocks.child(i).text(0) for i in range(blocks.childCount())] == ["Block1", "Block2"]
    window.select_nodes(["b2"])
    item = blocks.child(0)
    tree.scrollToItem(item)
    point = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)  # as a person does:
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    project = window.document.project
    added = [n for n in project.nodes if n.type == "Block1"]
    assert len(added) == 1
    assert [e.target for e in project.wires_out("b2")][-1] == added[0].id
    window.document.undo_stack.undo()
    assert not [n for n in project.nodes if n.type == "Block1"]


def test_grouping_adds_the_new_block_to_the_palette_and_undo_takes_it_away(qtbot):
    window = make_window(qtbot)
    window.document.replace_project(residual())
    view = window.canvas
    view.set_zoom(50)
    view.canvas_scene.flush()
    assert window.palette.tree.topLevelItem(0).text(0) != "Blocks"
    click(view, "relu")
    click(view, "fc2", CTRL)
    view.setFocus()
    key(window, Qt.Key.Key_G, CTRL)
    top = window.palette.tree.topLevelItem(0)
    assert top.text(0) == "Blocks" and top.child(0).text(0) == "Block1"
    key(window, Qt.Key.Key_Z, CTRL)
    assert window.palette.tree.topLevelItem(0).text(0) != "Blocks"
