"""Live training plots: loss, accuracy (or RMSE) and learning rate, this run and a few before.

Each run owns one set of PlotDataItems created when it starts; events only append to its numpy
series, and `redraw()` calls setData once per changed curve — never a new item per event.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout, QWidget

from gui.training.axes import epoch_axis
from gui.training.plot_style import style_plots
from gui.training.series import GrowingSeries, Smoother
from runtime.events import BatchPoint, EpochMetrics, RunStarted

translate = QCoreApplication.translate

# Colour-blind-safe hues (Okabe-Ito), one per run so earlier runs stay distinguishable.
RUN_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
TRAIN_RAW_ALPHA = 70
PLOT_OF = {
    "loss_batch": "loss",
    "loss_smooth": "loss",
    "loss_epoch": "loss",
    "val_loss": "loss",
    "acc_smooth": "metric",
    "acc_epoch": "metric",
    "val_metric": "metric",
    "lr": "lr",
}
HEADROOM = 1.15  # room above the data, so that a slowly growing curve rescales rarely


def _pen(colour: str, width: float = 1.5, alpha: int = 255, dashed: bool = False) -> object:
    c = pg.mkColor(colour)
    c.setAlpha(alpha)
    pen = pg.mkPen(c, width=width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _curve(
    plot: pg.PlotItem,
    pen: object,
    name: str | None = None,
    symbol: str | None = None,
    colour: str = "#000",
) -> pg.PlotDataItem:
    item = pg.PlotDataItem(
        pen=pen,
        name=name,
        symbol=symbol,
        symbolSize=6,
        symbolBrush=pg.mkBrush(colour) if symbol else None,
        symbolPen=None,
        connect="finite",  # a NaN loss breaks the line instead of blanking it
    )
    plot.addItem(item)  # (PlotItem.addItem imposes the plot's own modes; set ours after it)
    # Thin curves to what the pixels can show; draw only the visible x-range.
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    return item


SHORT_PLOTS_PX = 240  # below this height the plots drop their x-axis titles


class RunCurves:
    """One run's series and the plot items that show them."""

    def __init__(self, plots: LivePlots, number: int, started: RunStarted) -> None:
        self.number = number
        self.colour = RUN_COLOURS[(number - 1) % len(RUN_COLOURS)]
        self.batches_per_epoch = max(started.batches_per_epoch, 1)
        self.epochs = started.epochs
        self.classification = started.task == "classification"
        self._smooth_loss = Smoother(0.8)
        self._smooth_acc = Smoother(0.8)
        names = (
            "loss_batch", "loss_smooth", "loss_epoch", "val_loss",
            "acc_smooth", "acc_epoch", "val_metric", "lr",
        )  # fmt: skip
        self.series = {name: GrowingSeries(4096 if "epoch" not in name else 64) for name in names}
        c = self.colour
        lp, mp, rp = plots.loss_plot, plots.metric_plot, plots.lr_plot
        self.items = {
            "loss_batch": _curve(lp, _pen(c, 1, TRAIN_RAW_ALPHA)),
            "loss_smooth": _curve(lp, _pen(c, 2), translate("TrainingPanel", "train (smoothed)")),
            "loss_epoch": _curve(lp, None, translate("TrainingPanel", "train per epoch"), "o", c),
            "val_loss": _curve(lp, _pen(c, 2, dashed=True), "validation", "s", c),
            "acc_smooth": _curve(mp, _pen(c, 2), translate("TrainingPanel", "train (smoothed)")),
            "acc_epoch": _curve(mp, None, translate("TrainingPanel", "train per epoch"), "o", c),
            "val_metric": _curve(mp, _pen(c, 2, dashed=True), "validation", "s", c),
            "lr": _curve(rp, _pen(c, 2)),
        }
        if not self.classification:  # no training accuracy: no curves
            for name in ("acc_smooth", "acc_epoch"):
                self.remove_item(plots, name)

    def add_points(self, points: Iterable[BatchPoint]) -> None:
        s = self.series
        for p in points:
            x = p.epoch - 1 + p.batch / self.batches_per_epoch
            s["loss_batch"].append(x, p.loss)
            s["loss_smooth"].append(x, self._smooth_loss(p.loss))
            if p.accuracy is not None and self.classification:
                s["acc_smooth"].append(x, self._smooth_acc(p.accuracy))
            s["lr"].append(x, p.lr)

    def add_epoch(self, e: EpochMetrics) -> None:
        s = self.series
        s["loss_epoch"].append(e.epoch, e.train_loss)
        if e.train_accuracy is not None and self.classification:
            s["acc_epoch"].append(e.epoch, e.train_accuracy)
        if e.val_loss is not None:
            s["val_loss"].append(e.epoch, e.val_loss)
        metric = e.val_accuracy if self.classification else e.val_rmse
        if metric is not None:
            s["val_metric"].append(e.epoch, metric)

    def redraw(self) -> int:
        """setData on the curves whose series changed; returns how many were redrawn."""
        redrawn = 0
        for name, series in self.series.items():
            if series.changed:
                self.items[name].setData(*series.view())
                series.changed = False
                redrawn += 1
        return redrawn

    def fade(self, plots: LivePlots) -> None:
        """Become a comparison run: thin lines, no raw batch noise, one legend entry."""
        for name in ("loss_batch", "loss_epoch", "acc_epoch", "acc_smooth"):
            self.remove_item(plots, name)
        c = self.colour
        self.items["loss_smooth"].setPen(_pen(c, 1.2, 150))
        self.items["val_loss"].setPen(_pen(c, 1.2, 150, dashed=True))
        self.items["val_loss"].setSymbol(None)
        self.items["val_metric"].setPen(_pen(c, 1.2, 150, dashed=True))
        self.items["val_metric"].setSymbol(None)
        self.items["lr"].setPen(_pen(c, 1.0, 120))

    def reached(self) -> float:
        """How far (in epochs) the run got: the x of its last point."""
        ends = [last[0] for s in self.series.values() if (last := s.last()) is not None]
        return max(ends, default=0.0)

    def remove_item(self, plots: LivePlots, name: str) -> None:
        item = self.items.pop(name, None)
        self.series.pop(name, None)
        if item is not None:
            for plot in (plots.loss_plot, plots.metric_plot, plots.lr_plot):
                if item in plot.items:
                    plot.removeItem(item)

    def remove(self, plots: LivePlots) -> None:
        for name in list(self.items):
            self.remove_item(plots, name)

    def set_visible(self, visible: bool) -> None:
        for item in self.items.values():
            item.setVisible(visible)


