"""Element-wise activations and the softmax family."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import counted, unchanged, with_parameters
from graph.cost import no_macs
from graph.init import weight_and_bias
from graph.layers._rules import full_dim
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType, format_shape
from i18n import msg

_INPLACE = ParamSpec("inplace", "bool", False, "overwrite the input to save memory")


def _same(ctx: ShapeContext) -> list[TensorType]:
    return [ctx.inputs[0]]


def _ids_accepted(result_dtype: str | None) -> Callable[[ShapeContext], list[TensorType]]:
    """For the few activations torch also runs on int64 ids: allowed, but rarely meant."""

    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.inputs[0]
        if t.dtype != INT:
            return [t]
        ctx.warn(
            msg(
                "receives whole-number ids (int64) from {source}; torch allows it, but ids "
                "usually go through an Embedding first",
                source=ctx.sources[0],
            )
        )
        return [TensorType(t.shape, result_dtype or t.dtype, t.detail)]

    return rule


def _elementwise(
    type_: str,
    doc: str,
    *params: ParamSpec,
    summary: Callable | None = None,
    ids_become: str | None = None,
) -> None:
    """ids_become: for layers torch runs on int64 too, the dtype they turn ids into."""
    register(
        LayerSpec(
            type_,
            "Activation",
            doc,
            _ids_accepted(None if ids_become == INT else ids_become) if ids_become else _same,
            params=params,
            torch_class=type_,
            arithmetic=unchanged,
            macs=no_macs,
            summary=summary,
            dtype="any" if ids_become else "float",
        )
    )


_elementwise("ReLU", "max(0, x): the default non-linearity.", _INPLACE, ids_become=INT)
_elementwise(
    "LeakyReLU",
    "Like ReLU but lets a small slope through for negative inputs.",
    ParamSpec("negative_slope", "float", 0.01, "slope for x < 0"),
    _INPLACE,
    summary=lambda p: f"α={p.get('negative_slope', 0.01)}",
)
_elementwise(
    "ELU",
    "Exponential linear unit: smooth for negative inputs.",
    ParamSpec("alpha", "float", 1.0, "saturation value for x < 0"),
    _INPLACE,
)
_elementwise(
    "GELU",
    "Gaussian error linear unit, used in transformers.",
    ParamSpec(
        "approximate",
        "enum",
        "none",
        "'tanh' uses the faster approximation",
        choices=("none", "tanh"),
    ),
)
_elementwise("SiLU", "x·sigmoid(x) (also called swish).", _INPLACE)
_elementwise("Mish", "x·tanh(softplus(x)).", _INPLACE)
_elementwise("Sigmoid", "Squashes values into (0, 1).", ids_become=FLOAT)
_elementwise("Tanh", "Squashes values into (-1, 1).", ids_become=FLOAT)
_elementwise("Hardswish", "A cheap approximation of swish, used in MobileNetV3.", _INPLACE)


def _prelu(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    n = ctx.params["num_parameters"]
    if n != 1:
        channels = t.shape[0] if t.rank >= 1 else 1
        if t.rank < 1 or channels != n:
            raise ctx.fail(
                msg(
                    "learns num_parameters={n} slopes, one per channel, but its input {shape} "
                    "from {source} has {channels} channels",
                    n=n,
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                    channels=channels,
                ),
                0,
                "num_parameters",
            )
    return [t]


register(
    LayerSpec(
        "PReLU",
        "Activation",
        "Leaky ReLU whose negative slope is learned (one, or one per channel).",
        _prelu,
        params=(
            ParamSpec("num_parameters", "int", 1, "1, or the number of channels", 1),
            ParamSpec("init", "float", 0.25, "initial slope"),
        ),
        count_params=lambda p, inputs: p["num_parameters"],
        torch_class="PReLU",
        init_tensors=weight_and_bias(1, None),
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)


def _softmax(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    dim = ctx.params["dim"]
    if dim is None:
        # torch then guesses: dim 0 for 1-, 2- (sic: 0, 1, 3) dim tensors, else 1.
        guessed = 0 if t.rank + 1 in (0, 1, 3) else 1
        where = msg("the batch (dim 0)") if guessed == 0 else msg("dim {d}", d=1)
        ctx.warn(
            msg(
                "has no dim, so torch guesses {where}; set dim explicitly (usually dim=-1)",
                where=where,
            )
        )
        if guessed == 0:
            ctx.warn(msg("normalises across the batch, mixing samples; use dim=-1"))
        return [t]
    full = t.rank + 1
    if not -full <= dim < full:
        full_dim(ctx, dim, t.rank)  # raises the out-of-range message
    if dim % full == 0:
        ctx.warn(
            msg("has dim={dim}, the batch dimension, so it mixes samples; use dim=-1", dim=dim)
        )
    return [t]


for _type, _doc in (
    ("Softmax", "Turns scores into probabilities along dim (they sum to 1)."),
    ("LogSoftmax", "log(softmax(x)) along dim; pair with NLLLoss."),
):
    register(
        LayerSpec(
            _type,
            "Activation",
            _doc,
            _softmax,
            params=(
                ParamSpec("dim", "int", None, "dimension to normalise (batch is 0)", optional=True),
            ),
            torch_class=_type,
            arithmetic=unchanged,
            macs=no_macs,
            palette={"dim": 1},
            summary=lambda p: f"dim={p.get('dim')}",
        )
    )

__all__ = ["format_shape"]
