"""The evaluation of a finished run (runtime.evaluation's report): per-class precision, recall,
F1 and support, top-k accuracy, a gallery of the most confident mistakes; for regression the
error figures and the residuals against the truth.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.training.plot_style import style_plots

translate = QCoreApplication.translate
THUMBNAIL = 64  # pixels a side of a mistake's image in the gallery
GALLERY_COLUMNS = 6


class EvaluationView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 5)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalHeaderLabels(
            [
                translate("Evaluation", "class"),
                translate("Evaluation", "precision"),
                translate("Evaluation", "recall"),
                translate("Evaluation", "F1"),
                translate("Evaluation", "support"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.gallery_caption = QLabel(
            translate(
                "Evaluation",
                "The most confidently misclassified validation samples (true → predicted, "
                "confidence):",
            )
        )
        self.gallery_caption.setWordWrap(True)
        self.gallery = QWidget()
        self.gallery_grid = QGridLayout(self.gallery)
        self.gallery_grid.setContentsMargins(0, 0, 0, 0)
        self.residual_plots = pg.GraphicsLayoutWidget()
        self.residual_plots.setMinimumHeight(220)
        self.residual_plot = self.residual_plots.addPlot(
            title=translate("Evaluation", "Residual (prediction − truth) against truth")
        )
        self.residual_plot.setLabel("bottom", translate("Evaluation", "truth"))
        self.residual_plot.setLabel("left", translate("Evaluation", "residual"))
        self.residual_plot.addLine(y=0, pen=pg.mkPen("#999", style=Qt.PenStyle.DotLine))
        self.residuals = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(213, 94, 0, 110))
        self.residual_plot.addItem(self.residuals)
        style_plots(self.residual_plots, (self.residual_plot,), self.palette())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.headline,
            self.table,
            self.gallery_caption,
            self.gallery,
            self.residual_plots,
        ):
            layout.addWidget(widget)
        self.report: dict[str, Any] | None = None
        self.clear()

    def clear(self) -> None:
        self.report = None
        self.headline.setText("")
        for widget in (
            self.headline,
            self.table,
            self.gallery_caption,
            self.gallery,
            self.residual_plots,
        ):
            widget.hide()
        self._clear_gallery()

    def show_report(self, report: dict[str, Any] | None, folder: str | None) -> None:
        """Show a report; the gallery's images are read from the run `folder`."""
        self.clear()
        if not report:
            return
        self.report = report
        self.headline.show()
        if report.get("task") == "classification":
            self._show_classification(report, Path(folder) if folder else None)
        else:
            self._show_regression(report)

    def _show_classification(self, report: dict[str, Any], folder: Path | None) -> None:
        tops = "".join(
            translate("Evaluation", " · top-{k} {accuracy:.1%}").format(k=k, accuracy=v)
            for k, v in report.get("top_k", {}).items()
            if k != "1"
        )
        self.headline.setText(
            translate(
                "Evaluation", "Evaluation on {count} validation samples: accuracy {accuracy:.1%}"
            ).format(count=report["samples"], accuracy=report.get("accuracy") or 0.0)
            + tops
        )
        rows = report["classes"]
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = [
                row["name"],
                f"{row['precision']:.3f}",
                f"{row['recall']:.3f}",
                f"{row['f1']:.3f}",
                str(row["support"]),
            ]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(i, j, item)
        header = self.table.horizontalHeader().height()
        self.table.setMinimumHeight(min(header + 24 * len(rows) + 4, 320))
        self.table.show()
        mistakes = report.get("misclassified") or []
        if mistakes:
            self.gallery_caption.show()
            self.gallery.show()
            for n, item in enumerate(mistakes):
                self.gallery_grid.addWidget(
                    _mistake_tile(item, folder), n // GALLERY_COLUMNS, n % GALLERY_COLUMNS
                )

    def _show_regression(self, report: dict[str, Any]) -> None:
        residuals = report["residuals"]
        r2 = report.get("r2")
        self.headline.setText(
            translate(
                "Evaluation",
                "Evaluation on {count} validation samples: RMSE {rmse:.4g} · MAE {mae:.4g} · "
                "R² {r2} · residuals mean {mean:.3g}, std {std:.3g}, largest {largest:.3g}",
            ).format(
                count=report["samples"],
                rmse=report.get("rmse") or 0.0,
                mae=report.get("mae") or 0.0,
                r2="—" if r2 is None else f"{r2:.3f}",
                mean=residuals.get("mean") or 0.0,
                std=residuals.get("std") or 0.0,
                largest=residuals.get("max_abs") or 0.0,
            )
        )
        points = report.get("points") or []
        truth = [p[0] for p in points]
        self.residuals.setData(truth, [p[1] - p[0] for p in points])
        self.residual_plots.show()

    def _clear_gallery(self) -> None:
        while self.gallery_grid.count():
            widget = self.gallery_grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def gallery_tiles(self) -> list[QLabel]:
        return [
            self.gallery_grid.itemAt(i).widget().findChild(QLabel, "image")
            for i in range(self.gallery_grid.count())
        ]


def _mistake_tile(item: dict[str, Any], folder: Path | None) -> QWidget:
    tile = QWidget()
    layout = QVBoxLayout(tile)
    layout.setContentsMargins(2, 2, 2, 2)
    image = QLabel()
    image.setObjectName("image")
    image.setAlignment(Qt.AlignmentFlag.AlignCenter)
    path = folder / item["image"] if folder is not None and item.get("image") else None
    pixmap = QPixmap(str(path)) if path is not None and path.exists() else QPixmap()
    if not pixmap.isNull():
        image.setPixmap(
            pixmap.scaled(
                THUMBNAIL,
                THUMBNAIL,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )
    else:
        image.setText(translate("Evaluation", "sample {index}").format(index=item["index"]))
    caption = QLabel(
        translate("Evaluation", "{true} → {predicted}\n{confidence:.0%}").format(
            true=item["true_name"], predicted=item["predicted_name"], confidence=item["confidence"]
        )
    )
    caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
    tile.setToolTip(
        translate(
            "Evaluation",
            "validation sample {index}: true {true}, predicted {predicted} with confidence "
            "{confidence:.1%}",
        ).format(
            index=item["index"],
            true=item["true_name"],
            predicted=item["predicted_name"],
            confidence=item["confidence"],
        )
    )
    layout.addWidget(image)
    layout.addWidget(caption)
    return tile
