"""A port: the small circle on a node's edge where a wire starts (output) or ends (input)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui.canvas.style import PORT_RADIUS

if TYPE_CHECKING:
    from gui.canvas.node_item import NodeItem


class PortState(Enum):
    NORMAL = "normal"
    FITS = "fits"  # a wire being drawn may end here
    REFUSES = "refuses"  # it may not; the reason is shown while hovering


class PortItem(QGraphicsItem):
    """Input ports sit on the node's top edge, output ports on its bottom edge.

    In its normal state a port draws nothing itself: the node paints it into its own cached
    pixmap, so a repaint of a large drawing costs no Python call per port. The item is there to
    be hit by the mouse and to light up while a wire is dragged.
    """

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
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)

    @property
    def node_id(self) -> str:
        return self.node_item.node_id

    def boundingRect(self) -> QRectF:
        # Larger than the drawn circle: an easier target for the mouse, and room for the halo.
        r = PORT_RADIUS + 4.0
        return QRectF(-r, -r, 2 * r, 2 * r)

    def set_state(self, state: PortState, refusal: str = "") -> None:
        if state != self.state or refusal != self.refusal:
            self.state, self.refusal = state, refusal
            self.setFlag(
                QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, state == PortState.NORMAL
            )
            self.update()
            scene = self.scene()
            if state == PortState.NORMAL and scene is not None:
                # Qt skips repaint requests of an item without contents, so the halo would stay
                # on screen: repaint the spot itself (the node paints the normal port there).
                scene.update(self.sceneBoundingRect())

    def set_wired(self, wired: bool) -> None:
        if wired != self.wired:
            self.wired = wired
            self.node_item.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.state == PortState.NORMAL:
            return  # drawn by the node (see the class docstring)
        style = self.node_item.style
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = PORT_RADIUS
        colour = style.fits if self.state == PortState.FITS else style.refuses
        halo = QColor(colour)
        halo.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        painter.drawEllipse(QPointF(0, 0), r + 4, r + 4)
        painter.setPen(QPen(colour, 2.0))
        painter.setBrush(colour if self.state == PortState.FITS else style.port_fill)
        painter.drawEllipse(QPointF(0, 0), r, r)


def paint_port(painter: QPainter, port: PortItem) -> None:
    """A port in its normal state, painted by its node (item coordinates of the node)."""
    style = port.node_item.style
    painter.setPen(QPen(style.port_border, 1.5))
    painter.setBrush(QBrush(style.port_border if port.wired else style.port_fill))
    painter.drawEllipse(port.pos(), PORT_RADIUS, PORT_RADIUS)
