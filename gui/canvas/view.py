"""CanvasView: the node editor widget the main window embeds.

It shows a Document's project (through CanvasScene), turns gestures into Document calls, and
offers the editing actions the window's menus call (copy, paste, rename, auto-layout, zoom ...).
It never mutates the Project itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmapCache,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QMenu, QWidget

from graph import Project, get_spec
from gui.canvas.clipboard import CanvasClipboard
from gui.canvas.context_menu import canvas_menu
from gui.canvas.interactions import DrawWire, MoveNodes
from gui.canvas.layout import layered_positions
from gui.canvas.node_item import NodeItem
from gui.canvas.offers import offer_any_layer, offer_insert
from gui.canvas.overview_item import BLOCKS_ZOOM, OVERVIEW_MIN_NODES, OVERVIEW_ZOOM
from gui.canvas.quick_add import QuickAddPopup
from gui.canvas.rename_editor import RenameEditor
from gui.canvas.scene import CanvasScene
from gui.canvas.style import GRID, HEADER_HEIGHT, NODE_WIDTH, CanvasStyle
from gui.canvas.wire_item import WireItem
from gui.document import Document
from gui.mime import LAYER_MIME

MIN_ZOOM, MAX_ZOOM = 10, 400
_ZOOM_STEP = 1.15


class CanvasView(QGraphicsView):
    selectionChanged = Signal(list)  # selected node ids, in project order
    zoomChanged = Signal(int)  # percent
    statusMessage = Signal(str)  # a one-line note for the status bar ("Cannot paste: ...")

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.snap_to_grid = False
        self.quick_add: QuickAddPopup | None = None
        self.context_menu: QMenu | None = None
        self._gesture: MoveNodes | DrawWire | None = None
        self._pan_from: QPointF | None = None
        self._space_held = False
        self.clipboard = CanvasClipboard(self)
        self._editor: QLineEdit | None = None
        self._drop_wire: WireItem | None = None
        # While a wire or nodes are dragged near an edge, the view scrolls that way.
        self._edge_scroll = QTimer(self)
        self._edge_scroll.setInterval(30)
        self._edge_scroll.timeout.connect(self._scroll_at_edge)
        self._last_mouse = QPoint()
        self._zoom = 100
        self._fit_pending = False  # fit once the view has its real size

        # Item pixmaps live in QPixmapCache; its 10 MB default holds ~150 nodes at 100%.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 96 * 1024))
        self.canvas_scene = CanvasScene(CanvasStyle.from_palette(self.palette(), self.font()), self)
        self.setScene(self.canvas_scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSceneRect(QRectF(-20000, -20000, 40000, 40000))
        # An endless sheet: panning and zooming replace the scrollbars.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)

        self.canvas_scene.selectionChanged.connect(self._emit_selection)
        self.canvas_scene.refreshed.connect(self._update_overview)  # the node count may change
        document.projectReplaced.connect(self._set_project)
        self._set_project(document.project)

    # --- the project -------------------------------------------------------------------------

    def _set_project(self, project: Project) -> None:
        self._cancel_gesture()
        if self.quick_add is not None:
            self.quick_add.close()  # it would add to the project that is going away
        self.canvas_scene.set_project(project)
        if self.isVisible():
            self.fit_to_view()
        else:
            self._fit_pending = True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_pending and self.isVisible():
            self.fit_to_view()

    def _emit_selection(self) -> None:
        self.selectionChanged.emit(self.selected_node_ids())

    # --- selection and navigation ------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        selected = {i.node_id for i in self.canvas_scene.selected_node_items()}
        return [n.id for n in self.document.project.nodes if n.id in selected]

    def select_nodes(self, ids: list[str]) -> None:
        scene = self.canvas_scene
        wanted = set(ids)
        scene.blockSignals(True)
        try:
            scene.clearSelection()
            for node_id in wanted:
                item = scene.nodes.get(node_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            scene.blockSignals(False)
        scene.selection_updated()
        self._emit_selection()

    def set_snap_to_grid(self, on: bool) -> None:
        """Moves and drops land on the 20-unit grid (the dots) while on."""
        self.snap_to_grid = on

    def center_on_node(self, node_id: str) -> None:
        item = self.canvas_scene.nodes.get(node_id)
        if item is not None:
            self.centerOn(item.sceneBoundingRect().center())

    def fit_to_view(self) -> None:
        rect = self.canvas_scene.nodes_rect()
        if rect.isNull():
            self.set_zoom(100)
            self.centerOn(0, 0)
            return
        rect = rect.adjusted(-40, -40, 40, 40)
        viewport = self.viewport().rect()
        scale = min(viewport.width() / rect.width(), viewport.height() / rect.height())
        self._apply_zoom(max(MIN_ZOOM, min(100, round(scale * 100))))
        self.centerOn(rect.center())

    def zoom_percent(self) -> int:
        return self._zoom

    def set_zoom(self, percent: int) -> None:
        """Zoom about the view's centre."""
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self._apply_zoom(percent)
        self.setTransformationAnchor(anchor)

    def _apply_zoom(self, percent: float) -> None:
        self._fit_pending = False
        percent = max(MIN_ZOOM, min(MAX_ZOOM, percent))
        scale = percent / 100.0
        self.setTransform(QTransform.fromScale(scale, scale))
        self._update_overview()
        new = round(percent)
        if new != self._zoom:
            self._zoom = new
            self.zoomChanged.emit(new)

    def _update_overview(self) -> None:
        """Level of detail: a large drawing seen from far away is painted as one overview."""
        scene = self.canvas_scene
        scale = self.transform().m11()
        large = len(scene.nodes) >= OVERVIEW_MIN_NODES
        scene.set_overview(scale < BLOCKS_ZOOM or (scale < OVERVIEW_ZOOM and large))

    def _zoom_by(self, factor: float) -> None:
        self._apply_zoom(self.transform().m11() * 100 * factor)

    # --- editing actions -----------------------------------------------------------------------

    def auto_layout(self) -> None:
        """Arrange every node in layers (one undoable step)."""
        project = self.document.project
        if not project.nodes:
            return
        shown = self.canvas_scene.shown_positions()
        dx = round(min(x for x, _ in shown.values()) / GRID) * GRID
        dy = round(min(y for _, y in shown.values()) / GRID) * GRID
        target = layered_positions(project)
        left = min(x for x, _ in target.values())
        top = min(y for _, y in target.values())
        moves = {nid: (x - left + dx, y - top + dy) for nid, (x, y) in target.items()}
        moves = {nid: p for nid, p in moves.items() if project.node(nid).pos != p}
        if moves:
            with self.document.macro("Auto-layout"):
                self.document.move_nodes(moves)
        self.fit_to_view()

    def copy_selection(self) -> None:
        self.clipboard.copy(self.selected_node_ids())

    def cut_selection(self) -> None:
        if self.selected_node_ids():
            self.copy_selection()
            self.delete_selection()

    def paste(self) -> None:
        ids = self.clipboard.paste()
        if ids:
            self.select_nodes(ids)

    def duplicate_selection(self) -> None:
        ids = self.clipboard.duplicate(self.selected_node_ids())
        if ids:
            self.select_nodes(ids)

    def delete_selection(self) -> None:
        scene = self.canvas_scene
        ids = self.selected_node_ids()
        edges = [w.edge for w in scene.selected_wires() if w.edge is not None]
        if ids or edges:
            self.document.remove(ids, edges)

    def rename_selected(self) -> None:
        """Edit the label of the (first) selected node in place; Enter keeps, Escape cancels."""
        ids = self.selected_node_ids()
        if not ids or self.document.read_only:
            return
        node_id = ids[0]
        item = self.canvas_scene.nodes[node_id]
        if not self._is_visible(item):
            self.center_on_node(node_id)

        def done(text: str | None) -> None:
            self._editor = None
            self.setFocus()
            if text is None or not self.document.project.has_node(node_id):
                return
            node = self.document.project.node(node_id)
            label = None if text.strip() in ("", node.id) else text.strip()
            if label != node.label:
                self.document.set_label(node_id, label)

        editor = RenameEditor(self.document.project.node(node_id).name, self.viewport(), done)
        head = item.mapRectToScene(QRectF(0, 0, NODE_WIDTH, HEADER_HEIGHT))
        editor.setGeometry(self.mapFromScene(head).boundingRect().adjusted(0, -2, 0, 2))
        self._editor = editor
        editor.show()
        editor.setFocus()

    def rename_editor(self) -> QLineEdit | None:
        """The inline label editor while it is open."""
        return self._editor

    def _is_visible(self, item: NodeItem) -> bool:
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        return visible.contains(item.sceneBoundingRect())

    # --- mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_held
        ):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button == Qt.MouseButton.LeftButton:
            port = self.canvas_scene.port_at(pos)
            if port is not None and not self.document.read_only:
                self._gesture = DrawWire(self, port)
                event.accept()
                return
        super().mousePressEvent(event)
        if button == Qt.MouseButton.LeftButton:
            node = self.canvas_scene.node_at(pos)
            if node is not None and node.isSelected():
                items = self.canvas_scene.selected_node_items()
                items.sort(key=lambda i: i is not node)
                self._gesture = MoveNodes(self, items, pos)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() - round(delta.x()))
            v.setValue(v.value() - round(delta.y()))
            event.accept()
            return
        if self._gesture is not None:
            self._last_mouse = event.position().toPoint()
            self._gesture.move(self.mapToScene(self._last_mouse))
            if self._edge_step(self._last_mouse) != (0, 0):
                self._edge_scroll.start()
            if isinstance(self._gesture, DrawWire):
                event.accept()
                return
        super().mouseMoveEvent(event)

    def _edge_step(self, at: QPoint) -> tuple[int, int]:
        """How far to scroll (px) with the mouse at `at`: towards an edge it is within 24 px of."""
        margin, step = 24, 14
        rect = self.viewport().rect()
        dx = -step if at.x() < margin else step if at.x() > rect.width() - margin else 0
        dy = -step if at.y() < margin else step if at.y() > rect.height() - margin else 0
        return dx, dy

    def _scroll_at_edge(self) -> None:
        dx, dy = self._edge_step(self._last_mouse)
        if self._gesture is None or (dx, dy) == (0, 0):
            self._edge_scroll.stop()
            return
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + dx)
        v.setValue(v.value() + dy)
        self._gesture.move(self.mapToScene(self._last_mouse))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        gesture, self._gesture = self._gesture, None
        self._edge_scroll.stop()
        if gesture is not None and event.button() == Qt.MouseButton.LeftButton:
            gesture.finish(self.mapToScene(event.position().toPoint()))
            if isinstance(gesture, DrawWire):
                event.accept()
                return
        elif gesture is not None:
            self._gesture = gesture
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self._gesture is not None:
            return
        menu = canvas_menu(self, self.mapToScene(event.pos()))
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = menu
        menu.popup(event.globalPos())  # not exec(): the event loop (and tests) keep running
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = self.mapToScene(event.position().toPoint())
        node = self.canvas_scene.node_at(pos)
        if node is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select_nodes([node.node_id])
            self.rename_selected()
            event.accept()
            return
        if node is None and event.button() == Qt.MouseButton.LeftButton:
            wire = self.canvas_scene.wire_at(pos)
            if wire is not None and wire.edge is not None:
                offer_insert(self, wire.edge, pos)
            else:
                offer_any_layer(self, pos)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._zoom_by(_ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def _cancel_gesture(self) -> None:
        self._edge_scroll.stop()
        if self._gesture is not None:
            self._gesture.cancel()
            self._gesture = None

    # --- keys ------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_Escape and self._gesture is not None:
            self._cancel_gesture()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(round(self._zoom * _ZOOM_STEP))
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.set_zoom(round(self._zoom / _ZOOM_STEP))
        elif key == Qt.Key.Key_0 and ctrl:
            self.set_zoom(100)
        elif key == Qt.Key.Key_F and not ctrl:
            self.fit_to_view()
        elif key == Qt.Key.Key_L and ctrl and mods & Qt.KeyboardModifier.ShiftModifier:
            self.auto_layout()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selection()
        elif key == Qt.Key.Key_F2:
            self.rename_selected()
        elif ctrl and key == Qt.Key.Key_C:
            self.copy_selection()
        elif ctrl and key == Qt.Key.Key_X:
            self.cut_selection()
        elif ctrl and key == Qt.Key.Key_V:
            self.paste()
        elif ctrl and key == Qt.Key.Key_D:
            self.duplicate_selection()
        elif ctrl and key == Qt.Key.Key_A:
            self.select_nodes([n.id for n in self.document.project.nodes])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # --- palette drops -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(LAYER_MIME) and not self.document.read_only:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not event.mimeData().hasFormat(LAYER_MIME):
            event.ignore()
            return
        wire = self.canvas_scene.wire_at(self.mapToScene(event.position().toPoint()))
        self._set_drop_wire(wire)
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._set_drop_wire(None)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if not mime.hasFormat(LAYER_MIME):
            event.ignore()
            return
        layer_type = bytes(mime.data(LAYER_MIME).data()).decode("utf-8", "replace").strip()
        self._set_drop_wire(None)
        if get_spec(layer_type) is None:
            event.ignore()
            return
        scene_pos = self.mapToScene(event.position().toPoint())
        x = scene_pos.x() - NODE_WIDTH / 2
        y = scene_pos.y() - HEADER_HEIGHT / 2
        if self.snap_to_grid:
            x, y = round(x / GRID) * GRID, round(y / GRID) * GRID
        wire = self.canvas_scene.wire_at(scene_pos)
        spec = get_spec(layer_type)
        if wire is not None and wire.edge is not None and spec and spec.inputs and spec.outputs:
            new_id = self.document.insert_on_wire(layer_type, wire.edge, (x, y))
        else:
            new_id = self.document.add_node(layer_type, (x, y))
        event.acceptProposedAction()
        if new_id is not None:
            self.select_nodes([new_id])
            self.setFocus()

    def _set_drop_wire(self, wire: WireItem | None) -> None:
        if wire is not self._drop_wire:
            if self._drop_wire is not None and self._drop_wire.scene() is not None:
                self._drop_wire.set_highlighted(False)
            self._drop_wire = wire
            if wire is not None:
                wire.set_highlighted(True)

    # --- looks -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.canvas_scene.set_style(CanvasStyle.from_palette(self.palette(), self.font()))
            self.resetCachedContent()
        super().changeEvent(event)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        style = self.canvas_scene.style
        painter.fillRect(rect, style.background)
        scale = self.transform().m11()
        if scale < 0.45:
            return  # dots closer than ~9 px are noise
        step = GRID * (2 if scale < 0.8 else 1)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.grid)
        left = int(rect.left() // step) * step
        top = int(rect.top() // step) * step
        dot = 1.3 / scale
        y = top
        points = []
        while y < rect.bottom():
            x = left
            while x < rect.right():
                points.append(QRectF(x - dot / 2, y - dot / 2, dot, dot))
                x += step
            y += step
        if points:
            painter.drawRects(points)
