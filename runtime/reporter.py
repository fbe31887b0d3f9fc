"""Batch metrics leave the run in windows of ~0.1 s, so delivering them never slows training;
a NaN or infinite loss ends the run when its window is read."""

from __future__ import annotations

import time
from collections.abc import Callable

from i18n import msg
from recipe.metrics import BatchLog, eta_seconds
from runtime.control import RunControl
from runtime.events import BatchMetrics, BatchPoint, TrainingEvent
from runtime.failures import Diverged

FLUSH_SECONDS = 0.1  # how often batch metrics leave the engine (10 plot updates a second)


class BatchReporter:
    def __init__(
        self,
        emit: Callable[[TrainingEvent], None],
        control: RunControl,
        lr: float,
        steps: int,
        to_class: Callable | None = None,
    ) -> None:
        self.log = BatchLog(to_class)
        self.emit = emit
        self.control = control
        self.lr = lr
        self.steps_total = steps
        self.steps_done = 0
        self.window_start = time.perf_counter()
        self.window_samples = 0

    def add(self, loss, scored, batch: int, size: int, lr: float) -> None:
        self.steps_done += 1
        self.window_samples += size
        self.log.add(loss, scored, batch, self.steps_done, size, lr)
        if time.perf_counter() - self.window_start >= FLUSH_SECONDS:
            self.flush()

    def restart_window(self) -> None:
        self.window_start, self.window_samples = time.perf_counter(), 0

    def flush(self) -> None:
        """Send the pending batch points; a NaN or infinite loss ends the run here."""
        if not self.log.pending:
            return
        points = tuple(BatchPoint(*p) for p in self.log.flush())
        bad = next((p for p in points if p.loss != p.loss or abs(p.loss) == float("inf")), None)
        if bad is not None:
            raise Diverged(
                msg(
                    "the loss became {loss} at epoch {epoch}, batch {batch}: the training "
                    "diverged; try a lower learning rate (lr={lr:g}) or gradient clipping",
                    loss=bad.loss,
                    epoch=bad.epoch,
                    batch=bad.batch,
                    lr=self.lr,
                )
            )
        seconds = max(time.perf_counter() - self.window_start, 1e-9)
        elapsed = self.control.elapsed()
        eta = eta_seconds(elapsed, self.steps_done, self.steps_total)
        self.emit(BatchMetrics(points, self.window_samples / seconds, elapsed, eta))
        self.restart_window()
