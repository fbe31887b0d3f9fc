"""A port: the small circle on a node's edge where a wire starts (output) or ends (input)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui.canvas.style import PORT_RADIUS

if TYPE_CHECKING:
    from gui.canvas.node_item import NodeItem


class PortState(Enum):
    NORMAL = "normal"
    FITS = "fits"  # a wire being drawn may end here
    REFUSES = "refuses"  # it may not; the reason is shown while hovering


class PortItem(QGraphicsItem):
    """Input ports sit on the node's top edge, output ports on its bottom edge."""

    def __init__(self, node: NodeItem, is_output: bool, index: int) -> None:
        super().__init__(node)
        self.node_item = node
        self.is_output = is_output
        self.index = index
        self.wired = False
        self.state = PortState.NORMAL
        self.refusal = ""  # why a wire may not end here (while a wire is dragged)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(2)

    @property
    def node_id(self) -> str:
        return self.node_item.node_id

    def boundingRect(self) -> QRectF:
        # Larger than the drawn circle: an easier target for the mouse, and room for the halo.
        r = PORT_RADIUS + 4.0
        return QRectF(-r, -r, 2 * r, 2 * r)

    def scene_anchor(self) -> QPointF:
        return self.scenePos()

    def set_state(self, state: PortState, refusal: str = "") -> None:
        if state != self.state or refusal != self.refusal:
            self.state, self.refusal = state, refusal
            self.update()

    def set_wired(self, wired: bool) -> None:
        if wired != self.wired:
            self.wired = wired
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self.node_item.style
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.35 and self.state == PortState.NORMAL:
            return  # too small to hit or read; the node's outline carries the shape
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = PORT_RADIUS
        if self.state != PortState.NORMAL:
            colour = style.fits if self.state == PortState.FITS else style.refuses
            halo = colour.lighter(100)
            halo.setAlpha(70)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(halo)
            painter.drawEllipse(QPointF(0, 0), r + 4, r + 4)
            painter.setPen(QPen(colour, 2.0))
            painter.setBrush(colour if self.state == PortState.FITS else style.port_fill)
            painter.drawEllipse(QPointF(0, 0), r, r)
            return
        painter.setPen(QPen(style.port_border, 1.5))
        fill = style.port_border if self.wired else style.port_fill
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), r, r)
