"""The rest of torch.nn's element-wise activations, and Softmin, Softmax2d and GLU."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import counted, reshaped, unchanged, with_parameters
from graph.cost import no_macs
from graph.layers._rules import full_dim
from graph.layers.activation import _ids_accepted, _same, _softmax
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType, format_shape
from i18n import msg

_INPLACE = ParamSpec("inplace", "bool", False, "overwrite the input to save memory")
Check = Callable[[ShapeContext], None]


def _elementwise(
    type_: str,
    doc: str,
    *params: ParamSpec,
    check: Check | None = None,
    ids_become: str | None = None,
    palette: dict | None = None,
) -> None:
    """An activation that keeps the shape. `check` refuses argument combinations torch refuses;
    `ids_become`: for layers torch also runs on int64, the dtype ids come out as."""
    base = _ids_accepted(None if ids_become == INT else ids_become) if ids_become else _same

    def rule(ctx: ShapeContext) -> list[TensorType]:
        if check is not None:
            check(ctx)
        return base(ctx)

    register(
        LayerSpec(
            type_,
            "Activation",
            doc,
            rule,
            params=params,
            torch_class=type_,
            dtype="any" if ids_become else "float",
            palette=palette or {},
            arithmetic=with_parameters(unchanged, counted),
            macs=no_macs,
        )
    )


def _alpha_not_zero(ctx: ShapeContext) -> None:
    if ctx.params["alpha"] == 0:
        raise ctx.fail(
            msg("has alpha=0, but CELU divides by alpha; use any other value"), 0, "alpha"
        )


def _ordered(low: str, high: str, strict: bool) -> Check:
    def check(ctx: ShapeContext) -> None:
        lo, hi = ctx.params[low], ctx.params[high]
        if hi < lo or (strict and hi == lo):
            if strict:
                text = msg(
                    "has {high}={hi}, which must be greater than {low}={lo}",
                    high=high,
                    hi=hi,
                    low=low,
                    lo=lo,
                )
            else:
                text = msg(
                    "has {high}={hi}, which must be at least {low}={lo}",
                    high=high,
                    hi=hi,
                    low=low,
                    lo=lo,
                )
            raise ctx.fail(text, 0, high)

    return check


_elementwise(
    "ReLU6", "min(max(0, x), 6): ReLU capped at 6, used in MobileNet.", _INPLACE, ids_become=INT
)
_elementwise("SELU", "Scaled ELU: self-normalising networks (pair with AlphaDropout).", _INPLACE)
_elementwise(
    "CELU",
    "Continuously differentiable ELU: max(0, x) + min(0, α·(exp(x/α) − 1)).",
    ParamSpec("alpha", "float", 1.0, "saturation value for x < 0 (not 0)"),
    _INPLACE,
    check=_alpha_not_zero,
)
_elementwise("Hardsigmoid", "A cheap piecewise-linear sigmoid, used in MobileNetV3.", _INPLACE)
_elementwise(
    "Hardtanh",
    "Clips values to [min_val, max_val].",
    ParamSpec("min_val", "float", -1.0, "lower end of the linear region"),
    ParamSpec("max_val", "float", 1.0, "upper end of the linear region (above min_val)"),
    _INPLACE,
    check=_ordered("min_val", "max_val", strict=True),
    ids_become=INT,
)
_elementwise("LogSigmoid", "log(sigmoid(x)).")
_elementwise(
    "RReLU",
    "Leaky ReLU whose slope is drawn from [lower, upper] while training (their mean in eval).",
    ParamSpec("lower", "float", 0.125, "lower bound of the random slope"),
    ParamSpec("upper", "float", 1 / 3, "upper bound of the random slope (at least lower)"),
    _INPLACE,
    check=_ordered("lower", "upper", strict=False),
)
_elementwise(
    "Softplus",
    "A smooth ReLU: log(1 + exp(β·x)) / β, linear above threshold.",
    ParamSpec("beta", "float", 1.0, "sharpness β"),
    ParamSpec("threshold", "float", 20.0, "above β·x > threshold the layer is linear"),
)
_elementwise(
    "Softshrink",
    "Shrinks values towards 0 by lambd; |x| ≤ lambd becomes 0.",
    ParamSpec("lambd", "float", 0.5, "shrinkage λ", 0),
)
_elementwise(
    "Hardshrink",
    "Zeroes values with |x| ≤ lambd, keeps the rest.",
    ParamSpec("lambd", "float", 0.5, "threshold λ"),
)
_elementwise("Softsign", "x / (1 + |x|).", ids_become=FLOAT)
_elementwise("Tanhshrink", "x − tanh(x).", ids_become=FLOAT)
_elementwise(
    "Threshold",
    "Replaces values not above threshold by value.",
    ParamSpec("threshold", "float", None, "values at or below it are replaced", required=True),
    ParamSpec("value", "float", None, "what they are replaced with", required=True),
    _INPLACE,
    ids_become=INT,
    palette={"threshold": 0.0, "value": 0.0},
)


register(
    LayerSpec(
        "Softmin",
        "Activation",
        "softmax(−x) along dim: small values get the large probabilities.",
        _softmax,
        params=(
            ParamSpec("dim", "int", None, "dimension to normalise (batch is 0)", optional=True),
        ),
        torch_class="Softmin",
        palette={"dim": 1},
        summary=lambda p: f"dim={p.get('dim')}",
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)


def _softmax2d(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    if t.rank == 2:
        # torch reads [N, H, W] as one unbatched [C, H, W] sample: the batch becomes the channels.
        ctx.warn(
            msg(
                "receives {shape} from {source} without a channel dim, so torch normalises across "
                "the batch, mixing samples; give it [channels, height, width]",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            )
        )
        return [t]
    return [ctx.need_rank((3,), msg("[channels, height, width]"))]


register(
    LayerSpec(
        "Softmax2d",
        "Activation",
        "Softmax over the channels at every position of [channels, height, width].",
        _softmax2d,
        torch_class="Softmax2d",
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)


def _glu(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    d = full_dim(ctx, ctx.params["dim"], t.rank)
    size = t.shape[d]
    if size % 2:
        raise ctx.fail(
            msg(
                "halves dim {dim} into a value and a gate, but its size {size} ({shape} from "
                "{source}) is odd",
                dim=d + 1,
                size=size,
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
            "dim",
        )
    return [t.with_shape((*t.shape[:d], size // 2, *t.shape[d + 1 :]))]


register(
    LayerSpec(
        "GLU",
        "Activation",
        "Gated linear unit: splits dim in half, a ⊗ sigmoid(b); the dim halves.",
        _glu,
        params=(ParamSpec("dim", "int", -1, "dimension to split in half (batch is 0)"),),
        torch_class="GLU",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)
