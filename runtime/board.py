"""TensorBoard logs of a run in the runtime: the recipe's writer (recipe.tensorboard) with the
runtime's messages."""

from __future__ import annotations

from typing import Any

import torch

from i18n import msg
from recipe.tensorboard import tensorboard_writer
from runtime.failures import RunFailed


def open_board(folder: str, net: torch.nn.Module, example: torch.Tensor, notes: list) -> Any:
    """A SummaryWriter into `folder` with the graph of `net` written; `notes` gets (level,
    text) lines to show once the run has started. RunFailed where tensorboard is missing."""
    try:
        writer, why = tensorboard_writer(folder, net, example)
    except ValueError:
        raise RunFailed(
            msg("TensorBoard logs need the tensorboard package: pip install tensorboard")
        ) from None
    if why is not None:
        notes.append(
            (
                "warning",
                msg(
                    "TensorBoard shows no graph: the network could not be traced ({reason})",
                    reason=why,
                ),
            )
        )
    notes.append(
        (
            "info",
            msg(
                "TensorBoard logs go to {folder}; view them with: tensorboard --logdir {folder}",
                folder=folder,
            ),
        )
    )
    return writer
