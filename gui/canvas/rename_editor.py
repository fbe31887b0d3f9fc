"""The inline editor for a node's label: Enter (or clicking away) keeps, Escape cancels."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QWidget

from gui.canvas.navigator import Navigator
from gui.canvas.scene import CanvasScene
from gui.canvas.style import HEADER_HEIGHT, NODE_WIDTH
from gui.document import Document


class RenameEditor(QLineEdit):
    """Calls `on_done(text)` once when kept, `on_done(None)` when cancelled, then goes away."""

    def __init__(self, text: str, parent: QWidget, on_done: Callable[[str | None], None]) -> None:
        super().__init__(text, parent)
        self._on_done: Callable[[str | None], None] | None = on_done
        self.selectAll()
        self.editingFinished.connect(lambda: self._finish(self.text()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._finish(None)
            return
        super().keyPressEvent(event)

    def _finish(self, text: str | None) -> None:
        on_done, self._on_done = self._on_done, None
        if on_done is None:
            return  # editingFinished also fires when the editor loses focus on its way out
        self.hide()
        self.deleteLater()
        on_done(text)


class InlineRenamer:
    """Opens a RenameEditor over a node's header on `view`; keeps the label through the Document."""

    def __init__(
        self, view: QGraphicsView, document: Document, scene: CanvasScene, navigator: Navigator
    ) -> None:
        self._view = view
        self._document = document
        self._scene = scene
        self._navigator = navigator
        self.editor: QLineEdit | None = None

    def open(self, node_id: str) -> None:
        """Edit the label of `node_id` in place; Enter keeps, Escape cancels."""
        document, view = self._document, self._view
        item = self._scene.nodes.get(node_id)
        if item is None or document.read_only:
            return
        if not self._navigator.shows(item):
            self._navigator.center_on(item)

        def done(text: str | None) -> None:
            self.editor = None
            view.setFocus()
            if text is None or not document.drawing.has_node(node_id):
                return
            node = document.drawing.node(node_id)
            label = None if text.strip() in ("", node.id) else text.strip()
            if label != node.label:
                document.set_label(node_id, label)

        editor = RenameEditor(document.drawing.node(node_id).name, view.viewport(), done)
        head = item.mapRectToScene(QRectF(0, 0, NODE_WIDTH, HEADER_HEIGHT))
        editor.setGeometry(view.mapFromScene(head).boundingRect().adjusted(0, -2, 0, 2))
        self.editor = editor
        editor.show()
        editor.setFocus()
