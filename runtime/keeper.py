"""What a run keeps: the best epoch's weights (in memory until the next save), the resume state
at most every ~10 s and always at the end, and best.pt / last.pt.

Stop may come in the middle of an epoch whose predecessor was not written (less than ~10 s
after the last save): the last whole epoch's state is then kept in memory, on the CPU, and
written when the run ends, so a stopped run always resumes from the last epoch it showed."""

from __future__ import annotations

import time

import torch

from i18n import msg
from recipe.loop import restore_run_state, run_state
from recipe.metrics import BestEpoch
from runtime.checkpoints import RunFolder, nothing_left
from runtime.failures import RunFailed

# Checkpoint files are written at most this often, and always at the end of a run: writing them
# every epoch costs a few percent of the training time of a small network.
SAVE_SECONDS = 10.0


class Keeper:
    def __init__(
        self, folder: RunFolder, net: torch.nn.Module, optimizer, scheduler, scaler=None
    ) -> None:
        self.folder = folder
        self.net = net
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.scaler = scaler  # fp16's GradScaler: its scale is part of what resumes
        self.best = BestEpoch()
        self.best_weights: dict[str, torch.Tensor] | None = None  # not yet written to best.pt
        self.last_save = time.perf_counter()
        self.unsaved: dict | None = None  # the last whole epoch's state, if not yet written

    def resume(self, state: dict, epochs: int) -> int:
        """Load a saved state; the epoch it ended after."""
        try:
            epoch, best_loss, stale = restore_run_state(
                state, self.net, self.optimizer, self.scheduler, self.scaler
            )
        except (KeyError, RuntimeError, ValueError, TypeError) as exc:
            line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise RunFailed(
                msg("cannot resume: the saved state does not fit this network ({line})", line=line)
            ) from None
        self.best = BestEpoch(best_loss, stale)
        why = nothing_left(epoch, epochs)
        if why is not None:
            raise RunFailed(why)
        return epoch

    def note(self, watched: float) -> None:
        """An epoch ended with this validation (or training) loss."""
        if self.best.update(watched):
            # a copy on the device: cheap, and written to disk with the next save
            self.best_weights = {k: v.detach().clone() for k, v in self.net.state_dict().items()}

    def save(self, epoch: int, final: bool) -> None:
        """The resume state: always after the run's last epoch, else at most every SAVE_SECONDS."""
        parts = (self.net, self.optimizer, self.scheduler, self.scaler)
        state = run_state(*parts, epoch, self.best.best, self.best.stale)
        if final or time.perf_counter() - self.last_save >= SAVE_SECONDS:
            self.write_best()
            self.folder.save_state(state)
            self.last_save = time.perf_counter()
            self.unsaved = None
        else:  # the next epoch's training changes these tensors in place: a copy
            self.unsaved = _copied(state)

    def write_best(self) -> None:
        if self.best_weights is not None:
            self.folder.save_state_dict(self.best_weights, self.folder.best)
            self.best_weights = None

    def finish(self) -> None:
        if self.unsaved is not None:  # stopped within an epoch: resume after the last whole one
            self.folder.save_state(self.unsaved)
            self.unsaved = None
        self.write_best()
        self.folder.save_weights(self.net, self.folder.last)
        if not self.folder.best.exists():
            self.folder.save_weights(self.net, self.folder.best)


def _copied(value: object) -> object:
    """`value` with every tensor copied to the CPU (dicts and lists rebuilt, the rest shared)."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", copy=True)
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copied(v) for v in value)
    return value
