"""What the canvas shows: node texts, wire labels, ports, problem badges, colours and themes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QHelpEvent, QPainterPathStroker, QPalette, QPen
from PySide6.QtWidgets import QApplication, QToolTip

from graph import UNSET, Edge, Node, Project
from gui.canvas.style import CanvasStyle
from gui.document import Document
from tests.gui.canvas_support import show_canvas, to_view


def test_node_shows_type_name_summary_output_shape_and_param_count(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    conv1 = view.canvas_scene.nodes["conv1"]
    assert conv1.display_texts == ("Conv2d", "conv1", "6 @ 5×5", "→ [6, 28, 28]", "156 params")


def test_renaming_a_node_shows_its_label(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    lenet_document.set_label("conv1", "features")
    assert view.canvas_scene.nodes["conv1"].display_texts[1] == "features"


def test_wires_are_labelled_with_their_tensor_shape(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    wire = view.canvas_scene.wires[Edge("pool2", "flat")]
    assert wire.label == "[16, 5, 5]"
    assert view.canvas_scene.wires[Edge("flat", "fc1")].label == "[400]"


def test_badge_sits_on_the_node_at_fault_and_says_why_on_hover(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    scene = view.canvas_scene
    fc1 = scene.nodes["fc1"]
    assert fc1.badge.isVisible()
    assert [nid for nid, item in scene.nodes.items() if item.badge.isVisible()] == ["fc1"]
    message = lenet_document.project.validate().errors[0].message
    view.center_on_node("fc1")
    at = to_view(view, fc1.badge.scenePos())
    event = QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.text() == message
    QToolTip.hideText()


def test_badge_goes_when_the_mismatch_is_fixed_and_returns_on_undo(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    fc1 = view.canvas_scene.nodes["fc1"]
    lenet_document.set_param("fc1", "in_features", UNSET)
    view.canvas_scene.flush()
    assert not fc1.badge.isVisible()
    assert fc1.display_texts[3] == "→ [120]"
    assert view.canvas_scene.wires[Edge("flat", "fc1")].problem == ""
    lenet_document.undo_stack.undo()
    view.canvas_scene.flush()
    assert fc1.badge.isVisible()
    assert "576" in view.canvas_scene.wires[Edge("flat", "fc1")].problem


def test_a_param_edit_refreshes_only_nodes_whose_report_changed(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    scene = view.canvas_scene
    before = {nid: item.report for nid, item in scene.nodes.items()}
    lenet_document.set_param("conv2", "out_channels", 8)
    scene.flush()
    changed = {nid for nid, item in scene.nodes.items() if item.report is not before[nid]}
    assert {"conv2", "relu2", "pool2", "flat"} <= changed
    assert not changed & {"x", "conv1", "relu1", "pool1"}
    assert scene.nodes["conv2"].display_texts[2] == "8 @ 5×5"


def test_refreshes_are_coalesced_into_one_per_event_loop_turn(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    refreshes = []
    view.canvas_scene.refreshed.connect(lambda: refreshes.append(1))
    for channels in (8, 10, 12):
        lenet_document.set_param("conv2", "out_channels", channels)
    assert refreshes == []
    qtbot.waitUntil(lambda: refreshes == [1])
    QApplication.processEvents()
    assert refreshes == [1]
    assert view.canvas_scene.nodes["conv2"].display_texts[3] == "→ [12, 10, 10]"


def _merge_project() -> Project:
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0, 0)),
            Node("a", "Linear", {"out_features": 4}, (0, 120)),
            Node("b", "Linear", {"out_features": 4}, (240, 120)),
            Node("sum", "Add", {}, (120, 260)),
        ],
        edges=[Edge("x", "a"), Edge("x", "b")],
    )


def test_merges_show_their_wired_ports_plus_one_free_port(qtbot):
    document = Document(_merge_project())
    view = show_canvas(qtbot, document)
    add = view.canvas_scene.nodes["sum"]
    assert len(add.inputs) == 2  # nothing wired: the two a merge needs
    document.connect(Edge("a", "sum", 0, 0))
    document.connect(Edge("b", "sum", 0, 1))
    assert len(add.inputs) == 3
    assert [p.wired for p in add.inputs] == [True, True, False]
    document.undo_stack.undo()
    assert len(add.inputs) == 2


def test_nodes_are_coloured_by_category(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    style = view.canvas_scene.style
    nodes = view.canvas_scene.nodes
    conv = style.category_colour(nodes["conv1"].category)
    assert conv == style.category_colour(nodes["conv2"].category)
    assert conv != style.category_colour(nodes["relu1"].category)
    assert style.category_colour("Some New Category").isValid()


def test_a_dark_palette_gives_a_dark_canvas_with_light_text(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    light = view.canvas_scene.style
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(40, 40, 44))
    palette.setColor(QPalette.ColorRole.Base, QColor(28, 28, 30))
    palette.setColor(QPalette.ColorRole.Text, QColor(225, 225, 225))
    view.setPalette(palette)
    dark = view.canvas_scene.style
    assert dark.dark and not light.dark
    assert dark.background.lightness() < 80 < dark.text.lightness()
    assert view.canvas_scene.nodes["conv1"].style is dark
    image = view.viewport().grab().toImage()
    corner = QColor(image.pixel(QPoint(3, 3)))
    assert corner.lightness() < 80


def test_dark_style_keeps_category_hues(qapp):
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(20, 20, 20))
    palette.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    dark = CanvasStyle.from_palette(palette)
    light = CanvasStyle.from_palette(QPalette(QColor(240, 240, 240)))
    assert dark.category_colour("Convolution").hue() == light.category_colour("Convolution").hue()
    assert dark.category_colour("Convolution").lightness() < 128


def test_a_skip_connection_detours_around_the_nodes_it_passes(qtbot):
    project = Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("a", "ReLU", {}, (0.0, 140.0)),
            Node("b", "ReLU", {}, (0.0, 280.0)),
            Node("sum", "Add", {}, (0.0, 420.0)),
        ],
        edges=[Edge("x", "a"), Edge("a", "b"), Edge("b", "sum", 0, 0), Edge("x", "sum", 0, 1)],
    )
    view = show_canvas(qtbot, Document(project))
    curve = view.canvas_scene.wires[Edge("x", "sum", 0, 1)].curve()
    line = QPainterPathStroker(QPen(QColor(0, 0, 0), 2.0)).createStroke(curve)
    for node_id in ("a", "b"):
        assert not line.intersects(view.canvas_scene.nodes[node_id].sceneBoundingRect())


def test_a_node_of_unknown_type_is_drawn_with_its_problem(qtbot):
    project = Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("mystery", "Conv2D", {}, (0.0, 140.0)),
        ],
        edges=[Edge("x", "mystery")],
    )
    view = show_canvas(qtbot, Document(project))
    item = view.canvas_scene.nodes["mystery"]
    assert item.display_texts[:2] == ("Conv2D", "mystery")
    assert item.badge.isVisible() and "did you mean 'Conv2d'" in item.badge.toolTip()
    assert len(item.inputs) == 1
    view.viewport().grab()  # paints without error
