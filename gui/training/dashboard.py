"""The live view of a run: progress (epoch, batch, speed, elapsed, ETA), plots and a message log.

It is fed lists of runtime events on the GUI thread (`apply`), updates its state for all of them
and then redraws each widget once: however many batches arrive per tick, the cost is one repaint.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.training.plots import LivePlots
from i18n import localize, say
from recipe.progress import epoch_line
from runtime.events import (
    BatchMetrics,
    EpochMetrics,
    Message,
    RunFinished,
    RunPaused,
    RunStarted,
    TrainingEvent,
)

translate = QCoreApplication.translate
# Words looked up at run time, marked here so that lupdate finds them: tasks and log levels.
RUNTIME_WORDS = (
    QT_TRANSLATE_NOOP("TrainingPanel", "classification"),
    QT_TRANSLATE_NOOP("TrainingPanel", "regression"),
    QT_TRANSLATE_NOOP("TrainingPanel", "WARNING"),
    QT_TRANSLATE_NOOP("TrainingPanel", "ERROR"),
)

# Info lines take the log's own text colour (so they read in either theme); these two read on
# a light and on a dark background alike.
LOG_LEVEL_COLOURS = {"warning": "#c98a00", "error": "#e0443e"}


def format_duration(seconds: float | None) -> str:
    """`0:07`, `12:30`, `1:02:03`; an em dash when unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:  # an unchanged text would still cost a repaint
        label.setText(text)