class LivePlots(QWidget):
    """Loss on top; accuracy and learning rate below; x in epochs, shared by all three."""

    def __init__(self, history: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history  # earlier runs kept for comparison
        self.runs: list[RunCurves] = []
        self._show_history = True
        self._log_loss = False
        pg.setConfigOptions(antialias=False)  # antialiasing costs more than it shows here
        # The legend sits above the plots, never over a curve, and never clipped by a small plot.
        self.legend = QLabel()
        self.legend.setObjectName("runLegend")
        self.legend.setWordWrap(True)
        self.view = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 1)
        self.loss_plot = self.view.addPlot(row=0, col=0, colspan=2, **epoch_axis())
        self.metric_plot = self.view.addPlot(row=1, col=0, **epoch_axis())
        self.lr_plot = self.view.addPlot(row=1, col=1, **epoch_axis())
        self._classification = True  # what the metric plot shows: accuracy, else RMSE
        self.plots = {"loss": self.loss_plot, "metric": self.metric_plot, "lr": self.lr_plot}
        self._shown: dict[str, tuple[float, float] | None] = dict.fromkeys(self.plots)
        self._user_zoomed: set[str] = set()
        for key, plot in self.plots.items():
            plot.showGrid(x=True, y=True, alpha=0.25)
            box = plot.getViewBox()
            box.setMouseMode(pg.ViewBox.RectMode)
            box.sigRangeChangedManually.connect(lambda *_a, k=key: self._user_zoomed.add(k))
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            # Axes (and their grid lines) are the dearest part of a repaint: cache them as
            # pixmaps, redrawn only when their range changes — which the fixed x range and the
            # y range kept below make rare.
            for side in ("left", "bottom"):
                plot.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._say_titles()
        self._show_legend()

    def _say_titles(self) -> None:
        """The plots' titles and axis labels, in the current language."""
        self.loss_plot.setTitle(translate("TrainingPanel", "Loss"))
        if self._classification:
            self.metric_plot.setTitle(translate("TrainingPanel", "Accuracy"))
        else:
            self.metric_plot.setTitle(translate("TrainingPanel", "Validation RMSE"))
        self.lr_plot.setTitle(translate("TrainingPanel", "Learning rate"))
        for plot in self.plots.values():
            axis = plot.getAxis("bottom")
            shown = axis.label.isVisible() or not axis.labelText  # hidden in a short dock
            axis.setLabel(translate("TrainingPanel", "epoch"))
            axis.showLabel(shown)
        style_plots(self.view, self.plots.values(), self.palette())  # the titles' colour
        self._wide: bool | None = None
        self._arrange(wide=False)

    def _arrange(self, wide: bool) -> None:
        """Loss above the other two, or (in a wide, short dock) all three in one row."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self.view.ci
        for plot in self.plots.values():
            grid.removeItem(plot)
        if wide:
            for col, plot in enumerate(self.plots.values()):
                grid.addItem(plot, row=0, col=col)
            for col, stretch in enumerate((2, 1, 1)):
                grid.layout.setColumnStretchFactor(col, stretch)
            grid.layout.setRowStretchFactor(1, 0)
        else:
            grid.addItem(self.loss_plot, row=0, col=0, colspan=2)
            grid.addItem(self.metric_plot, row=1, col=0)
            grid.addItem(self.lr_plot, row=1, col=1)
            for col, stretch in enumerate((1, 1, 0)):
                grid.layout.setColumnStretchFactor(col, stretch)
            grid.layout.setRowStretchFactor(0, 3)
            grid.layout.setRowStretchFactor(1, 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        self._arrange(wide=size.width() > 2.6 * size.height())
        # In a short dock the word "epoch" under each x axis costs a fifth of the curves' height;
        # the axis numbers and the plot titles say enough there.
        for plot in self.plots.values():
            plot.getAxis("bottom").showLabel(size.height() >= SHORT_PLOTS_PX)

    @property
    def current(self) -> RunCurves | None:
        return self.runs[-1] if self.runs else None

    def begin_run(self, started: RunStarted) -> RunCurves:
        if self.current is not None:
            self.current.fade(self)
            self.current.set_visible(self._show_history)
        while len(self.runs) > self.history:
            self.runs.pop(0).remove(self)
        number = self.runs[-1].number + 1 if self.runs else 1
        run = RunCurves(self, number, started)
        self.runs.append(run)
        classification = self._classification = started.task == "classification"
        # The whole run's width from the start: the x axis never moves while it trains, and
        # one sees how far along it is.
        epochs = max(r.epochs for r in self.runs if r is run or self._show_history)
        self._user_zoomed.clear()
        self._shown = dict.fromkeys(self.plots)
        for key, plot in self.plots.items():
            plot.enableAutoRange(x=False, y=key == "loss" and self._log_loss)
            plot.setXRange(0, max(epochs, 1), padding=0.01)
        if classification:
            self.metric_plot.setYRange(0, 1.02, padding=0)
            self._shown["metric"] = (0.0, 1.02)
        self._say_titles()
        self._show_legend()
        return run

    def forget_current(self) -> None:
        """Take the latest run's curves away: it goes on as a resumed run, which shows them."""
        if self.runs:
            self.runs.pop().remove(self)

    def end_run(self) -> None:
        """A run that stopped early: the x axis ends where the shown runs got to, not where the
        stopped one had planned to go."""
        shown = [r for r in self.runs if r is self.current or self._show_history]
        reached = max((r.reached() for r in shown), default=0.0)
        if reached <= 0:
            return
        for plot in self.plots.values():
            plot.setXRange(0, max(reached, 1e-3), padding=0.01)

    def _show_legend(self) -> None:
        """What the line styles mean for this run, and the colour of each earlier run shown."""
        run = self.current
        if run is None:
            self.legend.setText("")
            self.legend.hide()
            return

        def sample(colour: str, mark: str) -> str:
            return f'<span style="color:{colour}">{mark}</span>'

        c = run.colour
        run_n = self.tr("run {number}")
        parts = [
            "<b>" + html.escape(run_n.format(number=run.number)) + "</b>",
            sample(c, "━━") + " " + html.escape(self.tr("train (smoothed)")),
            sample(c, "●") + " " + html.escape(self.tr("train per epoch")),
            sample(c, "╍ ■") + " " + html.escape(self.tr("validation")),
        ]
        if self._show_history:
            parts += [
                sample(r.colour, "━━") + " " + html.escape(run_n.format(number=r.number))
                for r in self.runs[:-1]
            ]
        self.legend.setText(" &nbsp; ".join(parts))
        self.legend.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            style_plots(self.view, self.plots.values(), self.palette())
        elif event.type() == QEvent.Type.LanguageChange:
            self._say_titles()
            self._show_legend()
        super().changeEvent(event)

    def set_log_loss(self, log: bool) -> None:
        self._log_loss = log
        self.loss_plot.setLogMode(y=log)
        self._shown["loss"] = None
        # Log ranges are left to pyqtgraph (rare option, and the cost is only while it is on).
        self.loss_plot.enableAutoRange(y=log)
        if not log:
            self._fit_y()

    def show_history(self, show: bool) -> None:
        self._show_history = show
        for run in self.runs[:-1]:
            run.set_visible(show)
        self._fit_y()
        self._show_legend()

    def clear(self) -> None:
        """Forget every run (another project was opened)."""
        for run in self.runs:
            run.remove(self)
        self.runs.clear()
        self._user_zoomed.clear()
        self._shown = dict.fromkeys(self.plots)
        for plot in self.plots.values():
            plot.setXRange(0, 1, padding=0.01)
            plot.setYRange(0, 1, padding=0.01)
        self._show_legend()

    def redraw(self) -> int:
        run = self.current
        if run is None:
            return 0
        redrawn = run.redraw()
        if redrawn:
            self._fit_y()
        return redrawn

    def _fit_y(self) -> None:
        """Widen a plot's y range only when data leaves it (with headroom): most ticks change
        no range, so no axis is redrawn. Metrics are mostly >= 0, so the range starts at 0
        (a flat learning rate then reads as its value, not as 0 in a ±0.5 band)."""
        shown_runs = [r for r in self.runs if r is self.current or self._show_history]
        for key, plot in self.plots.items():
            if key in self._user_zoomed or (key == "loss" and self._log_loss):
                continue
            lows, highs = [], []
            for r in shown_runs:
                for name, series in r.series.items():
                    if PLOT_OF[name] == key and len(series) and series.high >= series.low:
                        lows.append(series.low)
                        highs.append(series.high)
            if not highs:
                continue
            low, high = min(0.0, min(lows)), max(highs)
            shown = self._shown[key]
            if shown is not None and shown[0] <= low and high <= shown[1]:
                continue
            span = (high - low) or abs(high) or 1.0
            bottom = 0.0 if low >= 0 else low - (HEADROOM - 1) * span
            top = high + (HEADROOM - 1) * span
            self._shown[key] = (bottom, top)
            plot.setYRange(bottom, top, padding=0)

    def curve_lengths(self) -> dict[str, int]:
        """Points held by each curve of the current run (what tests wait on)."""
        if self.current is None:
            return {}
        items = self.current.items.items()
        return {name: 0 if item.xData is None else len(item.xData) for name, item in items}


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
