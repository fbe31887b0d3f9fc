"""The learning-rate range test (Smith, "Cyclical Learning Rates", 2017; fastai's lr_find):
a short run whose learning rate grows exponentially from LR_START to LR_END, one step per batch,
on a fresh copy of the network (the project and any run are untouched). The loss falls while
the rate is useful and explodes once it is too large.

The suggestion is the rate where the smoothed loss falls fastest against log(lr) before its
minimum (the "steepest" rule): large enough to learn quickly, safely below the rate that
diverges. The steps are the recipe's (recipe.loop), as a real run's are.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from graph import Project
from i18n import message_of, msg
from recipe.config import ConfigError, TrainConfig
from recipe.data import DatasetError
from recipe.loop import epoch_batches, make_loss, make_optimizer, train_step
from runtime.datasets import prepare_data
from runtime.devices import DeviceError, resolve_device
from runtime.failures import FailureNamer, RunFailed
from runtime.network import NetworkError, build_network

LR_START = 1e-7
LR_END = 10.0
LR_STEPS = 100
SMOOTHING = 0.9  # exponential smoothing of the loss (bias-corrected), as fastai does
DIVERGED = 4.0  # the test ends once the smoothed loss is this many times its minimum
SKIP_START = 0.1  # the first tenth of the curve is noise from the untrained start


@dataclass(frozen=True)
class RangeTest:
    """The curve of a range test and what it suggests."""

    lrs: list[float]
    losses: list[float]
    smoothed: list[float]
    suggested_lr: float | None  # None when the loss never fell
    minimum_lr: float | None  # the rate at the lowest smoothed loss

    def to_dict(self) -> dict:
        return asdict(self)


def lr_schedule(start: float, end: float, steps: int) -> list[float]:
    """`steps` rates from `start` to `end`, evenly spaced on a log scale."""
    if steps < 2:
        return [start]
    ratio = (end / start) ** (1 / (steps - 1))
    return [start * ratio**i for i in range(steps)]


def smooth(losses: list[float], beta: float = SMOOTHING) -> list[float]:
    """Exponential moving average with bias correction (an unbiased start)."""
    out, average = [], 0.0
    for i, loss in enumerate(losses, start=1):
        average = beta * average + (1 - beta) * loss
        out.append(average / (1 - beta**i))
    return out


def suggest(lrs: list[float], smoothed: list[float]) -> tuple[float | None, float | None]:
    """(suggested lr, lr at the minimum): the steepest fall of the smoothed loss against
    log10(lr) between the noisy start and the minimum."""
    if not smoothed:
        return None, None
    values = np.asarray(smoothed, dtype=float)
    lowest = int(np.nanargmin(values))
    minimum = lrs[lowest]
    first = int(len(values) * SKIP_START)
    if lowest - first < 3:  # the loss never fell for long: a tenth of the minimum's rate
        return (minimum / 10 if lowest > 0 else None), minimum
    x = np.log10(np.asarray(lrs[first : lowest + 1], dtype=float))
    slope = np.gradient(values[first : lowest + 1], x)
    return lrs[first + int(np.argmin(slope))], minimum


def range_test(
    project: Project,
    config: TrainConfig,
    steps: int = LR_STEPS,
    start_lr: float = LR_START,
    end_lr: float = LR_END,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RangeTest:
    """Run the range test with the project's settings; RunFailed (one line) if it cannot."""
    try:
        config.validate()
        device = resolve_device(config.device)
        network = build_network(project, config.seed)
        data = prepare_data(config, network, project)
    except (ConfigError, DeviceError, DatasetError) as exc:
        raise RunFailed(message_of(exc)) from None
    except NetworkError as exc:
        raise RunFailed(message_of(exc), exc.node_id) from None
    net = network.module.to(device)
    net.train()
    loss_fn = make_loss(data.loss)
    optimizer = make_optimizer(config.to_training(), net.parameters())
    fail = FailureNamer(project, network, device, config.batch_size)
    X, y = data.X_train, data.y_train
    shuffle = torch.Generator().manual_seed(config.seed)
    batches: list[torch.Tensor] = []
    lrs, losses = [], []
    best = math.inf
    for step, lr in enumerate(lr_schedule(start_lr, end_lr, steps), start=1):
        if should_stop is not None and should_stop():
            break
        if not batches:
            batches = epoch_batches(torch.randperm(len(X), generator=shuffle), config.batch_size)
        index = batches.pop(0)
        for group in optimizer.param_groups:
            group["lr"] = lr
        xb, yb = X[index].to(device), y[index].to(device)
        try:
            loss, _ = train_step(
                net, loss_fn, optimizer, xb, yb, data.to_target, None, config.grad_clip
            )
        except Exception as exc:
            raise fail(exc, in_loss=True) from None
        value = float(loss)
        if not math.isfinite(value):
            break  # diverged: the curve so far is the answer
        lrs.append(lr)
        losses.append(value)
        smoothed = smooth(losses)[-1]
        best = min(best, smoothed)
        if progress is not None:
            progress(step, steps)
        if smoothed > DIVERGED * best and step > steps * SKIP_START:
            break
    if len(losses) < 2:
        raise RunFailed(
            msg(
                "the learning-rate range test diverged at once (lr {lr:g}): check the data and "
                "the network",
                lr=start_lr,
            )
        )
    smoothed = smooth(losses)
    suggested, minimum = suggest(lrs, smoothed)
    return RangeTest(lrs, losses, smoothed, suggested, minimum)
