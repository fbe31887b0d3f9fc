"""Parameter: a learnable tensor of a given shape (class tokens, positional embeddings), and
Buffer: a fixed tensor kept with the weights but never trained (a mean to subtract, a table of
positions), as `register_buffer` keeps one.

Neither has an input; each sample sees the same tensor, so the output is [*shape] per sample (in
code the tensor is expanded over the batch without copying).
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
_SHAPE = ParamSpec("shape", "ints", None, "its shape, batch left out", 1, required=True)
_BATCH = ParamSpec(
    "batch",
    "bool",
    False,
    "store it with a leading batch dim of 1 ([1, *shape], as the class token of ViT)",
)


def _parameter(ctx: ShapeContext) -> list[TensorType]:
    return [TensorType(tuple(ctx.params["shape"]))]


def _summary(p: dict) -> str:
    return "×".join(str(d) for d in p.get("shape") or ())


def _expanded(p: dict, n: int) -> OpCall:
    """`self.token.expand(x.size(0), *shape)`: the one tensor as every sample's, not copied."""
    return OpCall(".expand", (Attribute(), BatchSize(), *p["shape"]))


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
            _SHAPE,
            ParamSpec(
                "init",
                "enum",
                "randn",
                "starting values: torch.zeros, ones, randn (normal) or rand (uniform)",
                choices=_INITS,
            ),
            _BATCH,
        ),
        count_params=lambda p, inputs: prod(p["shape"]),
        inputs=(),
        palette={"shape": [1, 16]},
        summary=_summary,
        init=lambda p: OpCall("nn.Parameter", (OpCall(f"torch.{p['init']}", _stored_shape(p)),)),
        expression=_expanded,
        expanded_view=True,
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _buffer_init(p: dict) -> OpCall:
    """`nn.Buffer(torch.zeros(3, 1, 1))`: assigned to an attribute, it registers a buffer."""
    values = OpCall(f"torch.{p['init']}", _stored_shape(p))
    keywords = () if p["persistent"] else (("persistent", False),)
    return OpCall("nn.Buffer", (values,), keywords)


register(
    LayerSpec(
        "Buffer",
        "Tensor operations",
        "A fixed tensor of the given shape, the same for every sample and never trained (a mean "
        "to subtract, a table of positions); saved with the weights, which give its values.",
        _parameter,
        params=(
            _SHAPE,
            ParamSpec(
                "init",
                "enum",
                "zeros",
                "its values until weights are loaded: torch.zeros, ones, randn or rand",
                choices=_INITS,
            ),
            _BATCH,
            ParamSpec(
                "persistent",
                "bool",
                True,
                "saved with the weights (in the state_dict); off: made from init every time",
            ),
        ),
        inputs=(),
        palette={"shape": [1, 16]},
        summary=_summary,
        init=_buffer_init,
        expression=_expanded,
        expanded_view=True,
        arithmetic=reshaped,
        macs=no_macs,
    )
)
