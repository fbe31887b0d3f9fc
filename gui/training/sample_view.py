"""The Sample dock: pick a sample (by index, the next one, a random one) and see, full size,
what the selected node makes of it: a grid of per-channel heatmaps, bars, lines, or the class
probabilities. It only shows what it is given (gui/training/sample_controller.py feeds it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.canvas.style import is_dark
from gui.training.plot_style import style_plots
from gui.training.sample_render import grid_shape, heat_rgba, ink, mosaic

translate = QCoreApplication.translate
FULL_GRID = (480, 480)  # the box the mosaic of channels is laid out for


class SampleView(QWidget):
    """The chooser, what the sample is and what the network says, and the chosen node's view."""

    indexChosen = Signal(int)
    nextAsked = Signal()
    randomAsked = Signal()
    languageChanged = Signal()  # texts made with fields are made again by whoever made them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = QSpinBox()
        self.index.setObjectName("sampleIndex")
        self.index.setRange(0, 0)
        self.index.setKeyboardTracking(False)  # typing "123" asks once, not for 1, 12, 123
        self.index.setToolTip(translate("SampleView", "Which sample of the validation split"))
        self.next_button = QPushButton(translate("SampleView", "Next"))
        self.random_button = QPushButton(translate("SampleView", "Random"))
        self.index.valueChanged.connect(self.indexChosen)
        self.next_button.clicked.connect(self.nextAsked)
        self.random_button.clicked.connect(self.randomAsked)
        row = QHBoxLayout()
        row.addWidget(QLabel(translate("SampleView", "Sample")))
        row.addWidget(self.index, 1)
        row.addWidget(self.next_button)
        row.addWidget(self.random_button)
        self.info = QLabel()
        self.info.setObjectName("sampleInfo")
        self.info.setWordWrap(True)
        self.title = QLabel()
        self.title.setObjectName("sampleNodeTitle")
        self.title.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setMinimumHeight(220)
        self.plot = self.plots.addPlot()
        self.plot.setMenuEnabled(False)
        style_plots(self.plots, (self.plot,), self.palette())
        self.image_item = pg.ImageItem()
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=0.8)
        self.curves: list[pg.PlotDataItem] = []
        self.shown_kind = ""  # what the full view shows now: "maps", "bars", ... or ""
        self._shown: tuple = ("", None, ())  # show_node's arguments, to paint again
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.info)
        layout.addWidget(self.title)
        layout.addWidget(self.plots, 1)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.languageChanged.emit()
        elif event.type() == QEvent.Type.PaletteChange:  # the theme: plot and bars follow it
            style_plots(self.plots, (self.plot,), self.palette())
            self.show_node(*self._shown)
        super().changeEvent(event)

    def set_count(self, count: int) -> None:
        """How many samples there are to choose from."""
        self.index.blockSignals(True)
        self.index.setRange(0, max(0, count - 1))
        self.index.blockSignals(False)

    def set_index(self, index: int) -> None:
        self.index.blockSignals(True)
        self.index.setValue(index)
        self.index.blockSignals(False)

    def show_node(self, title: str, summary: Any, class_names: tuple[str, ...] = ()) -> None:
        """The node's full view; `summary` None: nothing to show for it."""
        self._shown = (title, summary, class_names)
        self.title.setText(title)
        self.plot.clear()
        self.curves = []
        self.shown_kind = ""
        bottom = self.plot.getAxis("bottom")
        bottom.setTicks(None)
        self.plot.invertY(False)
        self.plot.setAspectLocked(False)
        maps = summary is not None and summary.kind == "maps"
        for side in ("left", "bottom"):  # pixel numbers say nothing about a grid of maps
            self.plot.showAxis(side, not maps)
        if summary is None:
            return
        values = np.asarray(summary.values, dtype=np.float32)
        self.shown_kind = summary.kind
        colours = ink(is_dark(self.palette()))
        if summary.kind == "maps" and values.ndim == 3:
            count, h, w = values.shape
            cols, _rows = grid_shape(count, h, w, *FULL_GRID)
            # pyqtgraph reads images column-major: x first
            self.image_item.setImage(heat_rgba(mosaic(values, cols)).transpose(1, 0, 2))
            self.plot.addItem(self.image_item)
            self.plot.invertY(True)
            self.plot.setAspectLocked(True)
            self.plot.autoRange(padding=0.02)
        elif summary.kind == "lines" and values.ndim == 2:
            for k, line in enumerate(values):
                pen = pg.mkPen(colours.lines[k % len(colours.lines)], width=2)
                self.curves.append(self.plot.plot(np.arange(len(line)), line, pen=pen))
        else:
            values = values.reshape(-1)
            brushes = [pg.mkBrush(colours.bar)] * len(values)
            if summary.kind == "probabilities" and len(values):
                brushes[int(np.argmax(values))] = pg.mkBrush(colours.best)
                names = [str(i) for i in range(len(values))]
                names[: len(class_names)] = class_names[: len(values)]
                bottom.setTicks([list(enumerate(names))])
            self.bar_item = pg.BarGraphItem(
                x=np.arange(len(values)), height=values, width=0.8, brushes=brushes
            )
            self.plot.addItem(self.bar_item)
            self.plot.autoRange()
