"""Gradient flow on the canvas: the per-layer statistics of a live run (runtime.layer_stats)
tint their nodes, a legend explains the colours, the inspector's Layer statistics section shows
the chosen statistic's history for the selected node, and vanishing or exploding gradients and
dead ReLUs are written on the nodes. Nodes inside blocks have their own statistics (keyed by
their path, "b1/conv1"): an opened block's nodes are tinted too.

It only listens: the panel hands it the LayerStats events it drained, the canvas its selection.
The tint is a child item over each node, so the canvas's own painting is untouched.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QGroupBox,
    QLabel,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from gui.training.plot_style import style_plots
from runtime.events import LayerStats, RunStarted

translate = QCoreApplication.translate
# statistic -> (its name in the chooser, shown on a log scale, the legend's fixed range in its
# units or None for the run's own range). The gradient norm's scale spans the two warning
# thresholds (1e-7 vanishing, 1e3 exploding): blue is the vanishing end, red the exploding one.
STATISTICS = {
    "grad_norm": (QT_TRANSLATE_NOOP("GradientFlow", "gradient norm"), True, (-7.0, 3.0)),
    "update_ratio": (
        QT_TRANSLATE_NOOP("GradientFlow", "update / weight ratio"),
        True,
        (-6.0, 0.0),
    ),
    "act_mean": (QT_TRANSLATE_NOOP("GradientFlow", "activation mean"), False, None),
    "act_std": (QT_TRANSLATE_NOOP("GradientFlow", "activation std"), False, None),
    "dead_fraction": (QT_TRANSLATE_NOOP("GradientFlow", "dead ReLU fraction"), False, (0.0, 1.0)),
}
WARNING_WORDS = {
    "vanishing": QT_TRANSLATE_NOOP("GradientFlow", "vanishing gradient"),
    "exploding": QT_TRANSLATE_NOOP("GradientFlow", "exploding gradient"),
    "dead": QT_TRANSLATE_NOOP("GradientFlow", "dead ReLUs"),
}
LOW, HIGH = QColor("#2c7bb6"), QColor("#d7191c")  # blue (low) to red (high), through yellow
MIDDLE = QColor("#ffffbf")
TINT_ALPHA = 150
HISTORY = 2000  # samples kept per node
LAYER_STATS_EVERY = 20  # batches between samples while the statistics are on


def colour_at(t: float) -> QColor:
    """The legend's colour at t in [0, 1]."""
    t = min(1.0, max(0.0, t))
    a, b, u = (LOW, MIDDLE, t * 2) if t < 0.5 else (MIDDLE, HIGH, t * 2 - 1)
    return QColor(
        round(a.red() + (b.red() - a.red()) * u),
        round(a.green() + (b.green() - a.green()) * u),
        round(a.blue() + (b.blue() - a.blue()) * u),
    )


class StatsHistory:
    """Every sample of a run: node -> statistic -> [(step, value)], and the latest warnings."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, list[tuple[int, float]]]] = {}
        self.warnings: dict[str, list[str]] = {}
        self.latest: dict[str, dict[str, float]] = {}

    def add(self, sample: LayerStats) -> None:
        for node, figures in sample.values.items():
            per_node = self.values.setdefault(node, {})
            for name, value in figures.items():
                series = per_node.setdefault(name, [])
                series.append((sample.step, value))
                del series[:-HISTORY]
            self.latest[node] = dict(figures)
        self.warnings = {k: list(v) for k, v in sample.warnings.items()}

    def series(self, node: str, statistic: str) -> tuple[list[int], list[float]]:
        points = self.values.get(node, {}).get(statistic, [])
        return [p[0] for p in points], [p[1] for p in points]

    def scale(self, statistic: str) -> tuple[float, float] | None:
        """The (low, high) of the latest values across nodes, in the legend's units."""
        _label, log, fixed = STATISTICS[statistic]
        if fixed is not None:
            return fixed
        values = [_unit(v[statistic], log) for v in self.latest.values() if statistic in v]
        values = [v for v in values if math.isfinite(v)]
        if not values:
            return None
        return min(values), max(values)


def _unit(value: float, log: bool) -> float:
    if not log:
        return value
    return math.log10(value) if value > 0 else -math.inf


