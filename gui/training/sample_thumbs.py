"""The thumbnails under the canvas's nodes: what each node of the drawing shown makes of the
chosen sample. A new sample repaints them a chunk at a time, the nodes in sight first, so a
drawing of a thousand nodes never holds the GUI thread for more than a few milliseconds. They
are cards in the canvas's own colours (its CanvasStyle), painted again when the theme changes."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRectF, QTimer
from PySide6.QtGui import QColor

from gui.canvas.activation_item import THUMB_HEIGHT, THUMB_WIDTH, ActivationThumb
from gui.training.sample_render import ink, thumbnail
from runtime.events import SampleActivations

CHUNK = 40  # thumbnails painted per turn of the event loop (about 20 ms)
FILL_ALPHA = 235  # the card lets a wire behind it show through, faintly


class SampleThumbs(QObject):
    def __init__(self, scene: Any, in_sight: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.in_sight = in_sight  # () -> the scene rect the canvas shows, to paint it first
        self.items: dict[str, ActivationThumb] = {}
        self._sample: SampleActivations | None = None
        self._prefix = ""
        self._queue: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._paint_some)
        scene.styleChanged.connect(self._restyle)

    def _restyle(self) -> None:
        if self.items:  # pixmaps in the old theme's colours are on the canvas
            self.show(self._sample, self._prefix)

    def show(self, sample: SampleActivations | None, prefix: str) -> None:
        """Repaint every thumbnail from `sample` (node keys are `prefix` + node id)."""
        self._sample, self._prefix = sample, prefix
        nodes = self.scene.nodes
        seen: QRectF | None = self.in_sight() if self.in_sight is not None else None
        ids = list(nodes)
        if seen is not None:
            ids.sort(key=lambda n: not seen.intersects(nodes[n].sceneBoundingRect()))
        self._queue = ids
        self._paint_some()
        if self._queue:
            self._timer.start()

    def _paint_some(self) -> None:
        nodes = self.scene.nodes
        sample = self._sample
        style = self.scene.style
        fill = QColor(style.node_fill)
        fill.setAlpha(FILL_ALPHA)
        colours = ink(style.dark)
        for node_id in self._queue[:CHUNK]:
            node_item = nodes.get(node_id)
            if node_item is None:
                continue
            summary = sample.nodes.get(self._prefix + node_id) if sample is not None else None
            thumb = self.items.get(node_id)
            if thumb is not None and (
                not shiboken6.isValid(thumb) or thumb.parentItem() is not node_item
            ):
                thumb = None  # the canvas made its nodes anew (another drawing opened)
            if summary is None:
                if thumb is not None:
                    thumb.hide()
                continue
            if thumb is None:
                thumb = self.items[node_id] = ActivationThumb(node_item)
            picture = thumbnail(
                summary, THUMB_WIDTH, THUMB_HEIGHT, style.node_border, fill, colours
            )
            thumb.show_pixmap(picture, node_item.height)
        del self._queue[:CHUNK]
        if not self._queue:
            self._timer.stop()

    def clear(self) -> None:
        self._queue = []
        self._timer.stop()
        for thumb in self.items.values():
            if shiboken6.isValid(thumb):
                thumb.hide()
        self.items = {}

    def pixmap_of(self, node_id: str) -> Any:
        thumb = self.items.get(node_id)
        if thumb is None or not shiboken6.isValid(thumb) or not thumb.isVisible():
            return None
        return thumb.pixmap()
