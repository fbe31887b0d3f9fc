"""The small picture under a node of what it makes of the chosen sample (the sample view's
thumbnail). It is a cached pixmap, painted once per new sample: the canvas only blits it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem

from gui.canvas.style import NODE_WIDTH

THUMB_WIDTH = 84  # under the node's right half, clear of the wire from its middle
THUMB_HEIGHT = 40
GAP = 4.0  # between the node and its thumbnail


class ActivationThumb(QGraphicsPixmapItem):
    """A child of a NodeItem, under its right half (the wire leaves from the middle)."""

    def __init__(self, node_item: QGraphicsItem) -> None:
        super().__init__(node_item)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(4)  # under the gradient-flow tint's warning band
        self.setTransformationMode(Qt.TransformationMode.FastTransformation)

    def show_pixmap(self, pixmap: QPixmap, node_height: float) -> None:
        self.setPixmap(pixmap)
        self.setPos(NODE_WIDTH - pixmap.width() - 2, node_height + GAP)
        self.setVisible(True)
