"""Pictures of one node's activations (runtime.events.ActivationSummary): the mosaic of
per-channel heatmaps and the small pixmaps the canvas shows under each node.

Painted once per new sample into a pixmap, so the canvas only blits it: a drawing of hundreds of
nodes stays as fast with thumbnails as without.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF

# viridis at five stops: dark blue (low) to yellow (high); read well on light and dark themes
_STOPS = np.array(
    [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=float
)
LUT = np.stack(
    [np.interp(np.linspace(0, 1, 256), np.linspace(0, 1, 5), _STOPS[:, c]) for c in range(3)],
    axis=1,
).astype(np.uint8)


@dataclass(frozen=True)
class Ink:
    """The colours bars and lines are drawn in on a light or a dark background (Okabe-Ito:
    told apart with any colour vision)."""

    bar: QColor
    best: QColor  # the predicted class
    lines: tuple[QColor, ...]


LIGHT_INK = Ink(
    QColor("#0072B2"),
    QColor("#D55E00"),
    tuple(QColor(c) for c in ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")),
)
# the same hues, lighter where the light theme's were too dark to read on a dark background
DARK_INK = Ink(
    QColor("#56B4E9"),
    QColor("#E69F00"),
    tuple(QColor(c) for c in ("#56B4E9", "#E69F00", "#2FC49A", "#E08DBF", "#F0E442")),
)


def ink(dark: bool) -> Ink:
    return DARK_INK if dark else LIGHT_INK


def grid_shape(count: int, tile_h: int, tile_w: int, box_w: float, box_h: float) -> tuple:
    """(columns, rows) that give `count` tiles of h×w the largest size inside box_w×box_h."""
    best = (count, 1, 0.0)
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        scale = min(box_w / (cols * (tile_w + 1)), box_h / (rows * (tile_h + 1)))
        if scale > best[2]:
            best = (cols, rows, scale)
    return best[0], best[1]


def mosaic(maps: np.ndarray, columns: int) -> np.ndarray:
    """Channels (c, h, w) side by side, each scaled to [0, 1] on its own, 1-pixel NaN gaps."""
    maps = np.asarray(maps, dtype=np.float32)
    count, h, w = maps.shape
    rows = math.ceil(count / columns)
    out = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan, dtype=np.float32)
    for k in range(count):
        tile = maps[k]
        low, high = float(np.min(tile)), float(np.max(tile))
        scaled = (tile - low) / (high - low) if high > low else np.full_like(tile, 0.5)
        r, c = divmod(k, columns)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = scaled
    return out


def heat_rgba(values: np.ndarray) -> np.ndarray:
    """(h, w, 4) uint8 colours of values in [0, 1] through the colour scale; NaN transparent."""
    values = np.asarray(values, dtype=np.float32)
    rgba = np.zeros((*values.shape, 4), dtype=np.uint8)
    index = np.clip(np.nan_to_num(values) * 255, 0, 255).astype(np.uint8)
    rgba[..., :3] = LUT[index]
    rgba[..., 3] = np.where(np.isfinite(values), 255, 0)
    return rgba


def heat_image(values: np.ndarray) -> QImage:
    """An image of values in [0, 1] through the colour scale; NaN is transparent."""
    rgba = heat_rgba(values)
    h, w = rgba.shape[:2]
    image = QImage(rgba.tobytes(), w, h, 4 * w, QImage.Format.Format_RGBA8888)
    return image.copy()  # owns its pixels: the numpy buffer goes away


def thumbnail(
    summary: Any, width: int, height: int, frame: QColor, fill: QColor, colours: Ink = LIGHT_INK
) -> QPixmap:
    """The summary drawn small, for the canvas: a pixmap of width×height on `fill` (the
    theme's node colour: a card under its node), framed."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    box = QRectF(0.5, 0.5, width - 1, height - 1)
    painter.setPen(QPen(frame, 1))
    painter.setBrush(fill)
    painter.drawRoundedRect(box, 3, 3)
    inner = box.adjusted(3, 3, -3, -3)
    paint_summary(painter, summary, inner, colours)
    painter.end()
    return pixmap


def paint_summary(painter: QPainter, summary: Any, rect: QRectF, colours: Ink = LIGHT_INK) -> None:
    """Maps as a grid of heatmaps, bars and probabilities as bars, lines as lines."""
    values = np.asarray(summary.values, dtype=np.float32)
    if summary.kind == "maps" and values.ndim == 3 and values.size:
        count, h, w = values.shape
        cols, _rows = grid_shape(count, h, w, rect.width(), rect.height())
        image = heat_image(mosaic(values, cols))
        target = _fit(rect, image.width(), image.height())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, image)
    elif summary.kind == "lines" and values.ndim == 2 and values.size:
        _paint_lines(painter, values, rect, colours)
    elif values.size:
        best = int(np.argmax(values)) if summary.kind == "probabilities" else -1
        low = 0.0 if summary.kind == "probabilities" else min(0.0, float(values.min()))
        _paint_bars(painter, values.reshape(-1), rect, low, best, colours)


def _fit(rect: QRectF, w: int, h: int) -> QRectF:
    scale = min(rect.width() / max(w, 1), rect.height() / max(h, 1))
    size_w, size_h = w * scale, h * scale
    return QRectF(rect.center().x() - size_w / 2, rect.center().y() - size_h / 2, size_w, size_h)


def _paint_bars(
    painter: QPainter, values: np.ndarray, rect: QRectF, low: float, best: int, colours: Ink
) -> None:
    high = max(float(values.max()), low + 1e-12, 0.0)
    low = min(low, float(values.min()))
    span = high - low or 1.0
    zero = rect.bottom() - (0.0 - low) / span * rect.height()
    step = rect.width() / len(values)
    painter.setPen(Qt.PenStyle.NoPen)
    for i, value in enumerate(values):
        top = rect.bottom() - (float(value) - low) / span * rect.height()
        bar = QRectF(rect.left() + i * step, min(top, zero), max(step * 0.8, 0.6), abs(zero - top))
        painter.setBrush(colours.best if i == best else colours.bar)
        painter.drawRect(bar)


def _paint_lines(painter: QPainter, values: np.ndarray, rect: QRectF, colours: Ink) -> None:
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    span = high - low or 1.0
    points = values.shape[1]
    step = rect.width() / max(points - 1, 1)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for k, line in enumerate(values):
        painter.setPen(QPen(colours.lines[k % len(colours.lines)], 1.2))
        polygon = QPolygonF(
            [
                QPointF(
                    rect.left() + i * step, rect.bottom() - (float(v) - low) / span * rect.height()
                )
                for i, v in enumerate(np.nan_to_num(line))
            ]
        )
        painter.drawPolyline(polygon)
