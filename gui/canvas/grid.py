"""The canvas grid: where moves and drops land while snapping is on, and the dots that show it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from gui.canvas.style import GRID, CanvasStyle


class SnapGrid:
    """Snapping on or off; `place` rounds a position to the 20-unit grid while on."""

    def __init__(self) -> None:
        self.on = False

    def place(self, x: float, y: float) -> tuple[float, float]:
        if not self.on:
            return (x, y)
        return (round(x / GRID) * GRID, round(y / GRID) * GRID)


def paint_dots(painter: QPainter, rect: QRectF, style: CanvasStyle, scale: float) -> None:
    """The background with the grid's dots (none when they would be closer than ~9 px)."""
    painter.fillRect(rect, style.background)
    if scale < 0.45:
        return
    step = GRID * (2 if scale < 0.8 else 1)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.grid)
    left = int(rect.left() // step) * step
    top = int(rect.top() // step) * step
    dot = 1.3 / scale
    points = []
    y = top
    while y < rect.bottom():
        x = left
        while x < rect.right():
            points.append(QRectF(x - dot / 2, y - dot / 2, dot, dot))
            x += step
        y += step
    if points:
        painter.drawRects(points)
