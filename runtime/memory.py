"""A run's memory, estimated from the validation report before anything is allocated: a
network too big for the machine is refused in milliseconds instead of after gigabytes."""

from __future__ import annotations

import contextlib
import math
import os

import torch

from graph import Project
from graph.messages import title
from i18n import msg
from recipe.config import TrainConfig
from runtime.failures import RunFailed

BYTES = 4  # float32
# weights + gradients + two optimizer moments (Adam's; SGD with momentum keeps one)
WEIGHT_COPIES = 4
# each activation is kept for backward and gets a gradient of its own
ACTIVATION_COPIES = 3


def node_bytes(project: Project, batch_size: int) -> dict[str, int]:
    """Each node's weights, optimizer state and activations for one batch, from the checked
    shapes."""
    costs = {}
    for node_id, node in project.validate().nodes.items():
        values = sum(
            math.prod(int(d) for d in t.shape)
            for t in node.outputs
            if t is not None and t.shape is not None
        )
        costs[node_id] = (
            node.params * BYTES * WEIGHT_COPIES + values * batch_size * BYTES * ACTIVATION_COPIES
        )
    return costs


def free_bytes(device: torch.device) -> int | None:
    """Memory the run may take on `device`; None when unknown."""
    if device.type == "cuda":
        with contextlib.suppress(RuntimeError):
            return int(torch.cuda.mem_get_info(device)[0])
        return None
    if device.type == "cpu":
        with contextlib.suppress(OSError, ValueError), open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
        with contextlib.suppress(ValueError, OSError, AttributeError):
            return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    return None


def check_memory(project: Project, config: TrainConfig, device: torch.device) -> None:
    """Refuse a run that cannot fit, naming the figures, the costliest node and what to do."""
    costs = node_bytes(project, config.batch_size)
    needed = sum(costs.values())
    free = free_bytes(device)
    if free is None or needed <= free or not costs:
        return
    worst = max(costs, key=costs.__getitem__)
    node = project.node(worst)
    raise RunFailed(
        msg(
            "out of memory: this run needs about {needed} on {device} but {free} is free, "
            "{part} of it for {node} with batch size {batch_size}: try a smaller batch size or "
            "a smaller network",
            needed=_gb(needed),
            device=device,
            free=_gb(free),
            part=_gb(costs[worst]),
            node=title(node),
            batch_size=config.batch_size,
        ),
        worst,
    )


def _gb(size: int) -> str:
    return f"{size / 2**30:.1f} GB"
