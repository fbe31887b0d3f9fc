"""The run history of the open project (runtime.run_history): every past run, across launches.
Select several to overlay their curves, with a table of the settings that differ; rename a run
by editing its name, delete the selected runs, resume a stopped one (gui/training/resume.py:
the training panel runs it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.training.plot_style import legend_style, style_plots
from gui.training.plots import RUN_COLOURS
from gui.training.resume import resumable
from i18n import localize, message_of
from runtime.run_history import (
    RunHistoryError,
    RunRecord,
    delete_run,
    differing_settings,
    list_runs,
    rename_run,
)

translate = QCoreApplication.translate
# metrics.jsonl columns a person can overlay, with their names in the chooser
METRICS = (
    ("val_loss", QT_TRANSLATE_NOOP("RunHistory", "validation loss")),
    ("train_loss", QT_TRANSLATE_NOOP("RunHistory", "training loss")),
    ("val_accuracy", QT_TRANSLATE_NOOP("RunHistory", "validation accuracy")),
    ("train_accuracy", QT_TRANSLATE_NOOP("RunHistory", "training accuracy")),
    ("val_rmse", QT_TRANSLATE_NOOP("RunHistory", "validation RMSE")),
    ("lr", QT_TRANSLATE_NOOP("RunHistory", "learning rate")),
)
NAME, STARTED, STATUS, EPOCHS, RESULT = range(5)


def ask_to_delete(parent: QWidget, names: list[str]) -> bool:
    answer = QMessageBox.question(
        parent,
        translate("RunHistory", "Delete Runs"),
        translate("RunHistory", "Delete {count} run(s) and their files? {names}").format(
            count=len(names), names=", ".join(names)
        ),
    )
    return answer == QMessageBox.StandardButton.Yes


class RunHistoryView(QWidget):
    resumeRequested = Signal(object)  # the RunRecord to go on with

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs_dir: Path | None = None
        self._running = False  # a run is going: none can be resumed meanwhile
        self.runs: list[RunRecord] = []
        self.confirm_delete: Callable[[QWidget, list[str]], bool] = ask_to_delete
        self._filling = False
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                translate("RunHistory", "run"),
                translate("RunHistory", "started"),
                translate("RunHistory", "status"),
                translate("RunHistory", "epochs"),
                translate("RunHistory", "final validation"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setToolTip(
            translate("RunHistory", "Select runs to compare them; double-click a name to rename")
        )
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.table.itemChanged.connect(self._renamed)
        self.metric_choice = QComboBox()
        for key, label in METRICS:
            self.metric_choice.addItem(translate("RunHistory", label), key)
        self.metric_choice.currentIndexChanged.connect(self._show_selected)
        # it gives way to the buttons beside it in a narrow column (its items are short)
        self.metric_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.metric_choice.setMinimumContentsLength(8)
        self.delete_button = QPushButton(translate("RunHistory", "Delete"))
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.delete_selected)
        self.resume_button = QPushButton(translate("RunHistory", "Resume"))
        self.resume_button.setEnabled(False)
        self.resume_button.clicked.connect(self._resume_selected)
        self.refresh_button = QPushButton(translate("RunHistory", "Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setMinimumHeight(200)
        self.plot = self.plots.addPlot()
        self.plot.setLabel("bottom", translate("RunHistory", "epoch"))
        self.legend = self.plot.addLegend(**legend_style(self.palette()))
        style_plots(self.plots, (self.plot,), self.palette())
        self.curves: list[pg.PlotDataItem] = []
        self.diff = QTableWidget(0, 0)
        self.diff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diff.setToolTip(translate("RunHistory", "The training settings that differ"))

        controls = QHBoxLayout()
        controls.addWidget(QLabel(translate("RunHistory", "Overlay:")))
        controls.addWidget(self.metric_choice, 1)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.resume_button)
        controls.addWidget(self.delete_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.note)
        # the buttons above the list: in a short dock they stay in sight, the list scrolls
        left_layout.addLayout(controls)
        left_layout.addWidget(self.table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plots)
        right.addWidget(self.diff)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 520])
        right.setSizes([260, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.set_runs_dir(None)

    # --- the list ------------------------------------------------------------------------------

    def set_runs_dir(self, runs_dir: Path | None) -> None:
        """Show the runs kept in `runs_dir` (None: an unsaved project, which keeps none)."""
        self.runs_dir = runs_dir
        self.refresh()

    def refresh(self) -> None:
        selected = {run.path for run in self.selected_runs()}
        self.runs = list_runs(self.runs_dir) if self.runs_dir is not None else []
        if self.runs_dir is None:
            self.note.setText(
                translate("RunHistory", "Save the project to keep its runs and compare them here.")
            )
        elif not self.runs:
            self.note.setText(translate("RunHistory", "No runs yet: every run will be kept here."))
        else:
            self.note.setText(
                translate("RunHistory", "{count} run(s) in {folder}").format(
                    count=len(self.runs), folder=self.runs_dir
                )
            )
        self._filling = True
        self.table.clearSelection()
        self.table.setRowCount(len(self.runs))
        for row, run in enumerate(self.runs):
            self._fill_row(row, run)
        self._filling = False
        for row, run in enumerate(self.runs):
            if run.path in selected:
                self.table.selectRow(row)
        self._show_selected()

    def _fill_row(self, row: int, run: RunRecord) -> None:
        status = run.status or ""
        values = {
            NAME: run.name,
            STARTED: run.created.replace("T", " ")[:19],
            STATUS: translate("TrainingPanel", status.replace("_", " ")) if status else "—",
            EPOCHS: str(run.summary.get("epochs", len(run.metrics))),
            RESULT: _result_text(run),
        }
        for column, text in values.items():
            item = QTableWidgetItem(text)
            if column != NAME:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(str(run.path))
            self.table.setItem(row, column, item)

    def selected_runs(self) -> list[RunRecord]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.runs[r] for r in rows if r < len(self.runs)]

    # --- overlay and differences ----------------------------------------------------------------

    def _show_selected(self) -> None:
        runs = self.selected_runs()
        self.delete_button.setEnabled(bool(runs))
        self._offer_resume(runs)
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        self.legend.clear()
        key = self.metric_choice.currentData()
        self.plot.setLabel("left", self.metric_choice.currentText())
        self.plot.setLogMode(x=False, y=key == "lr")
        for n, run in enumerate(runs):
            xs, ys = run.series(key)
            colour = RUN_COLOURS[n % len(RUN_COLOURS)]
            curve = self.plot.plot(
                xs,
                ys,
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=5,
                symbolBrush=colour,
                symbolPen=None,
                name=run.name,
            )
            self.curves.append(curve)
        self._show_differences(runs)

    def _show_differences(self, runs: list[RunRecord]) -> None:
        differ = differing_settings(runs) if len(runs) > 1 else {}
        self.diff.clear()
        self.diff.setRowCount(len(differ))
        self.diff.setColumnCount(len(runs) if differ else 0)
        self.diff.setHorizontalHeaderLabels([run.name for run in runs])
        self.diff.setVerticalHeaderLabels(list(differ))
        for row, values in enumerate(differ.values()):
            for column, value in enumerate(values):
                self.diff.setItem(row, column, QTableWidgetItem(_setting_text(value)))

    # --- resume -----------------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        """A run is going (none can be resumed meanwhile), or not any more."""
        self._running = running
        self._offer_resume(self.selected_runs())

    def choose_resumable(self) -> None:
        """Select the latest run that can go on, and point at Resume; say so if there is none."""
        latest = next(
            (row for row in reversed(range(len(self.runs))) if resumable(self.runs[row])), None
        )
        if latest is None:
            self.note.setText(
                translate("RunHistory", "No stopped run to resume: every run here finished.")
                if self.runs
                else translate("RunHistory", "No runs yet: every run will be kept here.")
            )
            return
        self.table.clearSelection()
        self.table.selectRow(latest)
        self.note.setText(
            translate("RunHistory", "Press Resume to continue “{name}” where it stopped.").format(
                name=self.runs[latest].name
            )
        )
        self.resume_button.setFocus()

    def _offer_resume(self, runs: list[RunRecord]) -> None:
        one = runs[0] if len(runs) == 1 else None
        self.resume_button.setEnabled(one is not None and resumable(one) and not self._running)
        if self._running:
            tip = translate("RunHistory", "A run is going: resume another when it has ended")
        elif one is not None and not resumable(one):
            tip = translate("RunHistory", "This run finished all its epochs")
        else:
            tip = translate(
                "RunHistory",
                "Continue the selected stopped run from its last whole epoch, with its settings",
            )
        self.resume_button.setToolTip(tip)

    def _resume_selected(self) -> None:
        runs = self.selected_runs()
        if len(runs) == 1 and not self._running:
            self.resumeRequested.emit(runs[0])

    # --- rename and delete ----------------------------------------------------------------------

    def _renamed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != NAME or item.row() >= len(self.runs):
            return
        run = self.runs[item.row()]
        try:
            rename_run(run, item.text())
        except (RunHistoryError, OSError) as exc:
            self.note.setText(localize(message_of(exc)))
        # The editor that made this change is still closing: the table is touched only after.
        QTimer.singleShot(0, self.refresh)

    def delete_selected(self) -> None:
        runs = self.selected_runs()
        if not runs or self.runs_dir is None:
            return
        if not self.confirm_delete(self, [run.name for run in runs]):
            return
        for run in runs:
            try:
                delete_run(self.runs_dir, run)
            except (RunHistoryError, OSError) as exc:
                self.note.setText(localize(message_of(exc)))
        # the table is rebuilt after the click that asked for it has been handled
        QTimer.singleShot(0, self.refresh)


def _result_text(run: RunRecord) -> str:
    summary = run.summary
    if summary.get("val_accuracy") is not None:
        return f"{summary['val_accuracy']:.2%}"
    if summary.get("val_loss") is not None:
        return f"{summary['val_loss']:.4g}"
    return "—"


def _setting_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
