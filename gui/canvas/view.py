"""CanvasView: the node editor widget the main window embeds.

The view is the widget and the switchboard: it shows a Document's project through CanvasScene
and hands each kind of input to the small object whose job it is — `navigator` (zoom, fit,
scrolling), `pointer` (mouse gestures), `keys` (moving between and wiring nodes by keyboard),
`drops` (layers from the palette), `edits` (copy, paste, rename, auto-layout ...), `offers`
(the quick-add list) and `menu` (right-click). None of them mutates the Project itself.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmapCache,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QMenu, QWidget

from graph import Project
from gui.canvas.actions import CanvasActions
from gui.canvas.breadcrumb import BreadcrumbBar
from gui.canvas.clipboard import CanvasClipboard
from gui.canvas.context_menu import CanvasMenu
from gui.canvas.drops import PaletteDrops
from gui.canvas.grid import SnapGrid, paint_dots
from gui.canvas.keyboard import ARROWS, KeyboardNavigator
from gui.canvas.navigator import Navigator
from gui.canvas.offers import LayerOffers
from gui.canvas.pointer import PointerInteractions
from gui.canvas.quick_add import QuickAddPopup
from gui.canvas.rename_editor import InlineRenamer
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection
from gui.canvas.style import CanvasStyle
from gui.document import Document

translate = QCoreApplication.translate
Key = Qt.Key
Mod = Qt.KeyboardModifier


class CanvasView(QGraphicsView):
    selectionChanged = Signal(list)  # selected node ids, in project order
    zoomChanged = Signal(int)  # percent
    statusMessage = Signal(str)  # a one-line note for the status bar ("Cannot paste: ...")

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.context_menu: QMenu | None = None
        # Item pixmaps live in QPixmapCache; its 10 MB default holds ~150 nodes at 100%.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 96 * 1024))
        scene = CanvasScene(CanvasStyle.from_palette(self.palette(), self.font()), self)
        self.canvas_scene = scene
        self.setScene(scene)
        self._configure()

        project = lambda: document.drawing  # noqa: E731 (the drawing shown changes)
        status = self.statusMessage.emit
        self.grid = SnapGrid()
        self.navigator = Navigator(self, scene, self.zoomChanged.emit)
        self.selection = CanvasSelection(scene, project, self.selectionChanged.emit)
        self.offers = LayerOffers(
            document,
            self.selection,
            self,
            lambda p: self.viewport().mapToGlobal(self.mapFromScene(p)),
        )
        self.renamer = InlineRenamer(self, document, scene, self.navigator)
        self.clipboard = CanvasClipboard(document, scene, status)
        self.edits = CanvasActions(
            document, scene, self.selection, self.clipboard, self.renamer, self.navigator
        )
        self.pointer = PointerInteractions(
            self,
            document,
            scene,
            self.selection,
            self.navigator,
            self.grid,
            self.offers,
            self.renamer,
            status,
        )
        self.keys = KeyboardNavigator(
            scene, project, self.selection, self.navigator, self.pointer, lambda: document.read_only
        )
        self.drops = PaletteDrops(document, scene, self.grid)
        self.menu = CanvasMenu(
            document,
            scene,
            self.selection,
            self.edits,
            self.offers,
            self.grid,
            self.navigator.fit,
        )
        scene.refreshed.connect(self.navigator.update_overview)  # the node count may change
        self.selectionChanged.connect(self._describe_selection)
        self.breadcrumb = BreadcrumbBar(document, self)
        self._marked = False  # a failed run's mark is on some node
        document.drawingChanged.connect(self._set_drawing)
        document.stack.modelChanged.connect(self._model_changed)
        document.stack.failureChanged.connect(self._show_failure)
        scene.refreshed.connect(self._show_failure)  # nodes come and go with the drawing
        self._set_drawing(document.drawing)

    def _configure(self) -> None:
        self.setObjectName("canvas")
        self.setAccessibleName(translate("Canvas", "Network canvas"))
        self.setAccessibleDescription(
            translate(
                "Canvas",
                "The drawing. Arrow keys and Tab move between layers, W wires the selected layer "
                "to another, Enter connects, Escape cancels.",
            )
        )
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

    def _to_global(self, scene_pos: QPointF) -> QPoint:
        return self.viewport().mapToGlobal(self.mapFromScene(scene_pos))

    def _set_drawing(self, drawing: Project) -> None:
        """Show the project, or the block opened from an instance (with its shapes)."""
        self.pointer.cancel()
        self.offers.close()
        inside = drawing is not self.document.project
        self.canvas_scene.set_project(drawing, self.document.drawing_report if inside else None)
        self.breadcrumb.rebuild()
        self.navigator.fit_when_shown()
        if inside:
            self.navigator.fit()
        self.selectionChanged.emit([])

    def _show_failure(self) -> None:
        """Mark the node a failed run names (inside an opened block, the node inside)."""
        failed = self.document.stack.failed_node()
        if failed is None and not self._marked:
            return  # nothing marked, nothing to mark: a refresh of 1,000 nodes stays cheap
        for node_id, item in self.canvas_scene.nodes.items():
            item.set_run_failure(failed[1] if failed and failed[0] == node_id else None)
        self._marked = failed is not None

    def _model_changed(self) -> None:
        """Inside a block, an edit anywhere may change the shapes the instance gives it."""
        if self.document.drawing is not self.document.project:
            self.canvas_scene.schedule_refresh()
        self.breadcrumb.rebuild()

    def open_block(self, node_id: str) -> bool:
        """Show the block of instance `node_id` (double-click does this)."""
        return self.document.open_block(node_id)

    def close_block(self) -> bool:
        """Back to the drawing above (Escape, Backspace, the breadcrumb)."""
        return self.document.stack.up()

    def _describe_selection(self, ids: list[str]) -> None:
        """What a screen reader says about the canvas: the layer the keyboard is on."""
        project = self.document.drawing
        if len(ids) == 1 and project.has_node(ids[0]):
            node = project.node(ids[0])
            text = translate("Canvas", "{type} '{name}' selected")
            self.setAccessibleDescription(text.format(type=node.type, name=node.name))
        elif ids:
            text = translate("Canvas", "{count} layers selected")
            self.setAccessibleDescription(text.format(count=len(ids)))

    # --- what the window and the tests call ---------------------------------------------------

    @property
    def snap_to_grid(self) -> bool:
        return self.grid.on

    @snap_to_grid.setter
    def snap_to_grid(self, on: bool) -> None:
        self.grid.on = on

    def set_snap_to_grid(self, on: bool) -> None:
        """Moves and drops land on the 20-unit grid (the dots) while on."""
        self.grid.on = on

    @property
    def quick_add(self) -> QuickAddPopup | None:
        return self.offers.popup

    def selected_node_ids(self) -> list[str]:
        return self.selection.node_ids()

    def select_nodes(self, ids: list[str]) -> None:
        self.selection.select(ids)

    def center_on_node(self, node_id: str) -> None:
        item = self.canvas_scene.nodes.get(node_id)
        if item is not None:
            self.navigator.center_on(item)

    def fit_to_view(self) -> None:
        self.navigator.fit()

    def zoom_percent(self) -> int:
        return self.navigator.zoom_percent()

    def set_zoom(self, percent: int) -> None:
        self.navigator.set_zoom(percent)

    def rename_editor(self) -> QLineEdit | None:
        """The inline label editor while it is open."""
        return self.renamer.editor

    def auto_layout(self) -> None:
        self.edits.auto_layout()

    def copy_selection(self) -> None:
        self.edits.copy()

    def cut_selection(self) -> None:
        self.edits.cut()

    def paste(self) -> None:
        self.edits.paste()

    def duplicate_selection(self) -> None:
        self.edits.duplicate()

    def toggle_freeze_selection(self) -> None:
        self.edits.toggle_freeze()

    def delete_selection(self) -> None:
        self.edits.delete()

    def rename_selected(self) -> None:
        self.edits.rename()

    def group_selection(self) -> str | None:
        return self.edits.group()

    def ungroup_selection(self) -> str | None:
        return self.edits.ungroup()

    # --- events, handed on --------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.navigator.view_resized()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.pointer.press(event, super().mousePressEvent)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.pointer.move(event, super().mouseMoveEvent)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.pointer.release(event, super().mouseReleaseEvent)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.pointer.double_click(event, super().mouseDoubleClickEvent)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self.pointer.wheel(event):
            super().wheelEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.pointer.gesture is not None:
            return
        menu = self.menu.build(self, self.mapToScene(event.pos()))
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = menu
        menu.popup(event.globalPos())  # not exec(): the event loop (and tests) keep running
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._key(event.key(), event.modifiers(), event.isAutoRepeat()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def _key(self, key: int, mods: Qt.KeyboardModifier, repeat: bool) -> bool:
        """Do what `key` means on the canvas; False if it means nothing here."""
        ctrl = bool(mods & Mod.ControlModifier)
        plain = not mods & (Mod.ControlModifier | Mod.AltModifier | Mod.MetaModifier)
        act, keys = self.edits, self.keys
        scene_selection = self.canvas_scene.selectedItems
        if key == Key.Key_Space and not repeat:
            self.pointer.set_space_held(True)
        elif key == Key.Key_Escape and self.pointer.gesture is not None:
            self.pointer.cancel()
        elif key == Key.Key_Escape and self.document.stack.depth:
            self.close_block()
        elif key == Key.Key_Backspace and self.document.stack.depth and not scene_selection():
            self.close_block()  # nothing to delete: Backspace goes up, as in a file browser
        elif key in ARROWS and plain:
            return keys.arrow(Key(key))
        elif key in (Key.Key_Return, Key.Key_Enter) and keys.wiring():
            keys.connect()
        elif key == Key.Key_W and plain:
            return keys.start_wire()
        elif key in (Key.Key_Plus, Key.Key_Equal):
            self.navigator.step_zoom(1)
        elif key in (Key.Key_Minus, Key.Key_Underscore):
            self.navigator.step_zoom(-1)
        elif key == Key.Key_0 and ctrl:
            self.navigator.set_zoom(100)
        elif key == Key.Key_F and not ctrl:
            self.navigator.fit()
        elif key == Key.Key_L and ctrl and mods & Mod.ShiftModifier:
            act.auto_layout()
        elif key in (Key.Key_Delete, Key.Key_Backspace):
            act.delete()
        elif key == Key.Key_F2:
            act.rename()
        elif ctrl and key in _CTRL_ACTIONS:
            getattr(act, _CTRL_ACTIONS[key])()
        else:
            return False
        return True

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab goes through the layers; past the last one the focus moves on as usual."""
        if self.hasFocus() and self.keys.step(forward):
            return True
        return super().focusNextPrevChild(forward)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Key.Key_Space and not event.isAutoRepeat():
            self.pointer.set_space_held(False)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.drops.accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.drops.accepts(event.mimeData()):
            event.ignore()
            return
        self.drops.hover(self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self.drops.leave()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self.drops.accepts(event.mimeData()):
            event.ignore()
            return
        new_id = self.drops.drop(event.mimeData(), self.mapToScene(event.position().toPoint()))
        if new_id is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.selection.select([new_id])
        self.setFocus()

    # --- looks -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.canvas_scene.set_style(CanvasStyle.from_palette(self.palette(), self.font()))
            self.resetCachedContent()
        super().changeEvent(event)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        paint_dots(painter, rect, self.canvas_scene.style, self.transform().m11())


_CTRL_ACTIONS = {
    Key.Key_C: "copy",
    Key.Key_X: "cut",
    Key.Key_V: "paste",
    Key.Key_D: "duplicate",
    Key.Key_A: "select_all",
}
