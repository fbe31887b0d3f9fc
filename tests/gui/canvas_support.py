"""Helpers for canvas tests: a shown CanvasView, real mouse gestures and model snapshots."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from graph import project_to_dict
from gui.canvas import CanvasView
from gui.document import Document

LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier


def show_canvas(qtbot, document: Document, zoom: int = 100) -> CanvasView:
    view = CanvasView(document)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    qtbot.waitExposed(view)
    view.set_zoom(zoom)
    view.canvas_scene.flush()
    return view


def snapshot(document: Document) -> str:
    """The whole project as canonical JSON: equal snapshots mean equal state, order included."""
    return json.dumps(project_to_dict(document.project), sort_keys=True)


def to_view(view: CanvasView, scene_pos: QPointF) -> QPoint:
    return view.mapFromScene(scene_pos)


def port_pos(view: CanvasView, node_id: str, is_output: bool, index: int = 0) -> QPointF:
    item = view.canvas_scene.nodes[node_id]
    return (item.outputs if is_output else item.inputs)[index].scenePos()


def node_centre(view: CanvasView, node_id: str) -> QPointF:
    item = view.canvas_scene.nodes[node_id]
    return item.mapToScene(item.body_rect().center())


def press(view: CanvasView, scene_pos: QPointF, button=LEFT, mods=NO_MODS) -> None:
    QTest.mousePress(view.viewport(), button, mods, to_view(view, scene_pos))


def move(view: CanvasView, scene_pos: QPointF, button=LEFT) -> None:
    QTest.mouseMove(view.viewport(), to_view(view, scene_pos))


def release(view: CanvasView, scene_pos: QPointF, button=LEFT, mods=NO_MODS) -> None:
    QTest.mouseRelease(view.viewport(), button, mods, to_view(view, scene_pos))


def drag(
    view: CanvasView, start: QPointF, end: QPointF, steps: int = 6, button=LEFT, mods=NO_MODS
) -> None:
    """Press at `start`, move there in steps (as a hand would), release at `end`."""
    start_view, end_view = to_view(view, start), to_view(view, end)
    QTest.mousePress(view.viewport(), button, mods, start_view)
    for i in range(1, steps + 1):
        t = i / steps
        p = QPoint(
            round(start_view.x() + (end_view.x() - start_view.x()) * t),
            round(start_view.y() + (end_view.y() - start_view.y()) * t),
        )
        QTest.mouseMove(view.viewport(), p)
    QTest.mouseRelease(view.viewport(), button, mods, end_view)
