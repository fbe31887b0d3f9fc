"""The mouse on the canvas: panning (middle button, or Space + left), dragging nodes, drawing
wires, double-clicks (rename, add, insert), the wheel (zoom) and scrolling at the view's edges
while something is dragged there. Gestures become Document calls through `interactions`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView

from gui.canvas.grid import SnapGrid
from gui.canvas.interactions import DrawWire, MoveNodes
from gui.canvas.navigator import ZOOM_STEP, Navigator
from gui.canvas.offers import LayerOffers
from gui.canvas.port_item import PortItem
from gui.canvas.rename_editor import InlineRenamer
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection
from gui.document import Document

Default = Callable[[QMouseEvent], None]  # the QGraphicsView behaviour (selection, rubber band)
_EDGE_MARGIN, _EDGE_STEP = 24, 14  # px: how near an edge scrolling starts, and how far a tick


class PointerInteractions:
    def __init__(
        self,
        view: QGraphicsView,
        document: Document,
        scene: CanvasScene,
        selection: CanvasSelection,
        navigator: Navigator,
        grid: SnapGrid,
        offers: LayerOffers,
        renamer: InlineRenamer,
        status: Callable[[str], None],
    ) -> None:
        self._view = view
        self._document = document
        self._scene = scene
        self._selection = selection
        self._navigator = navigator
        self._grid = grid
        self._offers = offers
        self._renamer = renamer
        self._status = status
        self.gesture: MoveNodes | DrawWire | None = None
        self._pan_from: QPointF | None = None
        self.space_held = False
        self._last_mouse = QPoint()
        self._edge_scroll = QTimer(view)
        self._edge_scroll.setInterval(30)
        self._edge_scroll.timeout.connect(self._scroll_at_edge)

    def _scene_pos(self, event: QMouseEvent) -> QPointF:
        return self._view.mapToScene(event.position().toPoint())

    def draw_wire(self, port: PortItem) -> DrawWire:
        """Start drawing a wire from `port` (the mouse, or the keyboard's connect)."""
        self.cancel()
        self.gesture = DrawWire(
            self._document,
            self._scene,
            self._navigator.visible_rect,
            self._offers,
            self._selection,
            self._status,
            port,
        )
        return self.gesture

    # --- buttons -----------------------------------------------------------------------------

    def press(self, event: QMouseEvent, default: Default) -> None:
        button = event.button()
        left = Qt.MouseButton.LeftButton
        if button == Qt.MouseButton.MiddleButton or (button == left and self.space_held):
            self._pan_from = event.position()
            self._view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        pos = self._scene_pos(event)
        if button == left:
            port = self._scene.port_at(pos)
            if port is not None and not self._document.read_only:
                self.draw_wire(port)
                event.accept()
                return
        default(event)
        if button == left:
            node = self._scene.node_at(pos)
            if node is not None and node.isSelected():
                items = self._scene.selected_node_items()
                items.sort(key=lambda i: i is not node)
                self.gesture = MoveNodes(self._document, self._scene, self._grid, items, pos)

    def move(self, event: QMouseEvent, default: Default) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self._navigator.scroll_by(-delta.x(), -delta.y())
            event.accept()
            return
        if self.gesture is not None:
            self._last_mouse = event.position().toPoint()
            self.gesture.move(self._view.mapToScene(self._last_mouse))
            if self._edge_step(self._last_mouse) != (0, 0):
                self._edge_scroll.start()
            if isinstance(self.gesture, DrawWire):
                event.accept()
                return
        default(event)

    def release(self, event: QMouseEvent, default: Default) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self._view.viewport().unsetCursor()
            event.accept()
            return
        gesture, self.gesture = self.gesture, None
        self._edge_scroll.stop()
        if gesture is not None and event.button() == Qt.MouseButton.LeftButton:
            gesture.finish(self._scene_pos(event))
            if isinstance(gesture, DrawWire):
                event.accept()
                return
        elif gesture is not None:
            self.gesture = gesture
        default(event)

    def double_click(self, event: QMouseEvent, default: Default) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            default(event)
            return
        pos = self._scene_pos(event)
        node = self._scene.node_at(pos)
        if node is not None and self._document.open_block(node.node_id):
            pass  # an instance opens its block; F2 renames it
        elif node is not None:
            self._selection.select([node.node_id])
            self._renamer.open(node.node_id)
        else:
            wire = self._scene.wire_at(pos)
            if wire is not None and wire.edge is not None:
                self._offers.insert(wire.edge, pos)
            else:
                self._offers.any_layer(pos)
        event.accept()

    def wheel(self, event: QWheelEvent) -> bool:
        steps = event.angleDelta().y() / 120.0
        if not steps:
            return False
        self._navigator.zoom_by(ZOOM_STEP**steps)
        event.accept()
        return True

    # --- state -------------------------------------------------------------------------------

    def set_space_held(self, held: bool) -> None:
        """Space held: a left drag pans (the hand cursor says so)."""
        self.space_held = held
        viewport = self._view.viewport()
        if held:
            viewport.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            viewport.unsetCursor()

    def cancel(self) -> None:
        self._edge_scroll.stop()
        if self.gesture is not None:
            self.gesture.cancel()
            self.gesture = None

    # --- scrolling at the edges --------------------------------------------------------------

    def _edge_step(self, at: QPoint) -> tuple[int, int]:
        """How far to scroll (px) with the mouse at `at`: towards an edge it is near."""
        rect = self._view.viewport().rect()
        m, s = _EDGE_MARGIN, _EDGE_STEP
        dx = -s if at.x() < m else s if at.x() > rect.width() - m else 0
        dy = -s if at.y() < m else s if at.y() > rect.height() - m else 0
        return dx, dy

    def _scroll_at_edge(self) -> None:
        dx, dy = self._edge_step(self._last_mouse)
        if self.gesture is None or (dx, dy) == (0, 0):
            self._edge_scroll.stop()
            return
        self._navigator.scroll_by(dx, dy)
        self.gesture.move(self._view.mapToScene(self._last_mouse))
