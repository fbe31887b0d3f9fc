"""A glance at the chosen dataset before training: a few sample images, a scatter of 2-D points,
or a few sequences, with the sample shape and the number of samples and classes.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.training.plot_style import plot_colours, style_plots
from gui.training.plots import RUN_COLOURS
from i18n import localize, message_of

translate = QCoreApplication.translate

LABEL_COLOUR = "#E69F00"  # class labels on the tiles: reads on light and dark alike
TILES = 10  # sample images shown (one per class where possible)
PREVIEW_SAMPLES = 2000  # enough for a scatter; the caption still counts them all


def load_preview(
    dataset: str, options: dict[str, Any] | None = None, input_shape: list[int] | None = None
) -> dict[str, Any]:
    """A slice of a dataset as numpy, read the way a run reads it for an Input of `input_shape`
    (a sin → cos window as long as the Input's sequence, images at its size); never downloads."""
    from recipe import data as data_sources
    from recipe.config import TrainConfig
    from runtime.datasets import load_dataset

    options = dict(options or {})
    loader, _kwargs = data_sources.dataset_loader(dataset, options)
    if loader == "load_torchvision":
        options["download"] = False  # a preview must not reach the network
    config = TrainConfig(dataset=dataset, dataset_options=options)
    x, y, info = load_dataset(config, list(input_shape or []))
    image_shape = info.get("image_shape")
    x = x[:PREVIEW_SAMPLES].numpy()
    if image_shape:  # digits come as 64 values; show them as the 8×8 images they are
        x = x.reshape(len(x), *image_shape)
    return {
        "x": x,
        "y": y[:PREVIEW_SAMPLES].numpy(),
        "total": len(y),
        "task": info.get("task"),
        "class_names": info.get("class_names"),
        "sample_shape": info.get("sample_shape"),
    }


def pick_examples(y: np.ndarray | None, count: int) -> np.ndarray:
    """Indices of up to `count` samples, one per class first, so every class shows."""
    if y is None or y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        return np.arange(min(count, len(y) if y is not None else count))
    _, first = np.unique(y, return_index=True)
    picks = list(np.sort(first)[:count])
    for i in range(len(y)):
        if len(picks) >= count:
            break
        if i not in picks:
            picks.append(i)
    return np.array(picks[:count], dtype=np.int64)


def mosaic(images: np.ndarray, columns: int) -> np.ndarray:
    """Tile (N, H, W) or (N, H, W, 3) images in a grid with a 1-pixel gap, rows top first."""
    n, h, w = images.shape[:3]
    rows = -(-n // columns)
    shape = (rows * (h + 1) - 1, columns * (w + 1) - 1, *images.shape[3:])
    out = np.full(shape, np.nan if images.ndim == 3 else 1.0, dtype=float)
    for k in range(n):
        r, c = divmod(k, columns)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = images[k]
    return out


def _as_images(x: np.ndarray) -> np.ndarray | None:
    """(N, H, W) grey or (N, H, W, 3) colour from channel-first samples; None if not images."""
    if x.ndim == 3:
        return x
    if x.ndim == 4 and x.shape[1] == 1:
        return x[:, 0]
    if x.ndim == 4 and x.shape[1] == 3:
        rgb = np.moveaxis(x, 1, -1).astype(float)
        lo, hi = rgb.min(), rgb.max()
        return (rgb - lo) / (hi - lo) if hi > lo else rgb
    return None


class DatasetPreview(QWidget):
    """Loads on a background thread (datasets import torch), only once the panel is shown."""

    loaded = Signal(object, object)  # request key, dict from load_preview or an error message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: str | None = None
        self._key: object = None
        self._pending: tuple[str, dict[str, Any] | None, list[int] | None] | None = None
        self._shown_once = False
        self._loading = False
        self.loaded.connect(self._on_loaded)
        self.caption = QLabel(translate("TrainingPanel", "Choose a dataset to see a few samples."))
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setMinimumHeight(150)
        self.plot = self.view.addPlot()
        self.plot.hideButtons()
        style_plots(self.view, (self.plot,), self.palette())
        self._shown_args: tuple | None = None  # what is drawn, to draw again in new colours
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        self.view.hide()
        self.kind = "none"  # images, points, sequences, table or none

    def refresh(
        self,
        dataset: str,
        options: dict[str, Any] | None = None,
        input_shape: list[int] | None = None,
    ) -> None:
        """Preview `dataset` read with `options` for an Input of `input_shape` (now if shown,
        else when first shown)."""
        key = (dataset, json.dumps(options or {}, sort_keys=True, default=str), input_shape)
        if key == self._key:
            return
        self._key = key
        self.dataset = dataset
        if not self._shown_once:
            self._pending = (dataset, options, input_shape)
            return
        self._say_loading()
        worker = threading.Thread(
            target=self._load,
            args=(key, dataset, options, input_shape),
            name="netwright-preview",
            daemon=True,
        )
        worker.start()

    def _say_loading(self) -> None:
        self._shown_args, self._loading = None, True
        self.caption.setText(
            translate("TrainingPanel", "Loading {dataset}…").format(dataset=self.dataset)
        )

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self._pending is not None:
                (dataset, options, shape), self._pending, self._key = self._pending, None, None
                self.refresh(dataset, options, shape)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.kind != "none":  # keep the samples centred and whole as the panel resizes
            self.plot.autoRange(padding=0.02)

    def _load(
        self,
        key: object,
        dataset: str,
        options: dict[str, Any] | None,
        input_shape: list[int] | None,
    ) -> None:
        try:  # on the background thread
            result: object = load_preview(dataset, options, input_shape)
        except Exception as exc:  # any loader failure is a message, never a crash
            result = translate("TrainingPanel", "Cannot preview {dataset}: {error}").format(
                dataset=dataset, error=localize(message_of(exc))
            )
        if shiboken6.isValid(self):  # the panel may have gone while it loaded
            self.loaded.emit(key, result)

    def _on_loaded(self, key: object, result: object) -> None:
        if key != self._key:
            return  # the choice changed while it loaded
        self._loading = False
        if isinstance(result, dict):
            self.show_samples(
                result["x"],
                result["y"],
                self.dataset or "",
                result["task"],
                result["class_names"],
                result["total"],
                result["sample_shape"],
            )
        else:
            self.show_message(str(result))

    def show_message(self, text: str) -> None:
        self._shown_args = None
        self.caption.setText(text)
        self.plot.clear()
        self.view.hide()
        self.kind = "none"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            style_plots(self.view, (self.plot,), self.palette())
            if self._shown_args is not None:
                self.show_samples(*self._shown_args)  # ink and labels follow the theme
        elif event.type() == QEvent.Type.LanguageChange:
            if self._shown_args is not None:
                self.show_samples(*self._shown_args)
            elif self._loading:
                self._say_loading()  # (a failure's message stays as it was said)
        super().changeEvent(event)

    def show_samples(
        self,
        x: np.ndarray,
        y: np.ndarray | None,
        name: str,
        task: str | None = None,
        class_names: list[str] | None = None,
        total: int | None = None,
        sample_shape: list[int] | None = None,
    ) -> None:
        """Draw `x` (samples, channel-first as the network sees them) and describe the set."""
        self._shown_args = (x, y, name, task, class_names, total, sample_shape)
        x = np.asarray(x)
        y = None if y is None else np.asarray(y)
        dims = sample_shape if sample_shape is not None else x.shape[1:]
        shape = ", ".join(str(d) for d in dims) or translate("TrainingPanel", "scalar")
        count = total if total is not None else len(x)
        words = [
            translate("TrainingPanel", "{name}: {count:,} samples of shape [{shape}]").format(
                name=name, count=count, shape=shape
            )
        ]
        if task == "classification" and y is not None:
            classes = len(class_names) if class_names else len(np.unique(y))
            words.append(translate("TrainingPanel", "{count} classes").format(count=classes))
        elif task:
            words.append(translate("TrainingPanel", task))
        self.caption.setText(" · ".join(words))
        self.view.show()
        self.plot.clear()
        self.plot.setAspectLocked(False)
        self.plot.invertY(False)
        for axis in ("left", "bottom"):
            self.plot.showAxis(axis)
        images = _as_images(x) if x.ndim >= 3 else None
        if images is not None and images.shape[1] >= 4 and images.shape[2] >= 4:
            self._show_images(images, y, class_names)
        elif x.ndim == 2 and x.shape[1] == 2:
            self._show_points(x, y)
        elif x.ndim >= 2 and (x.ndim == 3 or x.shape[1] > 8):
            self._show_sequences(x, y)
        else:
            self._show_points(x[:, :2] if x.ndim == 2 and x.shape[1] > 2 else x, y)

    def _show_images(
        self, images: np.ndarray, y: np.ndarray | None, class_names: list[str] | None
    ) -> None:
        self.kind = "images"
        picks = pick_examples(y, TILES)
        tiles = mosaic(images[picks].astype(float), columns=5)
        item = pg.ImageItem(tiles, axisOrder="row-major")
        background, text, _axis = plot_colours(self.palette())
        if tiles.ndim == 2:
            # Ink in the text colour on the plot's background: digits drawn on paper (or, in the
            # dark theme, chalk on a board).
            ink = pg.ColorMap([0.0, 1.0], [background.getRgb()[:3], text.getRgb()[:3]])
            item.setLookupTable(ink.getLookupTable(nPts=256))
            finite = tiles[np.isfinite(tiles)]
            item.setLevels((float(finite.min()), float(finite.max())))
        self.plot.addItem(item)
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        for axis in ("left", "bottom"):
            self.plot.hideAxis(axis)
        h, w = images.shape[1:3]
        if y is not None:
            for k, index in enumerate(picks):
                r, c = divmod(k, 5)
                label = class_names[int(y[index])] if class_names else str(y[index])
                tag = pg.TextItem(label, color=LABEL_COLOUR, anchor=(0, 0))
                tag.setPos(c * (w + 1), r * (h + 1))
                self.plot.addItem(tag)
        self.plot.autoRange(padding=0.02)

    def _show_points(self, x: np.ndarray, y: np.ndarray | None) -> None:
        self.kind = "points"
        pts = x.reshape(len(x), -1)
        if pts.shape[1] == 1:
            pts = np.column_stack([pts[:, 0], y if y is not None else np.zeros(len(pts))])
        n = min(len(pts), 2000)
        colours = [pg.mkBrush(RUN_COLOURS[0])] * n
        if y is not None and y.ndim == 1 and np.issubdtype(y.dtype, np.integer):
            colours = [pg.mkBrush(RUN_COLOURS[int(c) % len(RUN_COLOURS)]) for c in y[:n]]
        scatter = pg.ScatterPlotItem(pts[:n, 0], pts[:n, 1], size=5, pen=None, brush=colours)
        self.plot.addItem(scatter)
        self.plot.autoRange()

    def _show_sequences(self, x: np.ndarray, y: np.ndarray | None) -> None:
        self.kind = "sequences"
        seqs = x.reshape(len(x), x.shape[1], -1)[:, :, 0]
        for k in range(min(3, len(seqs))):
            self.plot.plot(seqs[k], pen=pg.mkPen(RUN_COLOURS[k], width=1.5))
            if y is not None and np.asarray(y).ndim >= 2:
                target = np.asarray(y).reshape(len(y), -1)[k]
                pen = pg.mkPen(RUN_COLOURS[k], width=1.5, style=Qt.PenStyle.DashLine)
                self.plot.plot(target, pen=pen)
        self.plot.autoRange()
