"""The speed settings of a run, turned into torch objects: threads, mixed precision (autocast
and fp16's GradScaler), torch.compile with its fallback, and the data loader's workers. The
recipe (recipe.loop) holds what the exported script shares; this adds the runtime's messages."""

from __future__ import annotations

import torch

from i18n import msg
from recipe.config import TrainConfig
from recipe.loop import compiled, mixed_precision
from runtime.failures import RunFailed


def apply_threads(cfg: TrainConfig) -> None:
    """`threads` given: torch uses that many intra-op threads (for this thread's pool)."""
    if cfg.threads is not None:
        torch.set_num_threads(cfg.threads)


def precision_tools(cfg: TrainConfig, device: torch.device) -> tuple:
    """(autocast maker or None, GradScaler or None); RunFailed where the device cannot."""
    try:
        return mixed_precision(cfg.precision, device)
    except ValueError as exc:
        raise RunFailed(
            msg(
                "precision {precision} is not available: {reason}",
                precision=cfg.precision,
                reason=str(exc),
            )
        ) from None


def compile_network(net: torch.nn.Module, notes: list) -> torch.nn.Module:
    """torch.compile(net), or net itself with a (level, text) note saying why it cannot be
    compiled here."""
    model, why = compiled(net)
    if why is not None:
        notes.append(("warning", compile_fallback(why)))
    return model


def compile_fallback(reason: str) -> str:
    return msg("torch.compile is not available here ({reason}); training without it", reason=reason)


def compile_note(seconds: float) -> str:
    return msg(
        "torch.compile took {seconds:.1f} s in the first batch (not counted in samples/s)",
        seconds=seconds,
    )
