"""Training › Find Learning Rate: the range test (runtime.lr_finder) on a background thread,
its loss-against-lr curve, and the suggested rate applied with one click (an undoable change of
the project's training settings).
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from graph import project_from_dict, project_to_dict
from gui.document import Document
from gui.training.plot_style import style_plots
from i18n import localize, message_of

translate = QCoreApplication.translate
POLL_MS = 100


class RangeTestThread(QThread):
    """Runs the range test on a copy of the project; the GUI polls `progress` and `result`."""

    def __init__(self, project: Any, training: dict[str, Any], parent: QObject | None) -> None:
        super().__init__(parent)
        self.project = project_from_dict(project_to_dict(project))
        self.training = dict(training)
        self.progress: deque[tuple[int, int]] = deque(maxlen=1)
        self.result: Any = None
        self.error: str | None = None
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:  # on its own thread: no widget is touched here
        try:
            from recipe.config import TrainConfig
            from runtime.failures import RunFailed
            from runtime.lr_finder import range_test

            config = TrainConfig.from_training(self.training)
            self.result = range_test(
                self.project,
                config,
                progress=lambda step, total: self.progress.append((step, total)),
                should_stop=self._stop.is_set,
            )
        except RunFailed as exc:
            self.error = localize(message_of(exc))
        except Exception as exc:  # the dialog must say what happened, never hang
            self.error = localize(message_of(exc)) or type(exc).__name__


class LrFinderDialog(QDialog):
    applied = Signal(float)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle(translate("LrFinder", "Find Learning Rate"))
        self.range_thread: RangeTestThread | None = None
        self.result: Any = None
        intro = QLabel(
            translate(
                "LrFinder",
                "A short run on a copy of the network whose learning rate grows from 1e-7 to "
                "10: the loss falls while the rate is useful and explodes when it is too large. "
                "The suggestion is where the loss falls fastest.",
            )
        )
        intro.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setMinimumSize(520, 300)
        self.plot = self.plots.addPlot()
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", translate("LrFinder", "learning rate"))
        self.plot.setLabel("left", translate("LrFinder", "loss"))
        self.raw_curve = self.plot.plot(pen=pg.mkPen((0, 114, 178, 90), width=1))
        self.curve = self.plot.plot(pen=pg.mkPen("#0072B2", width=2))
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#D55E00", width=2))
        self.marker.hide()
        self.plot.addItem(self.marker)
        style_plots(self.plots, (self.plot,), self.palette())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.run_button = QPushButton(translate("LrFinder", "Run Again"))
        self.apply_button = QPushButton(translate("LrFinder", "Apply"))
        self.apply_button.setEnabled(False)
        self.close_button = QPushButton(translate("LrFinder", "Close"))
        self.run_button.clicked.connect(self.start)
        self.apply_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        """Run the range test with the project's current training settings."""
        if self.range_thread is not None:
            return
        self.result = None
        self.marker.hide()
        self.apply_button.setEnabled(False)
        self.apply_button.setText(translate("LrFinder", "Apply"))
        self.run_button.setEnabled(False)
        self.progress.setValue(0)
        self.status.setText(translate("LrFinder", "Running the range test…"))
        project = self.document.project
        self.range_thread = RangeTestThread(project, project.training, self)
        self.range_thread.finished.connect(self._finished)
        self.range_thread.start()
        self._timer.start()

    def is_running(self) -> bool:
        return self.range_thread is not None

    def _poll(self) -> None:
        if self.range_thread is not None and self.range_thread.progress:
            step, total = self.range_thread.progress[-1]
            self.progress.setMaximum(total)
            self.progress.setValue(step)

    def _finished(self) -> None:
        thread, self.range_thread = self.range_thread, None
        self._timer.stop()
        self.run_button.setEnabled(True)
        if thread is None:
            return
        thread.deleteLater()
        if thread.error is not None:
            self.status.setText(thread.error)
            return
        self.show_result(thread.result)

    def show_result(self, result: Any) -> None:
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self.raw_curve.setData(result.lrs, result.losses)
        self.curve.setData(result.lrs, result.smoothed)
        if result.suggested_lr is None:
            self.status.setText(
                translate("LrFinder", "The loss did not fall at any rate tried: no suggestion.")
            )
            return
        self.marker.setValue(_log10(result.suggested_lr))
        self.marker.show()
        self.status.setText(
            translate(
                "LrFinder",
                "Suggested learning rate {lr:.3g} (the loss was lowest at {minimum:.3g}).",
            ).format(lr=result.suggested_lr, minimum=result.minimum_lr)
        )
        self.apply_button.setText(
            translate("LrFinder", "Apply lr = {lr:.3g}").format(lr=result.suggested_lr)
        )
        self.apply_button.setEnabled(True)

    def apply(self) -> None:
        """The suggestion becomes the project's lr: one undoable step."""
        if self.result is None or self.result.suggested_lr is None:
            return
        lr = float(f"{self.result.suggested_lr:.3g}")
        if self.document.set_training({**self.document.project.training, "lr": lr}):
            self.status.setText(
                translate(
                    "LrFinder", "The learning rate is now {lr:g} (Edit › Undo restores it)."
                ).format(lr=lr)
            )
            self.applied.emit(lr)
        else:
            self.status.setText(
                translate("LrFinder", "The settings cannot change while a run is going.")
            )

    def shutdown(self, timeout_ms: int = 5000) -> None:
        if self.range_thread is not None:
            self.range_thread.stop()
            if self.range_thread.wait(timeout_ms):
                self._finished()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _log10(value: float) -> float:
    import math

    return math.log10(value)
