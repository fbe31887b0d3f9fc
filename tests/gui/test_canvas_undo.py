"""Every canvas gesture is one undo step, and undo/redo walk back and forth through exact states."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from graph import Edge
from tests.gui.canvas_support import drag, node_centre, port_pos, show_canvas, snapshot
from tests.gui.test_canvas_editing import _drop_layer


def test_undo_and_redo_of_every_gesture_restore_the_exact_state(qtbot, lenet_document):
    document = lenet_document
    view = show_canvas(qtbot, document, zoom=60)
    states = [snapshot(document)]

    def step() -> None:
        view.canvas_scene.flush()
        assert document.undo_stack.count() == len(states)  # exactly one new step
        states.append(snapshot(document))

    start = node_centre(view, "conv1")
    drag(view, start, start + QPointF(-260, 40))  # move
    step()
    _drop_layer(view, "ReLU", QPointF(-600, 300))  # palette drop
    step()
    (relu,) = view.selected_node_ids()  # a dropped layer comes in selected
    drag(view, port_pos(view, "conv1", True), port_pos(view, relu, False))  # wire
    step()
    view.select_nodes(["relu2"])
    view.delete_selection()  # delete with wires
    step()
    view.select_nodes(["conv2", "pool2"])
    view.duplicate_selection()
    step()
    view.select_nodes(["fc1"])
    view.copy_selection()
    view.paste()
    step()
    document.set_label("fc1", "classifier")
    step()
    view.auto_layout()
    step()
    on_wire = view.canvas_scene.wires[Edge("flat", "fc1")].curve().pointAtPercent(0.5)
    _drop_layer(view, "ReLU", on_wire)  # insert on a wire
    step()

    for expected in reversed(states[:-1]):
        document.undo_stack.undo()
        view.canvas_scene.flush()
        assert snapshot(document) == expected
        _assert_scene_matches(view, document)
    for expected in states[1:]:
        document.undo_stack.redo()
        view.canvas_scene.flush()
        assert snapshot(document) == expected
        _assert_scene_matches(view, document)


def _assert_scene_matches(view, document) -> None:
    scene = view.canvas_scene
    project = document.project
    assert set(scene.nodes) == {n.id for n in project.nodes}
    assert set(scene.wires) == set(project.edges)
    for node in project.nodes:
        item = scene.nodes[node.id]
        if node.pos is not None:
            assert (item.pos().x(), item.pos().y()) == node.pos
        assert item.display_texts[1] == node.name
        assert (
            item.report is project.validate().nodes[node.id]
            or item.report == (project.validate().nodes[node.id])
        )
