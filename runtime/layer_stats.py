"""Per-layer statistics of a live run, for the canvas's gradient-flow tint: every `every`-th
batch, for each node that owns a module, the gradient norm of its parameters, the size of the
optimizer's update relative to its weights, the mean and spread of its output, and for ReLUs the
fraction of units that are dead (zero for every sample of the batch).

Cheap by construction: the forward and gradient hooks are registered for a sampled batch only
and removed after it, so the other batches run the network untouched; on a sampled batch every
figure stays on the device until one transfer at the end of the step.
Warnings use the named thresholds below (docs/training-statistics.md explains them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from codegen.containers import module_at
from runtime.events import LayerStats

# A gradient norm below this means almost nothing reaches the layer: it no longer learns.
# (A frozen layer has no gradient at all and is never flagged.)
VANISHING_GRADIENT = 1e-7
# A gradient norm above this moves weights by more than they are worth in one step.
EXPLODING_GRADIENT = 1e3
# At least this fraction of a ReLU's units output zero for every sample: they no longer learn.
DEAD_RELU_FRACTION = 0.5
STATISTICS = ("grad_norm", "update_ratio", "act_mean", "act_std", "dead_fraction")
RELU_TYPES = (nn.ReLU, nn.ReLU6)
DEFAULT_EVERY = 20  # batches between samples


def warnings_for(values: dict[str, float]) -> list[str]:
    """Warning codes for one node's statistics: vanishing, exploding, dead."""
    found = []
    grad = values.get("grad_norm")
    if grad is not None and grad < VANISHING_GRADIENT:
        found.append("vanishing")
    if grad is not None and grad > EXPLODING_GRADIENT:
        found.append("exploding")
    dead = values.get("dead_fraction")
    if dead is not None and dead >= DEAD_RELU_FRACTION:
        found.append("dead")
    return found


class LayerStatistics:
    """Hooks on the modules of a network's nodes; `observe` wraps a training step."""

    def __init__(
        self,
        net: nn.Module,
        attributes: dict[str, str],
        every: int = DEFAULT_EVERY,
        modules: dict[str, nn.Module] | None = None,
    ):
        """`attributes`: node id -> the network's attribute; or `modules`, node path ("b1/conv1"
        inside blocks, runtime.sample_probe.node_modules) -> its module, when given."""
        self.every = max(1, int(every))
        self.active = False
        self.modules: dict[str, nn.Module] = {}
        if modules is None:
            modules = {node: module_at(net, attr) for node, attr in attributes.items()}
        seen: set[int] = set()
        for node_id, module in modules.items():
            if isinstance(module, nn.Module) and id(module) not in seen:  # shared: first node
                seen.add(id(module))
                self.modules[node_id] = module
        self.params = {
            node: [p for p in m.parameters() if p.requires_grad] for node, m in self.modules.items()
        }
        self._outputs: dict[str, list[torch.Tensor]] = {}
        self._grads: dict[str, list[torch.Tensor]] = {}
        self._before: dict[str, list[torch.Tensor]] = {}
        self._handles: list[Any] = []

    def close(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def due(self, step: int) -> bool:
        return step == 1 or step % self.every == 0

    def observe(self, step: int, train_step: Callable[[], Any]) -> tuple[Any, LayerStats | None]:
        """Run `train_step`; on a sampled step also return the statistics it produced."""
        if not self.due(step):
            return train_step(), None
        self._outputs.clear()
        self._grads.clear()
        self._before = {
            node: [p.detach().clone() for p in params] for node, params in self.params.items()
        }
        # hooks exist only during a sampled step: the other steps run the network untouched
        self._install()
        self.active = True
        try:
            result = train_step()
        finally:
            self.active = False
            self.close()
        return result, self._collect(step)

    def _install(self) -> None:
        self._handles = [
            module.register_forward_hook(self._forward_hook(node, module))
            for node, module in self.modules.items()
        ]
        for node, params in self.params.items():
            for p in params:
                self._handles.append(p.register_hook(self._grad_hook(node)))

    def _forward_hook(self, node: str, module: nn.Module) -> Callable:
        relu = isinstance(module, RELU_TYPES)

        def hook(_module: nn.Module, _inputs: Any, output: Any) -> None:
            if not self.active:
                return
            out = output[0] if isinstance(output, tuple | list) else output
            if not isinstance(out, torch.Tensor) or not out.is_floating_point():
                return
            out = out.detach().float()
            figures = [out.mean(), out.std() if out.numel() > 1 else out.new_zeros(())]
            if relu and out.dim() > 0 and len(out) > 0:
                alive = (out > 0).reshape(len(out), -1).any(dim=0)
                figures.append(1.0 - alive.float().mean())
            self._outputs[node] = figures

        return hook

    def _grad_hook(self, node: str) -> Callable:
        def hook(grad: torch.Tensor) -> None:
            if self.active:
                self._grads.setdefault(node, []).append(grad.detach().float().pow(2).sum())

        return hook

    def _collect(self, step: int) -> LayerStats:
        names: list[tuple[str, str]] = []
        figures: list[torch.Tensor] = []
        for node, params in self.params.items():
            if node in self._grads:
                names.append((node, "grad_norm"))
                figures.append(torch.stack(self._grads[node]).sum().sqrt())
            if params:
                before = self._before.get(node, [])
                change = sum(
                    (p.detach().float() - b.float()).pow(2).sum()
                    for p, b in zip(params, before, strict=True)
                )
                size = sum(b.float().pow(2).sum() for b in before)
                names.append((node, "update_ratio"))
                figures.append(
                    torch.as_tensor(change).sqrt() / (torch.as_tensor(size).sqrt() + 1e-12)
                )
        for node, values in self._outputs.items():
            for name, value in zip(("act_mean", "act_std", "dead_fraction"), values, strict=False):
                names.append((node, name))
                figures.append(torch.as_tensor(value))
        self._before = {}
        # one device-to-host transfer for the whole sample
        numbers = torch.stack([f.float().reshape(()) for f in figures]).tolist() if figures else []
        values: dict[str, dict[str, float]] = {}
        for (node, name), number in zip(names, numbers, strict=True):
            values.setdefault(node, {})[name] = float(number)
        warnings = {node: w for node, v in values.items() if (w := warnings_for(v))}
        return LayerStats(step, values, warnings)
