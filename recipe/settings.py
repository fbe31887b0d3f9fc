"""The training settings, defined once: name, kind, default, bounds, choices, aliases, help.

Everything that shows or reads a training setting reads `SETTINGS`: `TrainConfig`, the GUI form,
the `train` command's flags and their help, the exported script's defaults and argparse, `check`
(problems located at `training.<name>`) and the settings table in docs/project-file.md.
Names (optimizer, loss, schedule, device, built-in dataset) are case-insensitive and stored in
their canonical spelling. Pure Python: no torch, no Qt. Labels and help are registry texts
(`localize(s.help)` shows them translated); problems are i18n messages.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from i18n import Message, message_of, msg
from recipe.data import (
    BUILTIN_DATASETS,
    DatasetError,
    canonical_dataset_name,
    dataset_loader,
    resolve_dataset_path,
)


class ConfigError(ValueError):
    """A training setting has a value that cannot be used; `setting` names which one."""

    def __init__(self, message: Message, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class Choice:
    value: str | None
    label: str  # what the GUI shows


@dataclass(frozen=True)
class Setting:
    """One key of a project's `training` object."""

    name: str
    kind: str  # "choice", "float", "int", "bool", "dataset", "device", "options"
    default: Any
    label: str  # the GUI form's row label
    help: str  # one sentence: CLI --help, GUI tooltip, exported script, docs
    low: float | None = None
    high: float | None = None
    open_low: bool = False  # the bound `low` itself is not allowed
    optional: bool = False  # null allowed: "off" or "follows from the task"
    choices: tuple[Choice, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # _key(alias) -> canonical value
    flag: bool = True  # a command-line option of `train` and of the exported script
    form: bool = True  # a row of the GUI form

    @property
    def option(self) -> str:
        """`batch_size` -> `--batch-size`."""
        return "--" + self.name.replace("_", "-")

    @property
    def values(self) -> tuple[str | None, ...]:
        return tuple(c.value for c in self.choices)

    def canonical(self, value: Any) -> Any:
        """The value checked and in canonical spelling; raises ConfigError naming this setting."""
        if value is None and (self.optional or self.default is None):
            return None
        check = _CHECKS[self.kind]
        return check(self, value)


def _key(text: Any) -> str:
    """`CrossEntropy`, `cross-entropy`, `cross_entropy` -> `crossentropy`."""
    return re.sub(r"[\s_\-]+", "", str(text)).lower()


def _choice(s: Setting, value: Any) -> Any:
    if s.optional and value in ("", "auto", "default"):
        return None
    key = _key(value)
    for choice in s.choices:
        if choice.value is not None and _key(choice.value) == key:
            return choice.value
    if key in s.aliases:
        return s.aliases[key]
    raise ConfigError(
        msg(
            "unknown {setting} '{value}': choose one of {names}",
            setting=s.name,
            value=value,
            names=", ".join(v for v in s.values if v is not None),
        ),
        s.name,
    )


def _float(s: Setting, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(
            msg("{setting} must be a number, not {value}", setting=s.name, value=repr(value)),
            s.name,
        )
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    low = -math.inf if s.low is None else s.low
    high = math.inf if s.high is None else s.high
    if not math.isfinite(number) or number < low or (s.open_low and number == low) or number > high:
        raise ConfigError(
            msg(
                "{setting} must be {bounds}, not {value:g}",
                setting=s.name,
                bounds=bounds(s),
                value=number,
            ),
            s.name,
        )
    return number


def _int(s: Setting, value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(
            msg("{setting} must be a whole number, not {value}", setting=s.name, value=repr(value)),
            s.name,
        )
    if (s.low is not None and value < s.low) or (s.high is not None and value > s.high):
        raise ConfigError(
            msg(
                "{setting} must be {bounds}, not {value}",
                setting=s.name,
                bounds=bounds(s),
                value=value,
            ),
            s.name,
        )
    return value


def _bool(s: Setting, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(
            msg("{setting} must be true or false, not {value}", setting=s.name, value=repr(value)),
            s.name,
        )
    return value


def _dataset(s: Setting, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(msg("the dataset is empty: choose a built-in name or a file"), s.name)
    return canonical_dataset_name(value)


_DEVICE = re.compile(r"^(cpu|auto|mps|cuda(:\d+)?)$")


def _device(s: Setting, value: Any) -> str:
    text = str(value).strip().lower()
    if not isinstance(value, str) or not _DEVICE.match(text):
        raise ConfigError(
            msg("unknown device '{value}': choose cpu, cuda, cuda:N, mps or auto", value=value),
            s.name,
        )
    return text


def _options(s: Setting, value: Any) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(
            msg(
                "{setting} must be an object (a dict), not {value}",
                setting=s.name,
                value=repr(value),
            ),
            s.name,
        )
    return dict(value)


_CHECKS = {
    "choice": _choice,
    "float": _float,
    "int": _int,
    "bool": _bool,
    "dataset": _dataset,
    "device": _device,
    "options": _options,
}


def bounds(s: Setting) -> Message:
    """`above 0`, `at least 1`, `at least 0 and at most 0.95`: the allowed range in words."""
    low = high = None
    if s.low is not None:
        low = (
            msg("above {low}", low=_num(s.low))
            if s.open_low
            else msg("at least {low}", low=_num(s.low))
        )
    if s.high is not None:
        high = msg("at most {high}", high=_num(s.high))
    if low is not None and high is not None:
        return msg("{low} and {high}", low=low, high=high)
    return low or high or msg("any number")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _c(*pairs: tuple[str | None, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


LOSS = Setting(
    "loss",
    "choice",
    None,
    "Loss",
    "the loss function; left out, cross_entropy for classification and mse for regression",
    optional=True,
    choices=_c(
        (None, "Default for the task"),
        ("cross_entropy", "Cross-entropy"),
        ("nll", "Negative log-likelihood"),
        ("mse", "Mean squared error"),
        ("l1", "L1 (mean absolute error)"),
        ("smooth_l1", "Smooth L1"),
        ("bce_with_logits", "BCE with logits"),
    ),
    aliases={
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
    },
)

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "dataset",
        "dataset",
        "digits",
        "Dataset",
        "a built-in dataset (" + ", ".join(BUILTIN_DATASETS) + ") or the path of a .csv or .npz "
        "file or an image folder, relative to the project file",
    ),
    Setting(
        "dataset_options",
        "options",
        {},
        "Dataset options",
        "keyword arguments for the dataset's loader (samples, noise, features, target, task…)",
        flag=False,
        form=False,
    ),
    LOSS,
    Setting(
        "optimizer",
        "choice",
        "adam",
        "Optimizer",
        "the optimizer that updates the weights",
        choices=_c(("sgd", "SGD"), ("adam", "Adam"), ("adamw", "AdamW"), ("rmsprop", "RMSprop")),
    ),
    Setting("lr", "float", 1e-3, "Learning rate", "the learning rate", low=0.0, open_low=True),
    Setting(
        "momentum",
        "float",
        0.9,
        "Momentum",
        "momentum of SGD and RMSprop",
        low=0.0,
        high=1.0,
    ),
    Setting("nesterov", "bool", False, "Nesterov", "Nesterov momentum (SGD)", form=False),
    Setting(
        "weight_decay",
        "float",
        0.0,
        "Weight decay",
        "L2 penalty on the weights",
        low=0.0,
        form=False,
    ),
    Setting(
        "schedule",
        "choice",
        "none",
        "LR schedule",
        "how the learning rate changes over the run",
        choices=_c(
            ("none", "Constant"), ("step", "Step"), ("cosine", "Cosine"), ("onecycle", "One-cycle")
        ),
        aliases={
            "off": "none",
            "constant": "none",
            "steplr": "step",
            "cosineannealing": "cosine",
            "cosineannealinglr": "cosine",
            "onecyclelr": "onecycle",
        },
    ),
    Setting(
        "grad_clip",
        "float",
        None,
        "Gradient clipping",
        "clip the gradients' norm to this value; left out, no clipping",
        low=0.0,
        open_low=True,
        optional=True,
        form=False,
    ),
    Setting("epochs", "int", 10, "Epochs", "passes over the training data", low=1),
    Setting("batch_size", "int", 64, "Batch size", "samples per step", low=1, high=1 << 24),
    Setting(
        "device",
        "device",
        "auto",
        "Device",
        "cpu, cuda, cuda:N, mps, or auto (CUDA, then MPS, then CPU)",
    ),
    Setting(
        "seed",
        "int",
        0,
        "Seed",
        "seeds the weights, the split and the shuffling: same seed, same run",
        low=0,
        high=2**31 - 1,
    ),
    Setting(
        "val_fraction",
        "float",
        0.2,
        "Validation share",
        "share of the samples kept apart to validate on",
        low=0.0,
        high=0.95,
    ),
    Setting(
        "precision",
        "choice",
        "fp32",
        "Precision",
        "number format of the forward pass: fp32, or bf16/fp16 mixed precision (torch.autocast; "
        "fp16 with a GradScaler); a device that cannot compute in it says so",
        choices=_c(("fp32", "fp32 (full)"), ("bf16", "bf16 (mixed)"), ("fp16", "fp16 (mixed)")),
        aliases={"float32": "fp32", "bfloat16": "bf16", "float16": "fp16", "half": "fp16"},
    ),
    Setting(
        "compile",
        "bool",
        False,
        "Compile",
        "compile the network with torch.compile (the first epoch pays the compile time); where "
        "this platform cannot compile, the run says so and trains without it",
    ),
    Setting(
        "threads",
        "int",
        None,
        "CPU threads",
        "CPU threads torch may use; left out, one per core (with the editor open: one per core "
        "but one, which the window keeps)",
        low=1,
        high=1024,
        optional=True,
        form=False,
    ),
    Setting(
        "workers",
        "int",
        0,
        "Loader workers",
        "processes that cut and copy batches (torch DataLoader workers); 0 cuts them in the "
        "training process, fastest for data that fits in memory",
        low=0,
        high=64,
    ),
    Setting(
        "early_stopping",
        "int",
        None,
        "Early stopping",
        "stop when the validation loss has not improved for this many epochs; left out, never",
        low=1,
        optional=True,
        form=False,
    ),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
# Keys of `training` that older files hold but that a file may not decide: an output folder
# comes from the person running (a flag or a dialog), never from a shared project file.
RUN_ONLY_KEYS = ("out_dir", "resume_from")
# the help of `--tensorboard DIR`, a run option of `train` and of exported scripts
TENSORBOARD_HELP = (
    "also write TensorBoard logs into DIR (losses, accuracies, lr, the model graph and weight "
    "histograms per epoch); view them with: tensorboard --logdir DIR"
)
# the help of `--weights FILE` and `--strict-weights`, run options of `train` and of scripts
WEIGHTS_HELP = (
    "start from these weights (a state_dict, loaded safely): what fits is loaded, what does "
    "not is listed by layer"
)
STRICT_WEIGHTS_HELP = "with --weights: refuse the file unless every tensor fits the drawing"


def defaults() -> dict[str, Any]:
    """Every setting at its default (fresh copies)."""
    return {s.name: _copy(s.default) for s in SETTINGS}


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


@dataclass(frozen=True)
class SettingProblem:
    """A bad value in a project's `training` object, located at `training.<setting>`."""

    setting: str
    message: str
    severity: str = "error"

    @property
    def location(self) -> str:
        return f"training.{self.setting}" if self.setting else "training"

    def to_json(self) -> dict[str, Any]:
        return {
            "node": None,
            "port": None,
            "field": self.location,
            "message": self.message,
            "code": "training_setting",
        }


def read_training(
    training: Any, base: str | None = None, datasets: bool = True
) -> tuple[dict[str, Any], list[SettingProblem]]:
    """(every setting, canonical; a bad one at its default) and the problems found. With
    `datasets`, the dataset is looked up too (a path relative to `base`, the project file's
    folder), as `check` does.

    Unknown keys are kept by the project file but ignored here."""
    values = defaults()
    if not isinstance(training, dict):
        return values, [SettingProblem("", msg("the training settings must be an object"))]
    problems: list[SettingProblem] = []
    for s in SETTINGS:
        if s.name not in training:
            continue
        try:
            values[s.name] = s.canonical(training[s.name])
        except ConfigError as exc:
            problems.append(SettingProblem(s.name, message_of(exc)))
    problems.extend(_combination_problems(values, training, base, datasets))
    return values, problems


def _combination_problems(
    values: dict[str, Any], training: dict, base: str | None, datasets: bool
) -> list[SettingProblem]:
    problems = []
    if values["nesterov"] and values["optimizer"] == "sgd" and values["momentum"] == 0:
        problems.append(SettingProblem("nesterov", msg("nesterov needs a momentum above 0")))
    if datasets and "dataset" in training and isinstance(training["dataset"], str):
        try:
            dataset = resolve_dataset_path(values["dataset"], base)
            dataset_loader(dataset, values["dataset_options"])
        except DatasetError as exc:
            problems.append(SettingProblem("dataset", message_of(exc)))
    for key in RUN_ONLY_KEYS:
        if training.get(key) not in (None, ""):
            problems.append(
                SettingProblem(
                    key,
                    msg(
                        "{key} in a project file is ignored: the output folder is chosen when "
                        "training (train --out / --resume, or the Save dialog)",
                        key=key,
                    ),
                    "warning",
                )
            )
    return problems


def check_training(training: Any) -> dict[str, Any]:
    """The canonical settings; the first error as a ConfigError naming its setting."""
    values, problems = read_training(training, datasets=False)
    for problem in problems:
        if problem.severity == "error":
            raise ConfigError(problem.message, problem.setting or None)
    return values
