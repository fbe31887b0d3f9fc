"""Element-wise arithmetic: Subtract, Divide, Power, Maximum and Minimum of two inputs
(broadcasting as torch does), and Scale, Shift and Clamp of one input by constants."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import counted, unchanged, with_parameters
from graph.cost import no_macs
from graph.layers.merge import _broadcast
from graph.op_calls import Arg, BinaryOp, Expression, OpCall
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType
from i18n import msg

_CATEGORY = "Arithmetic"


def _to_float(rule: Callable[[ShapeContext], list[TensorType]]) -> Callable:
    def float_rule(ctx: ShapeContext) -> list[TensorType]:
        return [TensorType(t.shape, FLOAT, t.detail) for t in rule(ctx)]

    return float_rule


for _type, _doc, _rule, _expression in (
    (
        "Subtract",
        "input − other, element-wise.",
        _broadcast,
        lambda p, n: BinaryOp("-", (Arg(0), Arg(1))),
    ),
    (
        "Divide",
        "input / other, element-wise (true division: the result is floating-point).",
        _to_float(_broadcast),
        lambda p, n: BinaryOp("/", (Arg(0), Arg(1))),
    ),
    (
        "Power",
        "input raised to the power other, element-wise.",
        _broadcast,
        lambda p, n: OpCall("torch.pow", (Arg(0), Arg(1))),
    ),
    (
        "Maximum",
        "The larger of input and other, element-wise.",
        _broadcast,
        lambda p, n: OpCall("torch.maximum", (Arg(0), Arg(1))),
    ),
    (
        "Minimum",
        "The smaller of input and other, element-wise.",
        _broadcast,
        lambda p, n: OpCall("torch.minimum", (Arg(0), Arg(1))),
    ),
):
    register(
        LayerSpec(
            _type,
            _CATEGORY,
            _doc,
            _rule,
            inputs=("input", "other"),
            dtype="any",
            expression=_expression,
            arithmetic=with_parameters(unchanged, counted),
            macs=no_macs,
        )
    )


def _as_float(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    return [TensorType(t.shape, FLOAT, t.detail)]


def _scale_expression(p: dict, n: int) -> Expression:
    return BinaryOp("*", (Arg(0), p["factor"]))


def _shift_expression(p: dict, n: int) -> Expression:
    return BinaryOp("+", (Arg(0), p["offset"]))


register(
    LayerSpec(
        "Scale",
        _CATEGORY,
        "Multiplies by a constant factor, e.g. 1/√d before a softmax.",
        _as_float,
        params=(ParamSpec("factor", "float", None, "the constant to multiply by", required=True),),
        dtype="any",
        palette={"factor": 0.5},
        summary=lambda p: f"× {p.get('factor')}",
        expression=_scale_expression,
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)

register(
    LayerSpec(
        "Shift",
        _CATEGORY,
        "Adds a constant offset.",
        _as_float,
        params=(ParamSpec("offset", "float", None, "the constant to add", required=True),),
        dtype="any",
        palette={"offset": 1.0},
        summary=lambda p: f"+ {p.get('offset')}",
        expression=_shift_expression,
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)


def _clamp(ctx: ShapeContext) -> list[TensorType]:
    if ctx.params["min"] is None and ctx.params["max"] is None:
        raise ctx.fail(msg("has neither min nor max; set at least one of them"), 0, "min")
    t = ctx.inputs[0]
    # Float bounds make the result floating-point, whole-number ids included.
    return [TensorType(t.shape, FLOAT if t.dtype == INT else t.dtype, t.detail)]


def _clamp_expression(p: dict, n: int) -> Expression:
    bounds = tuple((name, p[name]) for name in ("min", "max") if p[name] is not None)
    return OpCall("torch.clamp", (Arg(0),), bounds)


register(
    LayerSpec(
        "Clamp",
        _CATEGORY,
        "Limits values to [min, max] (either may be left out).",
        _clamp,
        params=(
            ParamSpec("min", "float", None, "lower bound (None: none)", optional=True),
            ParamSpec("max", "float", None, "upper bound (None: none)", optional=True),
        ),
        dtype="any",
        palette={"min": 0.0, "max": 1.0},
        summary=lambda p: f"[{p.get('min')}, {p.get('max')}]",
        expression=_clamp_expression,
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)
