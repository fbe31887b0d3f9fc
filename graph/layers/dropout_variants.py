"""The other dropouts: whole channels of 1-d and 3-d inputs, and the alpha dropouts for SELU."""

from __future__ import annotations

from graph.arithmetic import counted, unchanged, with_parameters
from graph.cost import no_macs
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _params() -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("p", "float", 0.5, "probability of zeroing an element", 0, 1),
        ParamSpec("inplace", "bool", False, "overwrite the input to save memory"),
    )


def _dropout1d(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    if t.rank == 1:
        # torch reads [N, L] as one unbatched [C, L] sample: whole samples are dropped.
        ctx.warn(
            msg(
                "receives {shape} from {source} without a channel dim, so torch drops whole "
                "samples; Dropout1d is meant for [channels, length]",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            )
        )
        return [t]
    return [ctx.need_rank((2,), msg("[channels, length]"))]


def _dropout3d(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    # torch runs it on any rank but only means [channels, depth, height, width]: it warns otherwise.
    if t.rank != 4:
        ctx.warn(
            msg(
                "receives {shape} from {source}; Dropout3d is meant for [channels, depth, "
                "height, width], use Dropout otherwise",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            )
        )
    return [t]


def _feature_alpha(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    p = ctx.params["p"]
    if t.rank == 0:
        # torch's feature dropout needs a feature dim, but skips all work when p is 0 or 1.
        if 0 < p < 1:
            raise ctx.fail(
                msg(
                    "drops whole features, but receives a single value per sample from {source}",
                    source=ctx.sources[0],
                ),
                0,
            )
        ctx.warn(
            msg(
                "receives a single value per sample from {source}; use AlphaDropout",
                source=ctx.sources[0],
            )
        )
    return [t]


for _type, _doc, _rule in (
    (
        "Dropout1d",
        "Zeroes whole channels of [channels, length] with probability p while training.",
        _dropout1d,
    ),
    (
        "Dropout3d",
        "Zeroes whole channels of [channels, depth, height, width] with probability p.",
        _dropout3d,
    ),
    (
        "AlphaDropout",
        "Dropout that keeps a zero mean and unit variance (for SELU networks).",
        lambda ctx: [ctx.inputs[0]],
    ),
    (
        "FeatureAlphaDropout",
        "Alpha dropout of whole channels (for SELU networks).",
        _feature_alpha,
    ),
):
    register(
        LayerSpec(
            _type,
            "Dropout",
            _doc,
            _rule,
            params=_params(),
            torch_class=_type,
            summary=lambda p: f"p={p.get('p', 0.5)}",
            arithmetic=with_parameters(unchanged, counted),
            macs=no_macs,
        )
    )
