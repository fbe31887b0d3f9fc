"""A run's metrics: batch values kept on the device until a flush, epoch totals, the best
epoch so far, and the one record per epoch that `metrics.jsonl` holds.

Reading a GPU tensor waits for the GPU; doing it every batch would stall the pipeline, so
`BatchLog` keeps losses as device tensors and turns a whole window into floats with one
transfer. A classifier's correct counts are batched the same way: the outputs and targets of
up to SETTLE_BATCHES batches wait and are scored together, a handful of tensor operations
instead of four for every batch (they were the Trainer's largest cost over a hand-written
loop on a small network). Part of the recipe copied into exported training scripts.
"""

# fmt: off
import math

# a classifier's batches scored together at most: bounds the outputs held meanwhile
SETTLE_BATCHES = 64

# the keys of every line of metrics.jsonl, in order
METRIC_KEYS = (
    "epoch",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "val_rmse",
    "lr",
    "samples_per_second",
    "elapsed",
    "eta",
)


class BatchLog:
    """Batches trained since the last flush, and the running totals of the epoch.
    `to_class` turns a classifier's outputs into class indices (None: no accuracy)."""

    def __init__(self, to_class=None):
        self.epoch = 1
        self.to_class = to_class
        self._losses, self._meta = [], []  # meta: batch, step, n, lr
        self._scored = []  # (outputs, targets) of batches not yet scored
        self._correct = []  # correct counts of the batches scored, tensors of counts
        self.loss_sum = self.correct_sum = 0.0
        self.samples = 0

    def start_epoch(self, epoch):
        self.epoch = epoch
        self.loss_sum = self.correct_sum = 0.0
        self.samples = 0

    def add(self, loss, scored, batch, step, size, lr):
        """A trained batch: its loss and, for a classifier, its (outputs, targets)."""
        self._losses.append(loss)
        if scored is not None and self.to_class is not None:
            self._scored.append(scored)
            if len(self._scored) >= SETTLE_BATCHES:
                self._score()
        self._meta.append((batch, step, size, lr))

    def _score(self):
        """The waiting batches' correct counts, computed together (on their device)."""
        import torch

        outputs, targets = zip(*self._scored, strict=True)
        hits = self.to_class(torch.cat(outputs)) == torch.cat(targets)
        sizes = [len(t) for t in targets]
        if min(sizes) == max(sizes):
            self._correct.append(hits.view(len(sizes), sizes[0]).sum(1))
        else:  # an epoch's shorter last batch
            self._correct.append(torch.stack([h.sum() for h in hits.split(sizes)]))
        self._scored.clear()

    @property
    def pending(self):
        return len(self._meta)

    def flush(self):
        """The pending batches as (epoch, batch, step, loss, accuracy, lr) tuples, with one
        device-to-host copy; the epoch's totals are updated."""
        if not self._meta:
            return []
        import torch

        if self._scored:
            self._score()
        losses = torch.stack(self._losses).float().tolist()
        correct = torch.cat(self._correct).tolist() if self._correct else None
        points = []
        for i, (batch, step, size, lr) in enumerate(self._meta):
            accuracy = None if correct is None else correct[i] / size
            self.loss_sum += losses[i] * size
            if correct is not None:
                self.correct_sum += correct[i]
            self.samples += size
            points.append((self.epoch, batch, step, losses[i], accuracy, lr))
        self._losses.clear()
        self._correct.clear()
        self._meta.clear()
        return points

    def epoch_loss(self):
        return self.loss_sum / max(self.samples, 1)

    def epoch_accuracy(self, classification):
        return self.correct_sum / max(self.samples, 1) if classification else None


class BestEpoch:
    """The lowest watched loss so far and how many epochs since it improved."""

    def __init__(self, best=None, stale=0):
        self.best, self.stale = best, stale

    def update(self, watched):
        """Whether `watched` is a new best."""
        if self.best is None or watched < self.best:
            self.best, self.stale = watched, 0
            return True
        self.stale += 1
        return False

    def early_stop_due(self, patience):
        return bool(patience) and self.stale >= patience


def eta_seconds(active, steps_done, steps_total):
    """Time left at the pace so far; None before any step."""
    if steps_done <= 0:
        return None
    return max(0.0, active / steps_done * (steps_total - steps_done))


def epoch_record(epoch, log, classification, scores, lr, speed, elapsed, eta):
    """One line of metrics.jsonl: METRIC_KEYS in order; `scores` is (loss, accuracy, rmse)
    on the validation split, or None without one."""
    val_loss, val_accuracy, val_rmse = scores if scores is not None else (None,) * 3
    values = (
        epoch,
        log.epoch_loss(),
        log.epoch_accuracy(classification),
        val_loss,
        val_accuracy,
        val_rmse,
        lr,
        speed,
        elapsed,
        eta,
    )
    return dict(zip(METRIC_KEYS, values, strict=True))


def json_line(record):
    """A record as one line of JSON: NaN and infinities become null (JSON has neither)."""
    import json

    safe = {
        k: None if isinstance(v, float) and not math.isfinite(v) else v
        for k, v in record.items()
    }
    return json.dumps(safe)


# fmt: on