class TintItem(QGraphicsRectItem):
    """A translucent wash over one node with its value, and its warnings below it."""

    def __init__(self, node_item: QGraphicsItem) -> None:
        super().__init__(node_item)
        self.setPen(Qt.PenStyle.NoPen)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(5)
        self.colour: QColor | None = None
        self.text = ""
        self.warning = ""

    def show_value(self, colour: QColor | None, text: str, warning: str) -> None:
        self.setRect(self.parentItem().boundingRect())
        self.colour, self.text, self.warning = colour, text, warning
        self.setVisible(colour is not None or bool(warning))
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.rect()
        if self.colour is not None:
            fill = QColor(self.colour)
            fill.setAlpha(TINT_ALPHA)
            painter.setPen(QPen(self.colour.darker(130), 2))
            painter.setBrush(QBrush(fill))
            painter.drawRoundedRect(rect, 6, 6)
            painter.setPen(QColor("#111"))
            painter.setFont(QFont(painter.font().family(), 8, QFont.Weight.Bold))
            painter.drawText(
                rect.adjusted(0, 0, -6, -2),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                self.text,
            )
        if self.warning:
            band = QRectF(rect.left(), rect.bottom() + 2, rect.width(), 16)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#a4262c"))
            painter.drawRoundedRect(band, 4, 4)
            painter.setPen(QColor("white"))
            painter.setFont(QFont(painter.font().family(), 8, QFont.Weight.Bold))
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, "⚠ " + self.warning)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-2, -2, 2, 22)


class LegendBar(QWidget):
    """The colour scale, its ends in the statistic's units."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(18)
        self.low_text = self.high_text = ""

    def set_range(self, low: str, high: str) -> None:
        self.low_text, self.high_text = low, high
        self.update()

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        gradient = QLinearGradient(0, 0, self.width(), 0)
        for stop in (0.0, 0.25, 0.5, 0.75, 1.0):
            gradient.setColorAt(stop, colour_at(stop))
        painter.fillRect(self.rect(), gradient)
        painter.setPen(QColor("#111"))
        painter.drawText(
            self.rect().adjusted(4, 0, -4, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.low_text,
        )
        painter.drawText(
            self.rect().adjusted(4, 0, -4, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            self.high_text,
        )


class LayerStatsPanel(QWidget):
    """The chooser, the legend, and the chosen statistic's history for the selected node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collect = QCheckBox(translate("GradientFlow", "Collect layer statistics during runs"))
        self.collect.setChecked(True)
        self.statistic = QComboBox()
        for key, (label, _log, _range) in STATISTICS.items():
            self.statistic.addItem(translate("GradientFlow", label), key)
        self.legend = LegendBar()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.thresholds = QLabel(
            translate(
                "GradientFlow",
                "Warnings: gradient norm below 1e-7 (vanishing) or above 1e3 (exploding); half "
                "or more of a ReLU's units zero for a whole batch (dead).",
            )
        )
        self.thresholds.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setMinimumHeight(140)
        self.plot = self.plots.addPlot()
        self.plot.setLabel("bottom", translate("GradientFlow", "step"))
        self.curve = self.plot.plot(pen=pg.mkPen("#0072B2", width=2))
        style_plots(self.plots, (self.plot,), self.palette())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (
            self.collect,
            self.statistic,
            self.legend,
            self.caption,
            self.plots,
            self.thresholds,
        ):
            layout.addWidget(widget)


