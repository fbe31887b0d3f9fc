"""Where a diverged run's values stopped being finite: the first layer that turns a finite
input into NaN or infinity, found by running one batch through the network with a check after
every module. The check raises inside the module's call, so the generated code's line map names
its node, and inside a block the path down to it, exactly as for any other forward error."""

from __future__ import annotations

from typing import Any

import torch

from runtime.network import Network


class NotFinite(RuntimeError):
    """Raised by the check after a module whose output is not finite although its input is."""


def first_non_finite(network: Network, batch: torch.Tensor) -> list[str]:
    """The node ids from the top level down to that layer (`["b1", "fc2"]`); [] when every
    output is finite or the values were not finite in the input already."""
    root = network.module
    if not _finite(batch):
        return []

    def check(module: torch.nn.Module, inputs: Any, output: Any) -> None:
        if _finite(inputs) and not _finite(output):
            raise NotFinite(type(module).__name__)

    handles = [m.register_forward_hook(check) for m in root.modules() if m is not root]
    try:
        with torch.no_grad():
            root(batch)
    except NotFinite as exc:
        return network.path_for_exception(exc)
    except Exception:  # the forward pass failing now says nothing about where NaN started
        return []
    finally:
        for handle in handles:
            handle.remove()
    return []


def _finite(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return not value.is_floating_point() or bool(torch.isfinite(value).all())
    if isinstance(value, tuple | list):
        return all(_finite(v) for v in value)
    return True
