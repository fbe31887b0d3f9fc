"""Fully connected layers."""

from __future__ import annotations

from math import prod

from graph.arithmetic import last_dim, unchanged, with_parameters
from graph.cost import linear_macs, no_macs
from graph.init import weight_and_bias
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _linear(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    if t.rank < 1:
        raise ctx.fail(
            msg(
                "expects features along its last dimension but receives a single value per "
                "sample from {source}",
                source=ctx.sources[0],
            )
        )
    ctx.resolve("in_features", t.shape[-1], msg("input features"))
    out = (*t.shape[:-1], ctx.params["out_features"])
    if t.rank > 2:
        # Valid for torch, but a drawing that feeds an image or a feature map to a Linear has
        # almost always forgotten a Flatten. Rank 2 is left alone: [sequence, features] from a
        # recurrent layer or attention goes through a Linear step by step on purpose.
        ctx.warn(
            msg(
                "acts on the last dimension only: {shape} becomes {result}. Flatten first?",
                shape=format_shape(t.shape),
                result=format_shape(out),
            )
        )
    return [TensorType(out, t.dtype)]


def _linear_count(p: dict, inputs: list[TensorType]) -> int:
    return p["in_features"] * p["out_features"] + (p["out_features"] if p["bias"] else 0)


register(
    LayerSpec(
        "Linear",
        "Linear",
        "Fully connected layer: y = xWᵀ + b over the last dimension.",
        _linear,
        params=(
            ParamSpec("in_features", "int", None, "size of each input sample", 1, inferred=True),
            ParamSpec("out_features", "int", None, "size of each output sample", 1, required=True),
            ParamSpec("bias", "bool", True, "learn an additive bias"),
        ),
        count_params=_linear_count,
        arithmetic=with_parameters(
            last_dim("features", "out_features"),
            lambda a: (
                f"{a.params['in_features']} × {a.params['out_features']}"
                + (f" + {a.params['out_features']}" if a.params["bias"] else "")
            ),
        ),
        macs=linear_macs,
        init_tensors=weight_and_bias(2),
        torch_class="Linear",
        palette={"out_features": 10},
        summary=lambda p: f"→ {p.get('out_features', '?')}",
    )
)


def _bilinear(ctx: ShapeContext) -> list[TensorType]:
    a, b = ctx.inputs
    if a.rank < 1 or b.rank < 1:
        raise ctx.fail(msg("expects features along the last dimension of both inputs"))
    if a.shape[:-1] != b.shape[:-1]:
        raise ctx.fail(
            msg(
                "needs both inputs to agree on all but the last dimension, but receives "
                "{shape} from {source} and {shape2} from {source2}",
                shape=format_shape(a.shape),
                source=ctx.sources[0],
                shape2=format_shape(b.shape),
                source2=ctx.sources[1],
            ),
            1,
        )
    ctx.resolve("in1_features", a.shape[-1], msg("features on input 1"), 0)
    ctx.resolve("in2_features", b.shape[-1], msg("features on input 2"), 1)
    return [TensorType((*a.shape[:-1], ctx.params["out_features"]))]


def _bilinear_count(p: dict, inputs: list[TensorType]) -> int:
    out = p["out_features"]
    return p["in1_features"] * p["in2_features"] * out + (out if p["bias"] else 0)


register(
    LayerSpec(
        "Bilinear",
        "Linear",
        "Bilinear layer over two inputs: y = x₁ᵀ A x₂ + b.",
        _bilinear,
        params=(
            ParamSpec("in1_features", "int", None, "features of input 1", 1, inferred=True),
            ParamSpec("in2_features", "int", None, "features of input 2", 1, inferred=True),
            ParamSpec("out_features", "int", None, "size of each output sample", 1, required=True),
            ParamSpec("bias", "bool", True, "learn an additive bias"),
        ),
        count_params=_bilinear_count,
        arithmetic=with_parameters(
            last_dim("features", "out_features"),
            lambda a: (
                f"{a.params['in1_features']} × {a.params['in2_features']} × "
                f"{a.params['out_features']}"
                + (f" + {a.params['out_features']}" if a.params["bias"] else "")
            ),
        ),
        macs=lambda a: (
            prod(a.out[:-1])
            * a.params["in1_features"]
            * a.params["in2_features"]
            * a.params["out_features"]
        ),
        inputs=("input 1", "input 2"),
        torch_class="Bilinear",
        init_tensors=weight_and_bias(3),
        palette={"out_features": 10},
        summary=lambda p: f"→ {p.get('out_features', '?')}",
    )
)

register(
    LayerSpec(
        "Identity",
        "Linear",
        "Passes its input through unchanged (a placeholder).",
        lambda ctx: [ctx.inputs[0]],
        dtype="any",
        torch_class="Identity",
        arithmetic=unchanged,
        macs=no_macs,
    )
)