class GradientFlow(QObject):
    """Ties the statistics of a run to the canvas's nodes and the inspector's section."""

    def __init__(
        self,
        scene: Any,
        panel_widget: LayerStatsPanel,
        parent: QObject | None = None,
        stack: Any = None,
    ):
        super().__init__(parent)
        self.scene = scene
        self.view = panel_widget
        self.stack = stack  # the document's DrawingStack: which drawing the canvas shows
        self.history = StatsHistory()
        self.tints: dict[str, TintItem] = {}
        self.node: str | None = None  # the selected node's path ("b1/conv1" inside a block)
        self.curve_data: tuple[list[int], list[float]] = ([], [])  # the history on show
        self.view.statistic.currentIndexChanged.connect(self.redraw)

    def prefix(self) -> str:
        """The path of the drawing the canvas shows: "" at the top, "b1/" inside instance b1."""
        path = self.stack.path() if self.stack is not None else []
        return "/".join(path) + "/" if path else ""

    @property
    def statistic(self) -> str:
        return self.view.statistic.currentData()

    def every(self) -> int:
        """Batches between samples for the next run; 0 when the statistics are off."""
        return LAYER_STATS_EVERY if self.view.collect.isChecked() else 0

    def take(self, events: list[Any]) -> None:
        """A tick's events from the panel: a new run clears, samples accumulate."""
        changed = False
        for event in events:
            if isinstance(event, RunStarted):
                self.clear()
            elif isinstance(event, LayerStats):
                self.history.add(event)
                changed = True
        if changed:
            self.redraw()

    def clear(self) -> None:
        self.history = StatsHistory()
        for tint in self.tints.values():
            if shiboken6.isValid(tint) and tint.scene() is not None:
                tint.scene().removeItem(tint)
        self.tints = {}
        self.redraw()

    def select(self, node_ids: list[str]) -> None:
        self.node = self.prefix() + node_ids[0] if node_ids else None
        self._show_history()

    def redraw(self) -> None:
        statistic = self.statistic
        label, log, _range = STATISTICS[statistic]
        scale = self.history.scale(statistic) if self.history.latest else None
        if scale is None:
            self.view.legend.set_range("", "")
            self.view.caption.setText(
                translate("GradientFlow", "No statistics yet: start a run to tint the nodes.")
            )
        else:
            low, high = scale
            self.view.legend.set_range(_label(low, log), _label(high, log))
            self.view.caption.setText(
                translate(
                    "GradientFlow", "Nodes tinted by {statistic}: blue low, red high."
                ).format(statistic=translate("GradientFlow", label))
            )
        prefix = self.prefix()
        self.tints = {k: t for k, t in self.tints.items() if self._tint(k) is not None}
        for node_id, item in self.scene.nodes.items():
            key = prefix + node_id
            value = self.history.latest.get(key, {}).get(statistic)
            warning = ", ".join(
                translate("GradientFlow", WARNING_WORDS[w])
                for w in self.history.warnings.get(key, [])
                if w in WARNING_WORDS
            )
            tint = self.tints.get(node_id)  # none where the canvas made its nodes anew
            if value is None and not warning and tint is None:
                continue
            if tint is None:
                tint = self.tints[node_id] = TintItem(item)
            colour = None
            if value is not None and scale is not None:
                u = _unit(value, log)
                low, high = scale
                t = 0.5 if high <= low else (u - low) / (high - low) if math.isfinite(u) else 0.0
                colour = colour_at(t)
            tint.show_value(colour, "" if value is None else f"{value:.3g}", warning)
        self._show_history()

    def _tint(self, node_id: str) -> TintItem | None:
        """The tint over a node of the drawing the canvas shows now."""
        tint = self.tints.get(node_id)
        if tint is None or not shiboken6.isValid(tint):
            return None
        return tint if tint.parentItem() is self.scene.nodes.get(node_id) else None

    def tint_of(self, node_id: str) -> QColor | None:
        tint = self._tint(node_id)
        return None if tint is None or not tint.isVisible() else tint.colour

    def warning_of(self, node_id: str) -> str:
        tint = self._tint(node_id)
        return "" if tint is None else tint.warning

    def _show_history(self) -> None:
        label, log, _range = STATISTICS[self.statistic]
        self.view.plot.setLogMode(x=False, y=log)
        self.view.plot.setLabel("left", translate("GradientFlow", label))
        steps, values = self.history.series(self.node, self.statistic) if self.node else ([], [])
        if log:  # a log axis cannot show zero
            pairs = [(s, v) for s, v in zip(steps, values, strict=True) if v > 0]
            steps, values = [p[0] for p in pairs], [p[1] for p in pairs]
        self.view.plot.setTitle(self.node or "")
        self.curve_data = (steps, values)
        self.view.curve.setData(steps, values)


def _label(value: float, log: bool) -> str:
    if log:
        return "0" if not math.isfinite(value) else f"1e{value:.1f}"
    return f"{value:.3g}"


def install(window: Any, panel: Any) -> GradientFlow:
    """The Layer statistics section at the foot of the inspector (it stays there whichever node
    is shown), wired to the panel, the canvas and the drawing it shows."""
    view = LayerStatsPanel()
    section = QGroupBox(translate("GradientFlow", "Layer statistics"))
    section.setObjectName("layerStatsSection")
    QVBoxLayout(section).addWidget(view)
    window.inspector.add_section(section)
    stack = window.document.stack
    flow = GradientFlow(window.canvas.canvas_scene, view, window, stack)
    panel.layer_stats = flow
    window.canvas.selectionChanged.connect(flow.select)
    # another drawing shown (a block opened or closed): its nodes are tinted by their own paths
    window.document.drawingChanged.connect(lambda _drawing: flow.redraw())
    return flow
