"""A wire: a curve from an output port down to an input port, labelled with its tensor shape."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from graph import Edge
from gui.canvas.style import NODE_HEIGHT, NODE_WIDTH, CanvasStyle

# A wire longer than this that stays in its column would run through the nodes in between.
_SKIP_SPAN = 1.6 * (NODE_HEIGHT + 70.0)


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A vertical S-curve from an output (top) to an input (below).

    Wires that would hide behind nodes take a lane beside them instead: a skip connection down
    its own column detours to the right, and a wire that runs back up (to the top of the next
    column, say) leaves downwards, climbs in the gutter between columns and enters from above.
    """
    path = QPainterPath(start)
    dx, dy = end.x() - start.x(), end.y() - start.y()
    same_column = abs(dx) < NODE_WIDTH
    if (dy > _SKIP_SPAN and same_column) or dy < 20.0:
        lane = (
            max(start.x(), end.x()) + NODE_WIDTH / 2 + 36.0
            if same_column
            else (start.x() + end.x()) / 2
        )
        down = dy > 0
        # Down: leave the port, bend into the lane, run down it, bend back into the input.
        # Up: leave downwards, U-turn into the lane, climb it, U-turn down into the input.
        top = QPointF(lane, start.y() + (70.0 if down else 0.0))
        bottom = QPointF(lane, end.y() - (70.0 if down else 0.0))
        along = QPointF(0, -40.0 if down else 35.0)  # the lane's direction, reversed
        path.cubicTo(start + QPointF(0, 45.0), top + along, top)
        path.lineTo(bottom)
        path.cubicTo(bottom - along, end - QPointF(0, 45.0), end)
        return path
    bend = max(dy * 0.5, 40.0)
    path.cubicTo(QPointF(start.x(), start.y() + bend), QPointF(end.x(), end.y() - bend), end)
    return path


class WireItem(QGraphicsPathItem):
    """A drawn wire (with an Edge) or the draft that follows the mouse (edge None).

    The item's C++ path is the area that can be hit (a 10 px band along the curve, plus the
    label), so bounds and hit tests never call into Python; `curve()` is the wire itself.
    """

    def __init__(self, edge: Edge | None, style: CanvasStyle) -> None:
        super().__init__()
        self.edge = edge
        self.style = style
        self.label = ""
        self.problem = ""  # the target's problem at this wire's port, if any
        self.highlighted = False  # a node is being dropped onto this wire
        self.draft_state = ""  # for the draft: "", "fits", "refuses"
        self._path = QPainterPath()
        self._start = self._end = QPointF()
        self._label_pos = QPointF()
        self._label_rect = QRectF()
        self.setPen(Qt.PenStyle.NoPen)
        if edge is not None:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
            # Repaints of a large drawing then blit pixmaps instead of calling paint().
            self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(0)

    # --- state ---------------------------------------------------------------------------------

    def set_ends(self, start: QPointF, end: QPointF) -> None:
        self._start, self._end = QPointF(start), QPointF(end)
        self._path = wire_path(start, end)
        self._label_pos = self._path.pointAtPercent(0.5)
        self._layout_label()

    def set_label(self, label: str, problem: str = "") -> None:
        if label == self.label and problem == self.problem:
            return
        self.label, self.problem = label, problem
        self.setToolTip(problem or label)
        self._layout_label()
        self.update()

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def set_style(self, style: CanvasStyle) -> None:
        self.style = style
        self._layout_label()
        self.update()  # the cached pixmap holds the old colours

    def _layout_label(self) -> None:
        if self.label:
            w = self.style.small_text.width(self.label) + 10
            h = self.style.small_text.height + 3
            p = self._label_pos
            self._label_rect = QRectF(p.x() - w / 2, p.y() - h / 2, w, h)  # a tag on the wire
        else:
            self._label_rect = QRectF()
        stroker = QPainterPathStroker()
        stroker.setWidth(10.0)
        hit = stroker.createStroke(self._path)
        if self.label:
            hit.addRect(self._label_rect)
        self.setPath(hit)

    @property
    def start(self) -> QPointF:
        return self._start

    @property
    def end(self) -> QPointF:
        return self._end

    def curve(self) -> QPainterPath:
        """The wire as drawn, from the output port to the input port."""
        return self._path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self.style
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if self.isSelected() or self.highlighted:
            colour, width = style.wire_selected, 2.6
        elif self.draft_state == "fits":
            colour, width = style.fits, 2.2
        elif self.draft_state == "refuses" or self.problem:
            colour, width = style.error, 1.8
        else:
            colour, width = style.wire, 1.6
        if lod < 0.3:
            # Zoomed far out: straight, thin, unsmoothed lines cost a fraction of curves.
            pen = QPen(colour, 0)
            painter.setPen(pen)
            painter.drawLine(self._start, self._end)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(colour, width)
        if self.edge is None:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        if self.label and lod >= 0.45:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.wire_label_fill)
            r = self._label_rect
            painter.drawRoundedRect(r, r.height() / 2, r.height() / 2)
            painter.setPen(style.error if self.problem else style.muted_text)
            painter.setFont(style.small_font)
            painter.drawText(r, Qt.AlignmentFlag.AlignCenter, self.label)
