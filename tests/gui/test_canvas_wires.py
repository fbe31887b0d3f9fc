"""Drawing wires with the mouse: ports that fit light up, others refuse and say why."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QRegion
from PySide6.QtTest import QTest

from graph import Edge, Node, Project
from gui.canvas.port_item import PortState
from gui.document import Document
from tests.gui.canvas_support import (
    drag,
    move,
    node_centre,
    port_pos,
    press,
    release,
    show_canvas,
    snapshot,
)


def _loose_project() -> Project:
    """An image input, a Conv2d that fits it, a Conv1d that does not, and an Output."""
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [1, 28, 28]}, (0.0, 0.0)),
            Node("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3}, (-220, 160)),
            Node("conv1d", "Conv1d", {"out_channels": 4, "kernel_size": 3}, (220, 160)),
            Node("out", "Output", {}, (0, 340)),
        ]
    )


def test_dragging_from_an_output_to_an_input_draws_a_wire(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    before = snapshot(document)
    drag(view, port_pos(view, "x", True), port_pos(view, "conv", False))
    assert document.project.edges == [Edge("x", "conv")]
    view.canvas_scene.flush()
    assert view.canvas_scene.wires[Edge("x", "conv")].label == "[1, 28, 28]"
    document.undo_stack.undo()
    assert snapshot(document) == before
    assert Edge("x", "conv") not in view.canvas_scene.wires
    document.undo_stack.redo()
    assert Edge("x", "conv") in view.canvas_scene.wires


def test_while_dragging_fitting_ports_light_up_and_others_refuse(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    nodes = view.canvas_scene.nodes
    press(view, port_pos(view, "x", True))
    move(view, QPointF(40, 100))
    assert nodes["conv"].inputs[0].state == PortState.FITS
    assert nodes["out"].inputs[0].state == PortState.FITS
    assert nodes["conv1d"].inputs[0].state == PortState.REFUSES
    release(view, QPointF(40, 100))
    assert all(p.state == PortState.NORMAL for n in nodes.values() for p in n.inputs)


class _PaintedRegions(QObject):
    """Collects the regions the viewport actually repaints."""

    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.region = self.region.united(event.region())
        return False


def test_when_a_wire_is_given_up_the_lit_ports_are_repainted_plain(qtbot):
    # A port in its normal state draws nothing (its node paints it), and Qt skips repaint
    # requests of an item without contents: the green and red halos stayed on screen until
    # something else repainted the spot. Each spot must be repainted when the wire is given up.
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    nodes = view.canvas_scene.nodes
    press(view, port_pos(view, "x", True))
    move(view, QPointF(0, 60))
    lit = [p for n in nodes.values() for p in n.inputs if p.state != PortState.NORMAL]
    assert {p.node_id for p in lit} == {"conv", "conv1d", "out"}
    qtbot.wait(50)  # let the halos be painted
    painted = _PaintedRegions()
    view.viewport().installEventFilter(painted)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not painted.region.isEmpty())
    qtbot.wait(50)
    view.viewport().removeEventFilter(painted)
    assert all(p.state == PortState.NORMAL for p in lit)
    for port in lit:
        spot = view.mapFromScene(port.sceneBoundingRect()).boundingRect()
        assert painted.region.contains(spot), port.node_id
    release(view, QPointF(0, 60))


def test_a_refused_wire_shows_the_reason_and_draws_nothing(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    target = port_pos(view, "conv1d", False)
    reason = document.project.connection_problem(Edge("x", "conv1d")).message
    press(view, port_pos(view, "x", True))
    move(view, QPointF(100, 100))
    move(view, target)
    hints = [i for i in view.canvas_scene.items() if type(i).__name__ == "HintItem"]
    assert [h.text for h in hints if h.isVisible()] == [reason]
    assert "Conv1d 'conv1d'" in reason
    with qtbot.waitSignal(view.statusMessage) as said:
        release(view, target)
    assert said.args == [reason]
    assert document.project.edges == []
    assert document.undo_stack.count() == 0
    assert not any(type(i).__name__ == "HintItem" for i in view.canvas_scene.items())


def test_dropping_a_wire_on_a_node_body_uses_its_first_port_that_fits(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    drag(view, port_pos(view, "x", True), node_centre(view, "conv"))
    assert document.project.edges == [Edge("x", "conv")]


def test_dragging_from_a_free_input_to_an_output_also_draws_a_wire(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    drag(view, port_pos(view, "conv", False), port_pos(view, "x", True))
    assert document.project.edges == [Edge("x", "conv")]


def test_dropping_a_wire_on_empty_canvas_offers_only_layers_that_fit(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    empty = QPointF(0, 600)
    drag(view, port_pos(view, "x", True), empty)
    popup = view.quick_add
    assert popup is not None and popup.isVisible()
    offered = popup.layer_types()
    assert {"Conv2d", "ReLU", "Flatten", "MaxPool2d", "Output"} <= set(offered)
    assert "Conv1d" not in offered and "Input" not in offered
    before = snapshot(document)
    popup.filter.setText("relu")
    assert popup.layer_types()[0] == "ReLU"
    popup.choose("ReLU")
    (new_id,) = [n.id for n in document.project.nodes if n.type == "ReLU"]
    assert document.project.in_edges(new_id) == [Edge("x", new_id)]
    assert view.selected_node_ids() == [new_id]
    document.undo_stack.undo()  # node and wire went in as one step
    assert snapshot(document) == before


def _chain() -> Project:
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("fc", "Linear", {"out_features": 4}, (0.0, 200.0)),
            Node("fc2", "Linear", {"out_features": 4}, (300.0, 200.0)),
            Node("act", "ReLU", {}, (300.0, 0.0)),
        ],
        edges=[Edge("x", "fc")],
    )


def test_pulling_a_wire_off_an_input_onto_another_input_reconnects_it(qtbot):
    document = Document(_chain())
    view = show_canvas(qtbot, document)
    before = snapshot(document)
    drag(view, port_pos(view, "fc", False), port_pos(view, "fc2", False))
    assert document.project.edges == [Edge("x", "fc2")]
    document.undo_stack.undo()
    assert snapshot(document) == before


def test_pulling_a_wire_off_an_input_into_empty_canvas_deletes_it(qtbot):
    document = Document(_chain())
    view = show_canvas(qtbot, document)
    drag(view, port_pos(view, "fc", False), QPointF(-300, 400))
    assert document.project.edges == []
    assert view.quick_add is None


def test_dragging_an_unwired_node_onto_a_wire_inserts_it(qtbot):
    document = Document(_chain())
    view = show_canvas(qtbot, document)
    before = snapshot(document)
    wire = view.canvas_scene.wires[Edge("x", "fc")]
    on_wire = wire.curve().pointAtPercent(0.5)
    grab = node_centre(view, "act")
    drag(view, grab, on_wire)
    assert document.project.edges == [Edge("x", "act"), Edge("act", "fc")]
    document.undo_stack.undo()  # the insertion
    document.undo_stack.undo()  # the move
    assert snapshot(document) == before


def test_escape_cancels_a_wire_being_drawn(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    press(view, port_pos(view, "x", True))
    move(view, QPointF(40, 100))
    QTest.keyClick(view, Qt.Key.Key_Escape)
    release(view, port_pos(view, "conv", False))
    assert document.project.edges == []
    assert all(
        p.state == PortState.NORMAL for n in view.canvas_scene.nodes.values() for p in n.inputs
    )


def test_drawing_a_wire_near_the_edge_scrolls_the_view(qtbot):
    document = Document(_loose_project())
    view = show_canvas(qtbot, document)
    press(view, port_pos(view, "x", True))
    edge = view.viewport().rect().bottomRight() - QPoint(5, 5)
    before = view.mapToScene(view.viewport().rect().center())
    QTest.mouseMove(view.viewport(), edge)

    def scrolled_right_and_down() -> None:
        after = view.mapToScene(view.viewport().rect().center())
        assert after.x() > before.x() + 20 and after.y() > before.y() + 20

    # The view scrolls on a 30 ms timer; a busy machine delivers fewer ticks, so wait for it.
    qtbot.waitUntil(scrolled_right_and_down, timeout=3000)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    stopped = view.mapToScene(view.viewport().rect().center())
    qtbot.wait(100)
    assert view.mapToScene(view.viewport().rect().center()) == stopped


def test_a_node_dragged_over_a_wire_lights_as_insert_target_until_it_leaves(qtbot):
    document = Document(_chain())
    view = show_canvas(qtbot, document)
    wire = view.canvas_scene.wires[Edge("x", "fc")]
    node = view.canvas_scene.nodes["act"]
    grab = node_centre(view, "act")
    on_wire = wire.curve().pointAtPercent(0.5)
    press(view, grab)
    move(view, grab + QPointF(5, 5))
    move(view, on_wire)
    assert node.insert_target and wire.highlighted
    move(view, on_wire + QPointF(300, 0))  # off the wire again
    assert not node.insert_target and not wire.highlighted
    move(view, on_wire)
    release(view, on_wire)
    assert not node.insert_target
    assert document.project.edges == [Edge("x", "act"), Edge("act", "fc")]
