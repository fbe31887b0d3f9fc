"""Level of detail for a zoomed-out canvas: the whole drawing painted by one item, in batches.

Below OVERVIEW_ZOOM a large drawing's nodes are too small to read, and painting 1,000 nodes and
1,000 wires one item at a time costs more than a frame. The scene then lets its node and wire
items paint nothing (they stay for hit tests, selection and dragging) and this item draws every
node as a block in its category colour and every wire as a line, a few batched calls per frame,
cached as one pixmap until something changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui.canvas.style import NODE_WIDTH

if TYPE_CHECKING:
    from gui.canvas.scene import CanvasScene

OVERVIEW_ZOOM = 0.3  # scale below which the overview replaces the items ...
OVERVIEW_MIN_NODES = 120  # ... in drawings this large; smaller ones paint their items (readably)
BLOCKS_ZOOM = 0.18  # ... and below which every drawing gets it: nodes are blocks without text


class OverviewItem(QGraphicsItem):
    def __init__(self, scene: CanvasScene) -> None:
        super().__init__()
        self.canvas_scene = scene
        self._rect = QRectF()
        # What to draw, grouped for batched calls; rebuilt after a change, not per zoom step.
        self._batches: _Batches | None = None
        self.setZValue(-1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.hide()

    def refresh(self) -> None:
        """Something moved, appeared, vanished or changed colour: redraw on the next paint."""
        rect = self.canvas_scene.nodes_rect().adjusted(-20, -20, 20, 20)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self._batches = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:  # never hit: clicks go to the items underneath
        return QPainterPath()

    def _collect(self) -> _Batches:
        scene = self.canvas_scene
        lines = [QLineF(w.start, w.end) for w in scene.wires.values()]
        by_category: dict[str, list[QRectF]] = {}
        selected: list[QRectF] = []
        errors: list[QRectF] = []
        for item in scene.nodes.values():
            pos = item.pos()
            rect = QRectF(pos.x(), pos.y(), NODE_WIDTH, item.height)
            by_category.setdefault(item.category, []).append(rect)
            if item.isSelected():
                selected.append(rect)
            elif item.severity == "error":
                errors.append(rect)
        return _Batches(lines, by_category, selected, errors)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self.canvas_scene.style
        scale = max(option.levelOfDetailFromTransform(painter.worldTransform()), 0.01)
        if self._batches is None:
            self._batches = self._collect()
        batches = self._batches
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # hairlines and blocks
        painter.setPen(QPen(style.wire, 0))
        painter.drawLines(batches.lines)
        painter.setPen(QPen(style.node_border, 0))
        for category, rects in batches.by_category.items():
            painter.setBrush(style.category_colour(category))
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, rects in ((style.error, batches.errors), (style.selection, batches.selected)):
            if rects:
                painter.setPen(QPen(colour, 3.0 / scale))
                painter.drawRects(rects)


@dataclass
class _Batches:
    lines: list[QLineF]
    by_category: dict[str, list[QRectF]]
    selected: list[QRectF]
    errors: list[QRectF]
