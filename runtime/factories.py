"""Losses, optimizers and learning-rate schedules built from a TrainConfig."""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from recipe.config import TrainConfig

_LOSSES = {
    "cross_entropy": nn.CrossEntropyLoss,
    "nll": nn.NLLLoss,
    "mse": nn.MSELoss,
    "l1": nn.L1Loss,
    "smooth_l1": nn.SmoothL1Loss,
    "bce_with_logits": nn.BCEWithLogitsLoss,
}
CLASS_INDEX_LOSSES = ("cross_entropy", "nll")  # targets are class indices


def loss_name(config: TrainConfig, task: str) -> str:
    """The configured loss, or the task's default."""
    if config.loss is not None:
        return config.loss
    return "cross_entropy" if task == "classification" else "mse"


def make_loss(name: str) -> nn.Module:
    return _LOSSES[name]()


def make_optimizer(
    config: TrainConfig, params: Iterable[torch.nn.Parameter]
) -> torch.optim.Optimizer:
    params = list(params)
    wd = config.weight_decay
    if config.optimizer == "sgd":
        return torch.optim.SGD(
            params,
            lr=config.lr,
            momentum=config.momentum,
            nesterov=config.nesterov,
            weight_decay=wd,
        )
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=config.lr, weight_decay=wd)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=config.lr, weight_decay=wd)
    return torch.optim.RMSprop(params, lr=config.lr, momentum=config.momentum, weight_decay=wd)


def make_schedule(
    config: TrainConfig, optimizer: torch.optim.Optimizer, steps_per_epoch: int
) -> tuple[torch.optim.lr_scheduler.LRScheduler | None, bool]:
    """(scheduler or None, whether it steps after every batch rather than every epoch)."""
    if config.schedule == "step":
        # a tenth of the rate at each third of the run: the classic staircase
        step = max(1, config.epochs // 3)
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=step, gamma=0.1), False
    if config.schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs), False
    if config.schedule == "onecycle":
        total = config.epochs * steps_per_epoch
        return torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=config.lr, total_steps=total
        ), True
    return None, False
