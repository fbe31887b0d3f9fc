"""What a finished run leaves: its final metrics, and how its predictions compare with the truth —
a confusion matrix for classification, predictions against targets for regression (for sequences,
such as sin → cos, one validation sample's curve as well).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.training.evaluation_view import EvaluationView
from gui.training.plot_style import legend_style, plot_colours, style_plots
from runtime.events import RunFinished

translate = QCoreApplication.translate
# How a run ended (RunFinished.status with spaces), looked up at run time: marked for lupdate.
STATUS_WORDS = (
    QT_TRANSLATE_NOOP("TrainingPanel", "completed"),
    QT_TRANSLATE_NOOP("TrainingPanel", "stopped"),
    QT_TRANSLATE_NOOP("TrainingPanel", "early stopped"),
    QT_TRANSLATE_NOOP("TrainingPanel", "failed"),
)


def confusion_matrix(targets: np.ndarray, predictions: np.ndarray, classes: int) -> np.ndarray:
    """counts[i, j] = samples of true class i predicted as class j."""
    t = np.asarray(targets, dtype=np.int64).ravel()
    p = np.asarray(predictions, dtype=np.int64).ravel()
    keep = (t >= 0) & (t < classes) & (p >= 0) & (p < classes)
    flat = np.bincount(t[keep] * classes + p[keep], minlength=classes * classes)
    return flat.reshape(classes, classes)


def summarise(finished: RunFinished) -> str:
    """One line of final metrics: what a person compares between runs."""
    status = translate("TrainingPanel", finished.status.replace("_", " "))
    parts = [
        translate("TrainingPanel", "{status} after {count} epoch(s)").format(
            status=status, count=finished.epochs
        )
    ]
    if finished.train_loss is not None:
        text = translate("TrainingPanel", "train loss {loss:.4g}")
        parts.append(text.format(loss=finished.train_loss))
    if finished.val_loss is not None:
        text = translate("TrainingPanel", "validation loss {loss:.4g}")
        parts.append(text.format(loss=finished.val_loss))
    if finished.val_accuracy is not None:
        text = translate("TrainingPanel", "validation accuracy {accuracy:.2%}")
        parts.append(text.format(accuracy=finished.val_accuracy))
    if finished.seconds:
        parts.append(f"{finished.seconds:.1f} s")
    if finished.samples_per_second:
        text = translate("TrainingPanel", "{rate:,.0f} samples/s")
        parts.append(text.format(rate=finished.samples_per_second))
    return " · ".join(parts)


class ResultsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(translate("TrainingPanel", "Results appear here when a run ends."))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.setToolTip(
            translate("TrainingPanel", "Rows: true class · columns: predicted class")
        )

        self.regression = pg.GraphicsLayoutWidget()
        self.sample_plot = self.regression.addPlot(
            row=0, col=0, title=translate("TrainingPanel", "One validation sample")
        )
        self.sample_plot.addLegend(**legend_style(self.palette()))
        self.sample_truth = self.sample_plot.plot(pen=pg.mkPen("#333", width=2), name="truth")
        self.sample_pred = self.sample_plot.plot(
            pen=pg.mkPen("#D55E00", width=2, style=Qt.PenStyle.DashLine), name="prediction"
        )
        self.scatter_plot = self.regression.addPlot(
            row=0, col=1, title=translate("TrainingPanel", "Prediction vs truth")
        )
        self.scatter_plot.setLabel("bottom", "truth")
        self.scatter_plot.setLabel("left", "prediction")
        self.diagonal = self.scatter_plot.plot(pen=pg.mkPen("#999", style=Qt.PenStyle.DotLine))
        self.scatter = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(0, 114, 178, 90))
        self.scatter_plot.addItem(self.scatter)
        self._style_plots()

        self.empty = QLabel("")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for w in (self.empty, self.matrix, self.regression):
            self.stack.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        self.matrix_caption = QLabel(
            translate(
                "TrainingPanel",
                "Confusion matrix on the validation set: rows are the true class, "
                "columns the predicted one.",
            )
        )
        self.matrix_caption.setWordWrap(True)
        self.matrix_caption.hide()
        layout.addWidget(self.matrix_caption)
        layout.addWidget(self.stack, 1)
        self.evaluation = EvaluationView()
        layout.addWidget(self.evaluation)

    def _style_plots(self) -> None:
        """Plots in the palette's colours; the truth curve in its text colour."""
        palette = self.palette()
        style_plots(self.regression, (self.sample_plot, self.scatter_plot), palette)
        _background, text, axis = plot_colours(palette)
        self.sample_truth.setPen(pg.mkPen(text, width=2))
        self.diagonal.setPen(pg.mkPen(axis, style=Qt.PenStyle.DotLine))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._style_plots()
        super().changeEvent(event)

    def clear(self, text: str = "") -> None:
        self.summary.setText(
            text or translate("TrainingPanel", "Results appear here when a run ends.")
        )
        self.matrix_caption.hide()
        self.stack.setCurrentWidget(self.empty)
        self.evaluation.clear()

    def show_results(
        self,
        finished: RunFinished,
        task: str | None,
        predictions: tuple[np.ndarray, np.ndarray] | None,
        class_names: list[str] | None = None,
    ) -> None:
        self.summary.setText(summarise(finished))
        self.evaluation.show_report(finished.evaluation, finished.out_dir)
        self.matrix_caption.setVisible(task == "classification")
        if predictions is None or len(predictions[0]) == 0:
            self.empty.setText(
                translate("TrainingPanel", "No validation predictions for this run.")
            )
            self.stack.setCurrentWidget(self.empty)
        elif task == "classification":
            self.show_confusion(*predictions, class_names)
        else:
            self.show_regression(*predictions)

    def show_confusion(
        self, targets: np.ndarray, predictions: np.ndarray, class_names: list[str] | None
    ) -> None:
        classes = (
            len(class_names) if class_names else int(max(targets.max(), predictions.max())) + 1
        )
        names = class_names or [str(i) for i in range(classes)]
        counts = confusion_matrix(targets, predictions, classes)
        totals = counts.sum(axis=1, keepdims=True).clip(min=1)
        share = counts / totals
        self.matrix.clear()
        self.matrix.setRowCount(classes)
        self.matrix.setColumnCount(classes)
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        for i in range(classes):
            for j in range(classes):
                item = QTableWidgetItem(str(counts[i, j]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                # Correct predictions in blue, mistakes in orange, intensity by share of the row.
                # A floor on the alpha: a single mistake must still catch the eye.
                base = (0, 114, 178) if i == j else (213, 94, 0)
                alpha = int(70 + 160 * share[i, j]) if counts[i, j] else 0
                item.setBackground(QBrush(QColor(*base, alpha)))
                if share[i, j] > 0.6:
                    item.setForeground(QBrush(QColor("white")))
                elif not counts[i, j]:
                    item.setForeground(QBrush(QColor("#b0b0b0")))
                item.setToolTip(
                    translate("TrainingPanel", "true {names}, predicted {names2}: {counts}").format(
                        names=names[i], names2=names[j], counts=counts[i, j]
                    )
                )
                self.matrix.setItem(i, j, item)
        self.stack.setCurrentWidget(self.matrix)

    def show_regression(self, targets: np.ndarray, predictions: np.ndarray) -> None:
        t = np.asarray(targets, dtype=float).reshape(len(targets), -1)
        p = np.asarray(predictions, dtype=float).reshape(len(predictions), -1)
        sequence = t.shape[1] > 1
        self.sample_plot.setVisible(sequence)
        if sequence:  # e.g. the sin → cos curve: one sample, step by step
            self.sample_truth.setData(t[0])
            self.sample_pred.setData(p[0])
        flat_t, flat_p = t.ravel(), p.ravel()
        if len(flat_t) > 20000:  # a scatter of every value would only be a blot
            pick = np.random.default_rng(0).choice(len(flat_t), 20000, replace=False)
            flat_t, flat_p = flat_t[pick], flat_p[pick]
        self.scatter.setData(flat_t, flat_p)
        lo = float(min(flat_t.min(), flat_p.min()))
        hi = float(max(flat_t.max(), flat_p.max()))
        self.diagonal.setData([lo, hi], [lo, hi])
        self.stack.setCurrentWidget(self.regression)
