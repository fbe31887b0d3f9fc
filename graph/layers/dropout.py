"""Dropout: randomly zeroes values (or whole channels) while training."""

from __future__ import annotations

from graph.arithmetic import unchanged
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


def _dropout2d(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    if t.rank == 0:  # torch: "Feature dropout requires at least 2 dimensions in the input"
        raise ctx.fail(
            msg(
                "drops whole channels, but receives {shape} from {source}: a value per sample, "
                "with no channel dimension; use Dropout instead",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
        )
    # torch accepts any other rank but only means [channels, height, width]: it warns otherwise.
    if t.rank == 2:
        ctx.warn(
            msg(
                "receives {shape} from {source}, so torch drops whole rows (1-d channel "
                "dropout); Dropout2d is meant for [channels, height, width]",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            )
        )
    elif t.rank != 3:
        ctx.warn(
            msg(
                "receives {shape} from {source}; torch deprecates Dropout2d on inputs other "
                "than [channels, height, width], use Dropout instead",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            )
        )
    return [t]


register(
    LayerSpec(
        "Dropout",
        "Dropout",
        "Zeroes each value with probability p while training (and rescales the rest).",
        lambda ctx: [ctx.inputs[0]],
        params=_params(),
        torch_class="Dropout",
        arithmetic=unchanged,
        macs=no_macs,
        summary=lambda p: f"p={p.get('p', 0.5)}",
    )
)

register(
    LayerSpec(
        "Dropout2d",
        "Dropout",
        "Zeroes whole channels of [channels, height, width] with probability p while training.",
        _dropout2d,
        params=_params(),
        torch_class="Dropout2d",
        arithmetic=unchanged,
        macs=no_macs,
        summary=lambda p: f"p={p.get('p', 0.5)}",
    )
)
