"""Layers dragged from the palette onto the canvas: the wire under the drag lights up, and a
drop there inserts the layer on it; elsewhere the layer is added where it was dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF

from graph.block_library import LibraryError
from gui.canvas.grid import SnapGrid
from gui.canvas.scene import CanvasScene
from gui.canvas.style import HEADER_HEIGHT, NODE_WIDTH
from gui.canvas.wire_item import WireItem
from gui.document import Document
from gui.mime import LAYER_MIME, library_name


class PaletteDrops:
    def __init__(self, document: Document, scene: CanvasScene, grid: SnapGrid) -> None:
        self._document = document
        self._scene = scene
        self._grid = grid
        self._wire: WireItem | None = None

    def accepts(self, mime: QMimeData) -> bool:
        return mime.hasFormat(LAYER_MIME) and not self._document.read_only

    def hover(self, scene_pos: QPointF) -> None:
        self._light(self._scene.wire_at(scene_pos))

    def leave(self) -> None:
        self._light(None)

    def drop(self, mime: QMimeData, scene_pos: QPointF) -> str | None:
        """Add (or insert) the dropped layer; its id, or None if nothing was added."""
        self._light(None)
        if not mime.hasFormat(LAYER_MIME):
            return None
        layer_type = bytes(mime.data(LAYER_MIME).data()).decode("utf-8", "replace").strip()
        x, y = self._grid.place(scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - HEADER_HEIGHT / 2)
        library = library_name(layer_type)
        if library is not None:  # a block of the user's library: its definition comes along
            try:
                return self._document.add_from_library(library, (x, y))
            except LibraryError:
                return None  # an unreadable file: the palette's double-click says why
        spec = self._document.drawing.spec(layer_type)  # a layer, or one of the project's blocks
        if spec is None:
            return None
        wire = self._scene.wire_at(scene_pos)
        if wire is not None and wire.edge is not None and spec.inputs and spec.outputs:
            return self._document.insert_on_wire(layer_type, wire.edge, (x, y))
        return self._document.add_node(layer_type, (x, y))

    def _light(self, wire: WireItem | None) -> None:
        if wire is not self._wire:
            if self._wire is not None and self._wire.scene() is not None:
                self._wire.set_highlighted(False)
            self._wire = wire
            if wire is not None:
                wire.set_highlighted(True)
