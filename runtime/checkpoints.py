"""A run's output folder: best and last weights, the metrics history, the settings, resume state.

Layout:
    best.pt         state_dict of the epoch with the lowest validation loss
    last.pt         state_dict at the end of the run
    state.pt        weights, optimizer/scheduler/GradScaler state and the epoch, for resuming
                    (recipe.loop.run_state, the exported script's too): written at
                    the end of a run's last epoch and at most every ~10 s before that
    metrics.jsonl   one JSON object per epoch
    settings.json   the TrainConfig, dataset info and model class used
    model.py        the generated source that was trained
    evaluation.json per-class figures, top-k accuracy, mistakes / residuals (runtime.evaluation),
                    with misclassified/*.png for image samples and predictions.csv for regression
Everything is read back with torch.load(..., weights_only=True).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import torch

from i18n import msg
from recipe.metrics import json_line


class CheckpointError(ValueError):
    """A run folder cannot be written or resumed from; the message is one line."""


class RunFolder:
    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        try:
            if path is None:
                path = tempfile.mkdtemp(prefix="netwright-run-")
            self.path = Path(path)
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CheckpointError(
                msg(
                    "cannot create the output folder {path}: {strerror}",
                    path=path,
                    strerror=exc.strerror,
                )
            ) from None

    @property
    def best(self) -> Path:
        return self.path / "best.pt"

    @property
    def last(self) -> Path:
        return self.path / "last.pt"

    @property
    def state(self) -> Path:
        return self.path / "state.pt"

    @property
    def metrics(self) -> Path:
        return self.path / "metrics.jsonl"

    def write_settings(self, settings: dict[str, Any], source: str) -> None:
        text = json.dumps(settings, indent=2, default=str) + "\n"
        (self.path / "settings.json").write_text(text, encoding="utf-8")
        (self.path / "model.py").write_text(source, encoding="utf-8")

    def start_metrics(self, keep_epochs: int) -> None:
        """A fresh history, or on resume the first `keep_epochs` epochs of the old one."""
        kept: list[str] = []
        if keep_epochs and self.metrics.exists():
            kept = self.metrics.read_text(encoding="utf-8").splitlines()[:keep_epochs]
        self.metrics.write_text("".join(line + "\n" for line in kept), encoding="utf-8")

    def append_metrics(self, record: dict[str, Any]) -> None:
        """One epoch's record (recipe.metrics.METRIC_KEYS), as the exported script writes it."""
        with self.metrics.open("a", encoding="utf-8") as f:
            f.write(json_line(record) + "\n")

    def save_weights(self, model: torch.nn.Module, which: Path) -> None:
        _atomic_save(model.state_dict(), which)

    def save_state_dict(self, weights: dict[str, torch.Tensor], which: Path) -> None:
        _atomic_save(weights, which)

    def save_state(self, state: dict[str, Any]) -> None:
        """The resume state (recipe.loop.run_state), written atomically."""
        _atomic_save(state, self.state)


def load_weights(path: str | os.PathLike[str]) -> dict[str, torch.Tensor]:
    return torch.load(path, map_location="cpu", weights_only=True)


def load_state(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The resume state of a run folder; a clear CheckpointError if there is none."""
    path = Path(folder) / "state.pt"
    if not path.exists():
        raise CheckpointError(
            msg("cannot resume: {folder} holds no state.pt from an earlier run", folder=folder)
        )
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # unpickling errors come in many types
        raise CheckpointError(
            msg("cannot resume from {path}: {exc}", path=path, exc=_why(exc))
        ) from None


def nothing_left(epoch: int, epochs: int) -> str | None:
    """Why a run saved after `epoch` cannot resume to `epochs`, or None if it can."""
    if epoch < epochs:
        return None
    return msg(
        "nothing to resume: the run already finished {start_epoch} epochs "
        "(epochs={epochs}); ask for more epochs",
        start_epoch=epoch,
        epochs=epochs,
    )


def _why(exc: Exception) -> str:
    """One line of ours for torch's several-line refusals (weights_only's advice included)."""
    text = str(exc)
    if "weights_only" in text or "Unsupported global" in text:
        return msg("it holds Python objects besides tensors, which Netwright does not load")
    if "zip archive" in text or "central directory" in text or "magic number" in text:
        return msg("it is not a PyTorch checkpoint or it is damaged")
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first[:200]


def _atomic_save(obj: Any, path: Path) -> None:
    """Write then rename, so an interrupted save never leaves a half-written checkpoint."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)
