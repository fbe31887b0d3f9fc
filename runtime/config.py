"""Training settings: what a run uses, read from and written to a project's `training` object.

Names (optimizer, loss, schedule, device, built-in dataset) are case-insensitive and stored in
their canonical spelling; a bad value is a ConfigError with a message a learner can act on.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from i18n import msg

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop")
LOSSES = ("cross_entropy", "nll", "mse", "l1", "smooth_l1", "bce_with_logits")
SCHEDULES = ("none", "step", "cosine", "onecycle")
_DEVICE = re.compile(r"^(cpu|auto|mps|cuda(:\d+)?)$")


class ConfigError(ValueError):
    """A training setting has a value that cannot be used; the message says which and why."""


def _key(text: str) -> str:
    """`CrossEntropy`, `cross-entropy`, `cross_entropy` -> `crossentropy`."""
    return re.sub(r"[\s_\-]+", "", text).lower()


_LOSS_NAMES = {_key(n): n for n in LOSSES} | {
    "ce": "cross_entropy",
    "crossentropyloss": "cross_entropy",
    "nllloss": "nll",
    "mseloss": "mse",
    "l1loss": "l1",
    "mae": "l1",
    "smoothl1loss": "smooth_l1",
    "huber": "smooth_l1",
    "bce": "bce_with_logits",
    "bcewithlogitsloss": "bce_with_logits",
}
_SCHEDULE_NAMES = {_key(n): n for n in SCHEDULES} | {
    "off": "none",
    "steplr": "step",
    "cosineannealing": "cosine",
    "cosineannealinglr": "cosine",
    "onecyclelr": "onecycle",
}


def canonical_optimizer(name: str) -> str:
    key = _key(str(name))
    if key not in OPTIMIZERS:
        raise ConfigError(
            msg(
                "unknown optimizer '{name}': choose one of {items}",
                name=name,
                items=", ".join(OPTIMIZERS),
            )
        )
    return key


def canonical_loss(name: str) -> str:
    key = _key(str(name))
    if key not in _LOSS_NAMES:
        raise ConfigError(
            msg("unknown loss '{name}': choose one of {items}", name=name, items=", ".join(LOSSES))
        )
    return _LOSS_NAMES[key]


def canonical_schedule(name: str) -> str:
    key = _key(str(name))
    if key not in _SCHEDULE_NAMES:
        raise ConfigError(
            msg(
                "unknown schedule '{name}': choose one of {items}",
                name=name,
                items=", ".join(SCHEDULES),
            )
        )
    return _SCHEDULE_NAMES[key]


def canonical_device(name: str) -> str:
    text = str(name).strip().lower()
    if not _DEVICE.match(text):
        raise ConfigError(
            msg("unknown device '{name}': choose cpu, cuda, cuda:N, mps or auto", name=name)
        )
    return text


def canonical_dataset(name: str) -> str:
    """Built-in names are lower-cased (`Digits` -> `digits`); paths are kept as written."""
    from codegen.data_sources import _ALIASES, BUILTIN_DATASETS

    text = str(name).strip()
    if not text:
        raise ConfigError(msg("the dataset is empty: choose a built-in name or a file"))
    low = _ALIASES.get(text.lower(), text.lower())
    return low if low in BUILTIN_DATASETS else text


@dataclass
class TrainConfig:
    dataset: str = "digits"
    dataset_options: dict = field(default_factory=dict)
    loss: str | None = None  # None: cross_entropy for classification, mse for regression
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9  # SGD and RMSprop
    nesterov: bool = False
    weight_decay: float = 0.0
    schedule: str = "none"
    grad_clip: float | None = None
    epochs: int = 10
    batch_size: int = 64
    device: str = "auto"
    seed: int = 0
    val_fraction: float = 0.2
    early_stopping: int | None = None  # patience in epochs on validation loss
    out_dir: str | None = None
    resume_from: str | None = None  # a run folder whose last state the run continues from

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> TrainConfig:
        """Check every value and store names canonically; raises ConfigError."""
        self.dataset = canonical_dataset(self.dataset)
        if not isinstance(self.dataset_options, dict):
            raise ConfigError(msg("dataset_options must be an object (a dict)"))
        self.loss = None if self.loss in (None, "", "auto") else canonical_loss(self.loss)
        self.optimizer = canonical_optimizer(self.optimizer)
        self.schedule = canonical_schedule(self.schedule or "none")
        self.device = canonical_device(self.device)
        self.lr = _number("lr", self.lr, low=0.0, open_low=True)
        self.momentum = _number("momentum", self.momentum, low=0.0, high=1.0)
        self.weight_decay = _number("weight_decay", self.weight_decay, low=0.0)
        self.val_fraction = _number("val_fraction", self.val_fraction, low=0.0, high=0.95)
        if self.grad_clip is not None:
            self.grad_clip = _number("grad_clip", self.grad_clip, low=0.0, open_low=True)
        if not isinstance(self.nesterov, bool):
            raise ConfigError(
                msg("nesterov must be true or false, not {nesterov!r}", nesterov=self.nesterov)
            )
        self.epochs = _whole("epochs", self.epochs, 1)
        self.batch_size = _whole("batch_size", self.batch_size, 1)
        self.seed = _whole("seed", self.seed, 0)
        if self.early_stopping is not None:
            self.early_stopping = _whole("early_stopping", self.early_stopping, 1)
        if self.nesterov and self.optimizer == "sgd" and self.momentum == 0:
            raise ConfigError(msg("nesterov needs a momentum above 0"))
        return self

    @classmethod
    def from_training(cls, training: dict[str, Any]) -> TrainConfig:
        """Settings from `project.training`; unknown keys are ignored, bad values raise."""
        if not isinstance(training, dict):
            raise ConfigError(msg("the training settings must be an object"))
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in training.items() if k in names})

    def to_training(self) -> dict[str, Any]:
        """What is saved in `project.training` (run-specific paths left out)."""
        data = asdict(self)
        for key in ("out_dir", "resume_from"):
            data.pop(key)
        return data

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with some settings changed (None values are ignored: 'not given')."""
        data = asdict(self)
        data.update({k: v for k, v in changes.items() if v is not None})
        return TrainConfig(**data)


def _number(name: str, value: Any, low: float, high: float = math.inf, open_low=False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(msg("{name} must be a number, not {value!r}", name=name, value=value))
    value = float(value)
    if not math.isfinite(value) or value < low or (open_low and value == low) or value > high:
        bound = msg("above {low:g}", low=low) if open_low else msg("at least {low:g}", low=low)
        if high != math.inf:
            bound = msg("{bound} and at most {high:g}", bound=bound, high=high)
        raise ConfigError(
            msg("{name} must be {bound}, not {value:g}", name=name, bound=bound, value=value)
        )
    return value


def _whole(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ConfigError(
                msg("{name} must be a whole number, not {value!r}", name=name, value=value)
            )
    if value < low:
        raise ConfigError(
            msg("{name} must be at least {low}, not {value}", name=name, low=low, value=value)
        )
    return value
