"""The live view of a run: progress (epoch, batch, speed, elapsed, ETA), plots and a message log.

It is fed lists of runtime events on the GUI thread (`apply`), updates its state for all of them
and then redraws each widget once: however many batches arrive per tick, the cost is one repaint.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.training.plots import LivePlots
from runtime.events import (
    BatchMetrics,
    EpochMetrics,
    Message,
    RunFinished,
    RunPaused,
    RunStarted,
    TrainingEvent,
)

LOG_LEVEL_COLOURS = {"info": "#333333", "warning": "#9a6700", "error": "#c62828"}


def format_duration(seconds: float | None) -> str:
    """`0:07`, `12:30`, `1:02:03`; an em dash when unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TrainingDashboard(QWidget):
    def __init__(self, parent: QWidget | None = None, plot_interval: float = 0.1) -> None:
        super().__init__(parent)
        self.plots = LivePlots()
        self.plot_interval = plot_interval  # seconds between curve redraws (10 Hz)
        self._last_redraw = -math.inf
        self._started: RunStarted | None = None
        self._epoch = 0
        self._batch = 0
        self._step = 0
        self._rate = 0.0
        self._elapsed = 0.0
        self._eta: float | None = None
        self._paused = False
        self._state = "Idle"

        self.status_label = QLabel("No run yet.")
        self.status_label.setObjectName("trainingStatus")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("%p%")
        self.epoch_label = QLabel("Epoch —")
        self.speed_label = QLabel("— samples/s")
        self.time_label = QLabel("elapsed — · ETA —")
        widest = {
            self.epoch_label: "Epoch 9999/9999 · batch 99999/99999",
            self.speed_label: "9,999,999 samples/s",
            self.time_label: "elapsed 00:00:00 · ETA 00:00:00",
        }
        for label, text in widest.items():
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # A label that changes width relays out the whole panel on every tick.
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text))

        self.compare_box = QCheckBox("Compare with previous runs")
        self.compare_box.setChecked(True)
        self.compare_box.toggled.connect(self.plots.show_history)
        self.log_scale_box = QCheckBox("Log-scale loss")
        self.log_scale_box.toggled.connect(self.plots.set_log_loss)

        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(2000)
        self.log_view.setPlaceholderText("Messages from the run appear here.")

        progress_row = QHBoxLayout()
        progress_row.addWidget(self.epoch_label)
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.speed_label)
        progress_row.addWidget(self.time_label)
        options_row = QHBoxLayout()
        options_row.addWidget(self.status_label, 1)
        options_row.addWidget(self.compare_box)
        options_row.addWidget(self.log_scale_box)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plots)
        split.addWidget(self.log_view)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(options_row)
        layout.addLayout(progress_row)
        layout.addWidget(split, 1)

    # --- feeding ---------------------------------------------------------------------------------

    def apply(self, events: Iterable[TrainingEvent]) -> RunFinished | None:
        """Take in a tick's worth of events; returns the RunFinished among them, if any."""
        finished = None
        progress = False
        for event in events:
            if isinstance(event, BatchMetrics):
                if self.plots.current is not None and event.points:
                    self.plots.current.add_points(event.points)
                    last = event.points[-1]
                    self._epoch, self._batch, self._step = last.epoch, last.batch, last.step
                self._rate, self._elapsed, self._eta = (
                    event.samples_per_second,
                    event.elapsed,
                    event.eta,
                )
                progress = True
            elif isinstance(event, EpochMetrics):
                if self.plots.current is not None:
                    self.plots.current.add_epoch(event)
                self._log_epoch(event)
                self._rate, self._elapsed, self._eta = (
                    event.samples_per_second,
                    event.elapsed,
                    event.eta,
                )
                progress = True
            elif isinstance(event, RunStarted):
                self._begin(event)
                progress = True
            elif isinstance(event, Message):
                self.log(event.level, event.text)
            elif isinstance(event, RunPaused):
                self._paused = event.paused
                self.log("info", "Paused." if event.paused else "Resumed.")
                progress = True
            elif isinstance(event, RunFinished):
                finished = event
                self._finish(event)
                progress = True
        now = time.monotonic()
        # Numbers every tick, curves at most every `plot_interval`: a repaint of the plots is
        # the dearest thing the GUI thread does, and the GIL it holds meanwhile is taken from
        # the training thread.
        if finished is not None or now - self._last_redraw >= self.plot_interval:
            self.plots.redraw()
            self._last_redraw = now
        if progress:
            self._show_progress()
        return finished

    def _begin(self, started: RunStarted) -> None:
        self._started = started
        self._epoch = self._batch = self._step = 0
        self._rate, self._elapsed, self._eta = 0.0, 0.0, None
        self._paused = False
        self._state = "Training"
        run = self.plots.begin_run(started)
        self.progress_bar.setRange(0, max(started.epochs * started.batches_per_epoch, 1))
        self.progress_bar.setValue(0)
        self.log(
            "info",
            f"Run {run.number}: {started.task} on {started.device_name} ({started.device}), "
            f"{started.train_samples} training / {started.val_samples} validation samples, "
            f"{started.epochs} epochs of {started.batches_per_epoch} batches.",
        )

    def _finish(self, finished: RunFinished) -> None:
        self._eta = 0.0 if finished.status == "completed" else None
        self._paused = False
        self._state = {
            "completed": "Finished",
            "stopped": "Stopped",
            "early_stopped": "Stopped early",
            "failed": "Failed",
        }.get(finished.status, finished.status)
        if finished.seconds:
            self._elapsed = finished.seconds
        level = "error" if finished.status == "failed" else "info"
        self.log(level, finished.message or self._state)

    def _log_epoch(self, e: EpochMetrics) -> None:
        parts = [f"epoch {e.epoch}", f"train loss {e.train_loss:.4g}"]
        if e.train_accuracy is not None:
            parts.append(f"train acc {e.train_accuracy:.1%}")
        if e.val_loss is not None:
            parts.append(f"val loss {e.val_loss:.4g}")
        if e.val_accuracy is not None:
            parts.append(f"val acc {e.val_accuracy:.1%}")
        if e.val_rmse is not None:
            parts.append(f"val RMSE {e.val_rmse:.4g}")
        parts.append(f"lr {e.lr:.3g}")
        self.log("info", " · ".join(parts))

    def _show_progress(self) -> None:
        s = self._started
        if s is not None:
            self.epoch_label.setText(
                f"Epoch {self._epoch}/{s.epochs} · batch {self._batch}/{s.batches_per_epoch}"
            )
            self.progress_bar.setValue(min(self._step, self.progress_bar.maximum()))
        self.speed_label.setText(f"{self._rate:,.0f} samples/s")
        self.time_label.setText(
            f"elapsed {format_duration(self._elapsed)} · ETA {format_duration(self._eta)}"
        )
        state = "Paused" if self._paused else self._state
        self.status_label.setText(state)

    # --- log -------------------------------------------------------------------------------------

    def log(self, level: str, text: str) -> None:
        colour = LOG_LEVEL_COLOURS.get(level, LOG_LEVEL_COLOURS["info"])
        prefix = "" if level == "info" else f"{level.upper()}: "
        escaped = (prefix + text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.log_view.appendHtml(f'<span style="color:{colour}">{escaped}</span>')
        self.log_view.moveCursor(QTextCursor.MoveOperation.End)

    def log_text(self) -> str:
        return self.log_view.toPlainText()

    def set_state(self, text: str) -> None:
        self._state = text
        self.status_label.setText(text)
