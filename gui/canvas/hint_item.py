"""A small bubble that says why a wire may not end where the mouse is."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui.canvas.style import CanvasStyle

_MAX_WIDTH = 320.0
_PAD = 7.0


class HintItem(QGraphicsItem):
    """Screen-sized text (it ignores zoom) so the reason stays readable at any scale."""

    def __init__(self, style: CanvasStyle) -> None:
        super().__init__()
        self.style = style
        self.text = ""
        self._rect = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(100)
        self.hide()

    def show_text(self, text: str) -> None:
        if text != self.text:
            self.prepareGeometryChange()
            self.text = text
            metrics = QFontMetricsF(self.style.body_font)
            box = metrics.boundingRect(
                QRectF(0, 0, _MAX_WIDTH, 1000), Qt.TextFlag.TextWordWrap, text
            )
            self._rect = QRectF(0, 0, box.width() + 2 * _PAD, box.height() + 2 * _PAD)
            self.update()
        self.show()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self.style
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(style.refuses, 1.2))
        painter.setBrush(style.hint_fill)
        painter.drawRoundedRect(self._rect, 6, 6)
        painter.setPen(style.hint_text)
        painter.setFont(style.body_font)
        inner = self._rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        painter.drawText(inner, Qt.TextFlag.TextWordWrap, self.text)
