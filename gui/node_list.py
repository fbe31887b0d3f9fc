"""A plain list of the drawing's layers, with the canvas's interface.

The window shows it in the centre when the graphical canvas (gui.canvas) cannot be imported, so the
editor stays usable (select, edit in the inspector, copy/paste, delete) in any build.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from graph import Project
from graph.events import ProjectEvent
from gui.document import Document
from gui.mime import FRAGMENT_MIME


class NodeListView(QListWidget):
    selectionChanged = Signal(list)
    zoomChanged = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("nodeList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._project: Project | None = None
        self._zoom = 100
        self.itemSelectionChanged.connect(
            lambda: self.selectionChanged.emit(self.selected_node_ids())
        )
        document.projectReplaced.connect(self._watch)
        self._watch(document.project)

    def _watch(self, project: Project) -> None:
        if self._project is not None:
            self._project.unsubscribe(self._changed)
        self._project = project
        project.subscribe(self._changed)
        self._rebuild()

    def _changed(self, event: ProjectEvent) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        selected = set(self.selected_node_ids())
        self.blockSignals(True)
        self.clear()
        for node in self.document.project.nodes:
            item = QListWidgetItem(f"{node.name}  ·  {node.type}")
            item.setData(256, node.id)
            self.addItem(item)
            item.setSelected(node.id in selected)
        self.blockSignals(False)
        if set(self.selected_node_ids()) != selected:
            self.selectionChanged.emit(self.selected_node_ids())

    # --- the canvas interface ------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        return [i.data(256) for i in self.selectedItems()]

    def select_nodes(self, ids: list[str]) -> None:
        wanted = set(ids)
        self.blockSignals(True)
        for row in range(self.count()):
            item = self.item(row)
            item.setSelected(item.data(256) in wanted)
        self.blockSignals(False)
        self.selectionChanged.emit(self.selected_node_ids())

    def center_on_node(self, node_id: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(256) == node_id:
                self.scrollToItem(self.item(row))

    def fit_to_view(self) -> None:
        self.scrollToTop()

    def auto_layout(self) -> None:
        pass  # a list has no layout to tidy

    def zoom_percent(self) -> int:
        return self._zoom

    def set_zoom(self, percent: int) -> None:
        self._zoom = max(10, min(800, int(percent)))
        self.zoomChanged.emit(self._zoom)

    def copy_selection(self) -> None:
        ids = self.selected_node_ids()
        if ids:
            data = QMimeData()
            data.setData(FRAGMENT_MIME, self.document.fragment(ids).encode("utf-8"))
            QGuiApplication.clipboard().setMimeData(data)

    def cut_selection(self) -> None:
        self.copy_selection()
        self.delete_selection()

    def paste(self) -> None:
        data = QGuiApplication.clipboard().mimeData()
        if data is not None and data.hasFormat(FRAGMENT_MIME):
            text = bytes(data.data(FRAGMENT_MIME).data()).decode("utf-8")
            self.select_nodes(self.document.paste(text))

    def duplicate_selection(self) -> None:
        ids = self.selected_node_ids()
        if ids:
            self.select_nodes(self.document.duplicate(ids))

    def delete_selection(self) -> None:
        self.document.remove(self.selected_node_ids())

    def rename_selected(self) -> None:
        pass  # the window focuses the inspector's name field