class TrainingDashboard(QWidget):
    def __init__(self, parent: QWidget | None = None, refresh_interval: float = 0.2) -> None:
        super().__init__(parent)
        self.plots = LivePlots()
        # Events are taken in at the drain rate (~30 Hz), but curves and numbers are shown at
        # most every `refresh_interval` (5 Hz), together, in one repaint. A repaint holds the
        # GIL the trainer needs: at 30 Hz the labels alone cost a tenth of training speed, and
        # nobody reads numbers that change thirty times a second.
        self.refresh_interval = refresh_interval
        self._last_refresh = -math.inf
        self._pending = False
        self._started: RunStarted | None = None
        self._epoch = 0
        self._batch = 0
        self._step = 0
        self._rate = 0.0
        self._elapsed = 0.0
        self._eta: float | None = None
        self._paused = False
        self._state = translate("TrainingPanel", "Idle")

        self.status_label = QLabel(translate("TrainingPanel", "No run yet."))
        self.status_label.setObjectName("trainingStatus")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("%p%")
        # In whole percent: QProgressBar repaints at once on every new value, so it gets at
        # most a hundred of them per run.
        self.progress_bar.setRange(0, 100)
        self._total_steps = 1
        self.progress_label = QLabel(
            translate("TrainingPanel", "Epoch — · — samples/s · elapsed — · ETA —")
        )
        self.progress_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Opaque and sized by the layout, never by its text: a change repaints the label alone
        # and lays nothing out again (a text-sized label would push the docks at each epoch).
        self.progress_label.setAutoFillBackground(True)
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.compare_box = QCheckBox(translate("TrainingPanel", "Compare with previous runs"))
        self.compare_box.setChecked(True)
        self.compare_box.toggled.connect(self.plots.show_history)
        self.log_scale_box = QCheckBox(translate("TrainingPanel", "Log-scale loss"))
        self.log_scale_box.toggled.connect(self.plots.set_log_loss)

        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(2000)
        self.log_view.setPlaceholderText(
            translate("TrainingPanel", "Messages from the run appear here.")
        )

        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.progress_label, 3)
        options_row = QHBoxLayout()
        options_row.addWidget(self.status_label, 1)
        options_row.addWidget(self.compare_box)
        options_row.addWidget(self.log_scale_box)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plots)
        split.addWidget(self.log_view)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        # Plots first: in a short dock the log gives way (three lines stay readable).
        self.plots.setMinimumHeight(200)
        self.log_view.setMinimumHeight(self.log_view.fontMetrics().lineSpacing() * 3 + 12)
        split.setSizes([500, 90])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(options_row)
        layout.addLayout(progress_row)
        layout.addWidget(split, 1)

    # --- feeding ---------------------------------------------------------------------------------

    def apply(self, events: Iterable[TrainingEvent]) -> RunFinished | None:
        """Take in a tick's worth of events; returns the RunFinished among them, if any."""
        finished = None
        progress = urgent = False
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
                progress = urgent = True
            elif isinstance(event, Message):
                self.log(event.level, localize(event.text))
            elif isinstance(event, RunPaused):
                self._paused = event.paused
                self.log(
                    "info",
                    translate("TrainingPanel", "Paused.")
                    if event.paused
                    else translate("TrainingPanel", "Resumed."),
                )
                progress = urgent = True
            elif isinstance(event, RunFinished):
                finished = event
                self._finish(event)
                progress = urgent = True
        self._pending = self._pending or progress
        self.refresh(force=urgent)
        return finished

    def refresh(self, force: bool = False) -> None:
        """Show what came in since the last refresh, if `refresh_interval` has passed (the
        panel calls this on every drain tick, so nothing waits longer than that)."""
        now = time.monotonic()
        if not force and now - self._last_refresh < self.refresh_interval:
            return
        self._last_refresh = now
        self.plots.redraw()
        if self._pending:
            self._pending = False
            self._show_progress()

    def _begin(self, started: RunStarted) -> None:
        self._started = started
        self._epoch = self._batch = self._step = 0
        self._rate, self._elapsed, self._eta = 0.0, 0.0, None
        self._paused = False
        self._state = translate("TrainingPanel", "Training")
        run = self.plots.begin_run(started)
        # a resumed run's bar goes over the epochs it has left (its steps count from there)
        epochs = started.epochs - started.start_epoch
        self._total_steps = max(epochs * started.batches_per_epoch, 1)
        self.progress_bar.setValue(0)
        self.log(
            "info",
            translate(
                "TrainingPanel",
                "Run {number}: {task} on {device_name} ({device}), {train} training / {val} "
                "validation samples, {epochs} epochs of {batches} batches.",
            ).format(
                number=run.number,
                task=translate("TrainingPanel", started.task),
                device_name=localize(started.device_name),
                device=started.device,
                train=started.train_samples,
                val=started.val_samples,
                epochs=started.epochs,
                batches=started.batches_per_epoch,
            ),
        )

    def _finish(self, finished: RunFinished) -> None:
        if finished.status != "completed":
            self.plots.end_run()
        self._eta = 0.0 if finished.status == "completed" else None
        self._paused = False
        self._state = {
            "completed": translate("TrainingPanel", "Finished"),
            "stopped": translate("TrainingPanel", "Stopped"),
            "early_stopped": translate("TrainingPanel", "Stopped early"),
            "failed": translate("TrainingPanel", "Failed"),
        }.get(finished.status, finished.status)
        if finished.seconds:
            self._elapsed = finished.seconds
        level = "error" if finished.status == "failed" else "info"
        self.log(level, localize(finished.message) or self._state)

    def _log_epoch(self, e: EpochMetrics) -> None:
        self.log("info", epoch_line(e, say=say))  # the line `train` and scripts print

    def _show_progress(self) -> None:
        s = self._started
        parts = []
        if s is not None:
            parts.append(
                translate(
                    "TrainingPanel", "Epoch {epoch}/{epochs} · batch {batch}/{batches}"
                ).format(
                    epoch=self._epoch,
                    epochs=s.epochs,
                    batch=self._batch,
                    batches=s.batches_per_epoch,
                )
            )
            percent = min(100, 100 * self._step // self._total_steps)
            if percent != self.progress_bar.value():
                self.progress_bar.setValue(percent)
        parts.append(translate("TrainingPanel", "{rate:,.0f} samples/s").format(rate=self._rate))
        elapsed = format_duration(self._elapsed)
        parts.append(translate("TrainingPanel", "elapsed {time}").format(time=elapsed))
        parts.append(
            translate("TrainingPanel", "ETA {time}").format(time=format_duration(self._eta))
        )
        _set_text(self.progress_label, " · ".join(parts))
        paused = translate("TrainingPanel", "Paused")
        _set_text(self.status_label, paused if self._paused else self._state)

    # --- log -------------------------------------------------------------------------------------

    def log(self, level: str, text: str) -> None:
        colour = LOG_LEVEL_COLOURS.get(level)
        prefix = "" if level == "info" else translate("TrainingPanel", level.upper()) + ": "
        escaped = (prefix + text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if colour is None:
            self.log_view.appendHtml(f"<span>{escaped}</span>")
        else:
            self.log_view.appendHtml(f'<span style="color:{colour}">{escaped}</span>')
        self.log_view.moveCursor(QTextCursor.MoveOperation.End)

    def log_text(self) -> str:
        return self.log_view.toPlainText()

    def reset(self) -> None:
        """Back to "no run yet": another project is open, earlier runs belong to the old one."""
        self.plots.clear()
        self._started = None
        self._epoch = self._batch = self._step = 0
        self._rate, self._elapsed, self._eta = 0.0, 0.0, None
        self._paused = False
        self._pending = False
        self._state = translate("TrainingPanel", "Idle")
        self.progress_bar.setValue(0)
        self.progress_label.setText(
            translate("TrainingPanel", "Epoch — · — samples/s · elapsed — · ETA —")
        )
        self.status_label.setText(translate("TrainingPanel", "No run yet."))
        self.log_view.clear()

    def set_state(self, text: str) -> None:
        self._state = text
        self.status_label.setText(text)
