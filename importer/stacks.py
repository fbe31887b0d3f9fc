"""torch's layer stacks (nn.TransformerEncoder, nn.TransformerDecoder) as blocks of the drawing.

The library has no node for a stack: it takes a layer module and a count, which a drawing says
by chaining the layer's nodes. So the import traces, in their place, a module of the same
structure that calls the stack's own layers in turn, then its norm: the stack becomes a block
whose body is its layers (kept in their ModuleList) and norm, with the stack's state_dict keys
(`layers.0.self_attn.in_proj_weight`, `norm.weight`). In eval, without masks, that is what the
stack computes (torch's fast path gives the same values by other kernels). Masks are not
drawn: a stack called with one fails the import (its forward takes no mask).

The swap lasts while the model is traced; the model the import hands back is the one it was
given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from i18n import msg
from importer.errors import ImportFailed


@contextmanager
def unrolled_stacks(module: Any) -> Iterator[None]:
    """While open, each stack inside `module` is replaced by its unrolled form; on leaving,
    the stacks are put back (in place, so the constructor arguments recorded for the model's
    modules, by identity, still find them)."""
    stacks = _unrolled_classes()
    if type(module) in stacks:
        raise ImportFailed(
            msg(
                "the model is itself an nn.{name}: import a module that calls it",
                name=type(module).__name__,
            )
        )
    swapped: list[tuple[Any, str, Any]] = []
    for parent in list(module.modules()):
        for name, child in list(parent._modules.items()):
            unroll = stacks.get(type(child))
            if unroll is not None:
                swapped.append((parent, name, child))
                parent._modules[name] = unroll(child)
    try:
        yield
    finally:
        for parent, name, child in reversed(swapped):
            parent._modules[name] = child


@cache
def _unrolled_classes() -> dict[type, type]:
    """torch's stack class -> the module traced in its place (made on first use, so that
    importing this module does not import torch)."""
    import torch.nn as nn

    class Unrolled(nn.Module):
        """The stack's own layers (in their ModuleList) and norm, registered as torch does."""

        def __init__(self, original: nn.Module) -> None:
            super().__init__()
            self.layers = original.layers
            if original.norm is not None:
                self.norm = original.norm
            self.train(original.training)

        def normed(self, x: Any) -> Any:
            return self.norm(x) if "norm" in self._modules else x

    class TransformerEncoder(Unrolled):
        """nn.TransformerEncoder's layers in turn, then its norm."""

        def forward(self, src: Any) -> Any:  # called with a mask: "unexpected keyword argument"
            for layer in self.layers:
                src = layer(src)
            return self.normed(src)

    class TransformerDecoder(Unrolled):
        """nn.TransformerDecoder's layers in turn on the target, each with the memory, then
        its norm."""

        def forward(self, tgt: Any, memory: Any) -> Any:
            for layer in self.layers:
                tgt = layer(tgt, memory)
            return self.normed(tgt)

    for unrolled in (TransformerEncoder, TransformerDecoder):  # named in messages as torch's
        unrolled.__qualname__ = unrolled.__name__
        unrolled.forward.__qualname__ = f"{unrolled.__name__}.forward"
    return {nn.TransformerEncoder: TransformerEncoder, nn.TransformerDecoder: TransformerDecoder}
