"""Local response normalisation (AlexNet's) and RMSNorm."""

from __future__ import annotations

from math import prod

from graph.arithmetic import counted, unchanged, with_parameters
from graph.cost import no_macs
from graph.layers.norm import _layer_norm
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType, format_shape
from i18n import msg


def _lrn_params(k_default: float) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("size", "int", None, "neighbouring channels to normalise over", 1, required=True),
        ParamSpec("alpha", "float", 1e-4, "multiplicative factor α"),
        ParamSpec("beta", "float", 0.75, "exponent β"),
        ParamSpec("k", "float", k_default, "additive factor k"),
    )


def _local_response_norm(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    if t.rank < 2:
        raise ctx.fail(
            msg(
                "normalises across channels, so it needs [channels, ...] with at least one more "
                "dim, but receives {shape} from {source}",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
        )
    if t.dtype == INT:
        ctx.warn(
            msg(
                "receives whole-number ids (int64) from {source}; they come out as floats",
                source=ctx.sources[0],
            )
        )
        return [TensorType(t.shape, FLOAT, t.detail)]
    return [t]


register(
    LayerSpec(
        "LocalResponseNorm",
        "Normalization",
        "Divides each value by the activity of `size` neighbouring channels (AlexNet).",
        _local_response_norm,
        params=_lrn_params(1.0),
        dtype="any",
        torch_class="LocalResponseNorm",
        palette={"size": 5},
        summary=lambda p: f"size {p.get('size', '?')}",
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)

register(
    LayerSpec(
        "CrossMapLRN2d",
        "Normalization",
        "The legacy (Lua Torch) local response norm over channels of [channels, height, width].",
        lambda ctx: [ctx.need_rank((3,), msg("[channels, height, width]"))],
        params=_lrn_params(1),
        torch_class="CrossMapLRN2d",
        palette={"size": 5},
        summary=lambda p: f"size {p.get('size', '?')}",
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)


def _rms_norm_count(p: dict, inputs: list[TensorType]) -> int:
    shape = p["normalized_shape"]
    return (prod(shape) if isinstance(shape, tuple) else shape) if p["elementwise_affine"] else 0


register(
    LayerSpec(
        "RMSNorm",
        "Normalization",
        "Divides each sample by the root mean square of its last dims (normalized_shape).",
        _layer_norm,
        params=(
            ParamSpec(
                "normalized_shape",
                "int_or_tuple",
                None,
                "trailing dims to normalise over (default: the last dim)",
                1,
                arity=0,
                inferred=True,
            ),
            ParamSpec(
                "eps",
                "float",
                None,
                "added for numerical stability (None: the machine epsilon of the dtype)",
                optional=True,
            ),
            ParamSpec("elementwise_affine", "bool", True, "learn a scale per value"),
        ),
        count_params=_rms_norm_count,
        torch_class="RMSNorm",
        arithmetic=with_parameters(unchanged, counted),
        macs=no_macs,
    )
)
