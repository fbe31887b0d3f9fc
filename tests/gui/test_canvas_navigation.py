"""Zoom, fit, pan, auto-layout, and following the document when its project is replaced."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsItem

from graph import Edge, Node, Project
from gui.canvas import CanvasView
from gui.canvas.navigator import READABLE_ZOOM
from gui.document import Document
from tests.gui.canvas_support import NO_MODS, drag, press, release, show_canvas, snapshot, to_view


def _wheel(view, notches: int) -> None:
    at = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        at,
        QPointF(view.viewport().mapToGlobal(at.toPoint())),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        NO_MODS,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def _centre(view) -> QPointF:
    return view.mapToScene(view.viewport().rect().center())


def test_wheel_zooms_in_and_out_and_reports_the_percentage(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    seen = []
    view.zoomChanged.connect(seen.append)
    _wheel(view, 1)
    assert view.zoom_percent() == 115 and seen == [115]
    _wheel(view, -2)
    assert view.zoom_percent() < 100
    assert round(view.transform().m11() * 100) == view.zoom_percent()


def test_zoom_keys_and_limits(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom_percent() == 115
    QTest.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom_percent() == 100
    QTest.keyClick(view, Qt.Key.Key_Plus)
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom_percent() == 100
    view.set_zoom(5000)
    assert view.zoom_percent() == 400
    view.set_zoom(1)
    assert view.zoom_percent() == 10


def test_f_fits_every_node_in_view(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document, zoom=200)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas_scene.nodes_rect())
    assert view.zoom_percent() <= 100


def test_middle_drag_pans_the_view(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    before = _centre(view)
    start = before + QPointF(0, 0)
    drag(view, start, start + QPointF(120, 80), button=Qt.MouseButton.MiddleButton)
    after = _centre(view)
    assert abs((before - after).x() - 120) <= 2 and abs((before - after).y() - 80) <= 2
    assert lenet_document.undo_stack.count() == 0


def test_space_and_left_drag_pans_instead_of_selecting(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.setFocus()
    before = _centre(view)
    QTest.keyPress(view, Qt.Key.Key_Space)
    drag(view, before, before + QPointF(-100, 0))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert abs((_centre(view) - before).x() - 100) <= 2
    assert view.selected_node_ids() == []


def test_center_on_node_brings_it_to_the_middle(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.center_on_node("fc1")
    item = view.canvas_scene.nodes["fc1"]
    assert (item.sceneBoundingRect().center() - _centre(view)).manhattanLength() < 3


def _diamond() -> Project:
    return Project(
        nodes=[
            Node("out", "Output", {}, (500.0, 500.0)),
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("a", "Linear", {"out_features": 8}, (37.0, 400.0)),
            Node("b", "ReLU", {}, (41.0, 410.0)),
            Node("sum", "Add", {}, (-300.0, 90.0)),
        ],
        edges=[
            Edge("x", "a"),
            Edge("x", "b"),
            Edge("a", "sum", 0, 0),
            Edge("b", "sum", 0, 1),
            Edge("sum", "out"),
        ],
    )


def test_auto_layout_puts_generations_in_rows_without_overlaps_as_one_step(qtbot):
    document = Document(_diamond())
    view = show_canvas(qtbot, document)
    before = snapshot(document)
    view.auto_layout()
    assert document.undo_stack.count() == 1
    pos = {n.id: n.pos for n in document.project.nodes}
    assert pos["x"][1] < pos["a"][1] == pos["b"][1] < pos["sum"][1] < pos["out"][1]
    assert pos["x"][0] == pos["sum"][0] == pos["out"][0]  # the merge sits under its inputs
    rects = [item.sceneBoundingRect() for item in view.canvas_scene.nodes.values()]
    assert not any(r.intersects(s) for i, r in enumerate(rects) for s in rects[i + 1 :])
    document.undo_stack.undo()
    assert snapshot(document) == before


def test_nodes_without_positions_are_laid_out_on_open(qtbot, lenet_document):
    assert all(n.pos is None for n in lenet_document.project.nodes)
    view = show_canvas(qtbot, lenet_document)
    ys = [view.canvas_scene.nodes[nid].pos().y() for nid in lenet_document.project.validate().order]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    assert lenet_document.undo_stack.count() == 0  # showing a drawing does not edit it


def test_replacing_the_project_follows_the_new_one_and_drops_the_old(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    old = lenet_document.project
    lenet_document.replace_project(_diamond())
    assert set(view.canvas_scene.nodes) == {"out", "x", "a", "b", "sum"}
    old.set_label("conv1", "stale")  # the old project no longer reaches the canvas
    assert "conv1" not in view.canvas_scene.nodes
    lenet_document.set_label("a", "hidden")
    assert view.canvas_scene.nodes["a"].display_texts[1] == "hidden"


def test_a_new_view_fits_the_drawing_once_it_is_shown(qtbot, lenet_document):
    view = CanvasView(lenet_document)
    qtbot.addWidget(view)
    view.resize(900, 860)
    view.show()
    qtbot.waitExposed(view)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas_scene.nodes_rect())
    assert READABLE_ZOOM <= view.zoom_percent() <= 100


def _long_chain(length: int) -> Project:
    nodes = [Node("x", "Input", {"shape": [8]})]
    nodes += [Node(f"act{i}", "ReLU") for i in range(length)]
    nodes.append(Node("out", "Output"))
    return Project(nodes=nodes, edges=[Edge(a.id, b.id) for a, b in pairwise(nodes)])


def test_a_large_drawing_zoomed_far_out_is_one_overview_and_clicks_still_select(qtbot):
    document = Document(_long_chain(150))
    view = show_canvas(qtbot, document, zoom=20)
    scene = view.canvas_scene
    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    assert scene.overview.isVisible()
    assert all(item.flags() & no_contents for item in scene.nodes.values())
    assert all(wire.flags() & no_contents for wire in scene.wires.values())
    view.center_on_node("act70")
    image = view.viewport().grab().toImage()
    node = scene.nodes["act70"]
    centre = node.mapToScene(node.body_rect().center())
    colour = QColor(image.pixel(to_view(view, centre) * image.devicePixelRatio()))
    expected = scene.style.category_colour("Activation").toRgb()
    assert max(abs(a - b) for a, b in zip(colour.getRgb(), expected.getRgb(), strict=True)) <= 2
    press(view, centre)
    release(view, centre)
    assert view.selected_node_ids() == ["act70"]
    view.set_zoom(100)
    assert not scene.overview.isVisible()
    assert not any(item.flags() & no_contents for item in scene.nodes.values())


def test_a_small_drawing_zoomed_out_keeps_painting_its_nodes(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document, zoom=20)
    assert not view.canvas_scene.overview.isVisible()
    view.set_zoom(15)  # blocks without text: the overview draws them for any drawing
    assert view.canvas_scene.overview.isVisible()


def test_fitting_a_tall_drawing_stays_readable_and_shows_its_beginning(qtbot):
    document = Document(_long_chain(30))
    view = show_canvas(qtbot, document)
    view.resize(700, 400)
    view.fit_to_view()
    assert view.zoom_percent() == READABLE_ZOOM  # shapes still print at this zoom
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    first = view.canvas_scene.nodes["x"].sceneBoundingRect()
    assert visible.contains(first)


def test_a_fitted_view_fits_again_when_resized_until_the_user_zooms(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.resize(400, 300)
    view.fit_to_view()
    small = view.zoom_percent()
    view.resize(1200, 1100)
    qtbot.waitUntil(lambda: view.zoom_percent() > small)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.canvas_scene.nodes_rect())
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Minus)  # the user's own zoom is kept
    chosen = view.zoom_percent()
    view.resize(500, 400)
    qtbot.wait(20)
    assert view.zoom_percent() == chosen
