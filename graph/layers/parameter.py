"""Parameter: a learnable tensor of a given shape (class tokens, positional embeddings).

It has no input; each sample sees the same tensor, so its output is [*shape] per sample (in code
the tensor is expanded over the batch without copying).
"""

from __future__ import annotations

from math import prod

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.op_calls import Attribute, BatchSize, OpCall
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType

_INITS = ("zeros", "ones", "randn", "rand")


def _parameter(ctx: ShapeContext) -> list[TensorType]:
    return [TensorType(tuple(ctx.params["shape"]))]


def _stored_shape(p: dict) -> tuple[int, ...]:
    return (1, *p["shape"]) if p["batch"] else tuple(p["shape"])


register(
    LayerSpec(
        "Parameter",
        "Tensor operations",
        "A learnable tensor of the given shape, the same for every sample (class token, "
        "positional embedding).",
        _parameter,
        params=(
            ParamSpec("shape", "ints", None, "its shape, batch left out", 1, required=True),
            ParamSpec(
                "init",
                "enum",
                "randn",
                "starting values: torch.zeros, ones, randn (normal) or rand (uniform)",
                choices=_INITS,
            ),
            ParamSpec(
                "batch",
                "bool",
                False,
                "store it with a leading batch dim of 1 ([1, *shape], as the class token of ViT)",
            ),
        ),
        count_params=lambda p, inputs: prod(p["shape"]),
        inputs=(),
        palette={"shape": [1, 16]},
        summary=lambda p: "×".join(str(d) for d in p.get("shape") or ()),
        init=lambda p: OpCall("nn.Parameter", (OpCall(f"torch.{p['init']}", _stored_shape(p)),)),
        expression=lambda p, n: OpCall(".expand", (Attribute(), BatchSize(), *p["shape"])),
        expanded_view=True,
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)
