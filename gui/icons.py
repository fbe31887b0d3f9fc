"""Icons drawn with QPainter rather than taken from a font: an emoji such as 💡 shows as an
empty box on a Linux desktop without a colour-emoji font, which is most of them."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

BULB_YELLOW = "#f5c518"
BULB_OUTLINE = "#8a6d00"
BULB_BASE = "#6b6b6b"


@cache
def bulb_icon() -> QIcon:
    """A light bulb: the mark of a problem that has a one-click fix."""
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(_bulb_pixmap(size))
    return icon


def _bulb_pixmap(size: int) -> QPixmap:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    s = size / 32  # drawn on a 32-unit grid
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    glass = QPainterPath()
    glass.addEllipse(QPointF(16 * s, 12 * s), 9.5 * s, 9.5 * s)
    neck = QPainterPath()
    neck.addRect(QRectF(11.5 * s, 17 * s, 9 * s, 6 * s))
    painter.setPen(QPen(QColor(BULB_OUTLINE), max(1.0, 1.5 * s)))
    painter.setBrush(QColor(BULB_YELLOW))
    painter.drawPath(glass.united(neck))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(BULB_BASE))
    painter.drawRoundedRect(QRectF(11.5 * s, 23.5 * s, 9 * s, 3 * s), 1 * s, 1 * s)
    painter.drawRoundedRect(QRectF(12.5 * s, 27 * s, 7 * s, 2.5 * s), 1 * s, 1 * s)
    painter.end()
    return pm
