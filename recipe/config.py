"""`TrainConfig`: one run's settings as attributes, built from the schema in recipe.settings.

Its fields are the schema's settings (same names, same defaults) plus the run's own paths
(`out_dir`, `resume_from`, `start_weights` with `strict_weights`, `tensorboard_dir`), which
come from the person running, never from a project file.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from i18n import msg
from recipe.settings import SETTINGS, ConfigError, check_training

__all__ = ["ConfigError", "TrainConfig"]


class _Methods:
    """What TrainConfig adds to its generated fields."""

    out_dir: str | None
    resume_from: str | None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> Any:
        """Check every value and store names canonically; raises ConfigError."""
        values = check_training(self.to_training())
        for name, value in values.items():
            setattr(self, name, value)
        return self

    @classmethod
    def from_training(cls, training: dict[str, Any]) -> Any:
        """Settings from `project.training`; unknown keys (and run paths) are ignored."""
        if not isinstance(training, dict):
            raise ConfigError(msg("the training settings must be an object"))
        names = {s.name for s in SETTINGS}
        return cls(**{k: v for k, v in training.items() if k in names})

    def to_training(self) -> dict[str, Any]:
        """What is saved in `project.training`: every setting, no run paths."""
        return {s.name: getattr(self, s.name) for s in SETTINGS}

    def replace(self, **changes: Any) -> Any:
        """A copy with some settings changed (None values are ignored: 'not given')."""
        data = dataclasses.asdict(self)  # type: ignore[call-overload]
        data.update({k: v for k, v in changes.items() if v is not None})
        return type(self)(**data)


def _field(default: Any) -> Any:
    if isinstance(default, dict):
        return dataclasses.field(default_factory=lambda: dict(default))
    return dataclasses.field(default=default)


TrainConfig = dataclasses.make_dataclass(
    "TrainConfig",
    [(s.name, Any, _field(s.default)) for s in SETTINGS]
    + [
        ("out_dir", "str | None", _field(None)),
        ("resume_from", "str | None", _field(None)),
        # a state_dict loaded before training (fine-tuning); strict: every tensor must fit
        ("start_weights", "str | None", _field(None)),
        ("strict_weights", "bool", _field(False)),
        # where TensorBoard logs go (train --tensorboard DIR, the panel's checkbox)
        ("tensorboard_dir", "str | None", _field(None)),
    ],
    bases=(_Methods,),
)
TrainConfig.__module__ = __name__
TrainConfig.__doc__ = "One run's training settings (see recipe.settings.SETTINGS) and paths."
