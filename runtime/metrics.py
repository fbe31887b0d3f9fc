"""Metrics kept without slowing training: per-batch values stay on the device until a flush.

Reading a GPU tensor (`.item()`) waits for the GPU; doing it every batch would stall the
pipeline. `BatchLog` keeps the batch losses and correct counts as device tensors and turns a whole
window of them into floats with one transfer when the trainer flushes (every ~50 ms).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from runtime.events import BatchPoint


@dataclass
class BatchLog:
    """Batches trained since the last flush, plus the running totals of the epoch."""

    epoch: int = 1
    _losses: list[torch.Tensor] = field(default_factory=list)
    _correct: list[torch.Tensor] = field(default_factory=list)
    _meta: list[tuple[int, int, int, float]] = field(default_factory=list)  # batch, step, n, lr
    loss_sum: float = 0.0
    correct_sum: float = 0.0
    samples: int = 0

    def start_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        self.loss_sum = self.correct_sum = 0.0
        self.samples = 0

    def add(
        self,
        loss: torch.Tensor,
        correct: torch.Tensor | None,
        batch: int,
        step: int,
        size: int,
        lr: float,
    ) -> None:
        self._losses.append(loss.detach())
        if correct is not None:
            self._correct.append(correct)
        self._meta.append((batch, step, size, lr))

    @property
    def pending(self) -> int:
        return len(self._meta)

    def flush(self) -> tuple[BatchPoint, ...]:
        """The pending batches as points (one device->host copy); totals are updated."""
        if not self._meta:
            return ()
        losses = torch.stack(self._losses).float().tolist()
        correct = torch.stack(self._correct).tolist() if self._correct else None
        points = []
        for i, (batch, step, size, lr) in enumerate(self._meta):
            accuracy = None if correct is None else correct[i] / size
            self.loss_sum += losses[i] * size
            if correct is not None:
                self.correct_sum += correct[i]
            self.samples += size
            points.append(BatchPoint(self.epoch, batch, step, losses[i], accuracy, lr))
        self._losses.clear()
        self._correct.clear()
        self._meta.clear()
        return tuple(points)

    def epoch_loss(self) -> float:
        return self.loss_sum / max(self.samples, 1)

    def epoch_accuracy(self, classification: bool) -> float | None:
        return self.correct_sum / max(self.samples, 1) if classification else None


def first_bad_loss(points: tuple[BatchPoint, ...]) -> BatchPoint | None:
    for point in points:
        if not math.isfinite(point.loss):
            return point
    return None


def eta_seconds(active: float, steps_done: int, steps_total: int) -> float | None:
    """Time left at the pace so far (validation included in the pace); None before any step."""
    if steps_done <= 0:
        return None
    return max(0.0, active / steps_done * (steps_total - steps_done))
