"""Moving values between dims without learned weights: PixelUnshuffle, ChannelShuffle, Fold and
Unfold (sliding blocks), and the fixed-mode upsamplers."""

from __future__ import annotations

from collections.abc import Callable
from math import prod

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._rules import times
from graph.layers.resampling import _upsample, _upsample_summary
from graph.params import ParamSpec, as_tuple
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _pixel_unshuffle(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    r = ctx.params["downscale_factor"]
    if t.rank < 3:
        if r == 1 and t.rank == 2:
            ctx.warn(msg("with downscale_factor=1 does nothing"))
            return [t]
        ctx.need_rank((3,), msg("[channels, height, width]"))
    c, h, w = t.shape[-3:]
    if h % r or w % r:
        raise ctx.fail(
            msg(
                "has downscale_factor={r}, so the height and width ({h}×{w} from {source}) must "
                "both be multiples of {r}",
                r=r,
                h=h,
                w=w,
                source=ctx.sources[0],
            ),
            0,
            "downscale_factor",
        )
    return [t.with_shape((*t.shape[:-3], c * r * r, h // r, w // r))]


register(
    LayerSpec(
        "PixelUnshuffle",
        "Resampling",
        "Rearranges [C, H·r, W·r] into [C·r², H, W] (the inverse of PixelShuffle).",
        _pixel_unshuffle,
        params=(
            ParamSpec("downscale_factor", "int", None, "factor r to shrink by", 1, required=True),
        ),
        dtype="any",
        torch_class="PixelUnshuffle",
        palette={"downscale_factor": 2},
        summary=lambda p: f"÷{p.get('downscale_factor', '?')}",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _channel_shuffle(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.need_rank(tuple(range(2, 9)), msg("[channels, *spatial]"))
    groups, channels = ctx.params["groups"], t.shape[0]
    if channels % groups:
        raise ctx.fail(
            msg(
                "has groups={groups}, but its {channels} channels {origin} do not divide into "
                "{groups} groups",
                groups=groups,
                channels=channels,
                origin=ctx.origin(),
            ),
            0,
            "groups",
        )
    return [t]


register(
    LayerSpec(
        "ChannelShuffle",
        "Resampling",
        "Interleaves the channels of `groups` groups (ShuffleNet), keeping the shape.",
        _channel_shuffle,
        params=(ParamSpec("groups", "int", None, "groups of channels", 1, required=True),),
        dtype="any",
        torch_class="ChannelShuffle",
        palette={"groups": 2},
        summary=lambda p: f"{p.get('groups', '?')} groups",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _blocks(ctx: ShapeContext, size: tuple[int, ...]) -> tuple[int, ...]:
    """How many sliding blocks fit along each spatial dim (torch floors, as Python does)."""
    p = ctx.params
    k, d = as_tuple(p["kernel_size"], 2), as_tuple(p["dilation"], 2)
    pad, s = as_tuple(p["padding"], 2), as_tuple(p["stride"], 2)
    blocks = tuple(
        (n + 2 * pi - di * (ki - 1) - 1) // si + 1
        for n, ki, di, pi, si in zip(size, k, d, pad, s, strict=True)
    )
    if any(b < 1 for b in blocks):
        raise ctx.fail(
            msg(
                "fits no sliding block of {kernel} (dilation {dilation}) into {size} padded by "
                "{pad}",
                kernel=times(k),
                dilation=times(d),
                size=times(size),
                pad=times(pad),
            ),
            0,
            "kernel_size",
        )
    return blocks


def _fold(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    p = ctx.params
    out = as_tuple(p["output_size"], 2)
    per_block = prod(as_tuple(p["kernel_size"], 2))
    count = prod(_blocks(ctx, out))
    if t.rank == 1 and per_block == 1 and t.shape[0] == count:
        # torch reads [N, L] as one unbatched [C, L] sample; with a 1×1 kernel the batch
        # survives as the channels.
        ctx.warn(
            msg(
                "receives {shape} without a channel dim, so torch folds the batch as channels; "
                "give it [channels × kernel, blocks]",
                shape=format_shape(t.shape),
            )
        )
        return [t.with_shape(out)]
    t = ctx.need_rank((2,), msg("[channels × kernel positions, blocks]"))
    if t.shape[0] % per_block:
        raise ctx.fail(
            msg(
                "folds blocks of {count} values (kernel_size), but dim 1 of {shape} from "
                "{source} is not a multiple of {count}",
                count=per_block,
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
            "kernel_size",
        )
    if t.shape[1] != count:
        raise ctx.fail(
            msg(
                "places {count} blocks into {out}, but receives {got} blocks ({shape} from "
                "{source})",
                count=count,
                out=times(out),
                got=t.shape[1],
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
            "output_size",
        )
    return [t.with_shape((t.shape[0] // per_block, *out))]


def _unfold(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    per_block = prod(as_tuple(ctx.params["kernel_size"], 2))
    if t.rank == 2 and per_block == 1:
        # torch reads [N, H, W] as one unbatched [C, H, W] sample; a 1×1 kernel keeps the batch.
        ctx.warn(
            msg(
                "receives {shape} without a channel dim, so torch unfolds the batch as channels; "
                "give it [channels, height, width]",
                shape=format_shape(t.shape),
            )
        )
        return [t.with_shape((prod(_blocks(ctx, t.shape)),))]
    t = ctx.need_rank((3,), msg("[channels, height, width]"))
    count = prod(_blocks(ctx, t.shape[1:]))
    return [t.with_shape((t.shape[0] * per_block, count))]


def _sliding(*, fold: bool) -> tuple[ParamSpec, ...]:
    params = []
    if fold:
        params.append(
            ParamSpec(
                "output_size",
                "int_or_tuple",
                None,
                "height and width to fold into",
                1,
                arity=2,
                required=True,
            )
        )
    params += [
        ParamSpec(
            "kernel_size", "int_or_tuple", None, "size of each block", 1, arity=2, required=True
        ),
        ParamSpec("dilation", "int_or_tuple", 1, "spacing inside a block", 1, arity=2),
        ParamSpec("padding", "int_or_tuple", 0, "zeros added on each side", 0, arity=2),
        ParamSpec("stride", "int_or_tuple", 1, "step between blocks", 1, arity=2),
    ]
    return tuple(params)


register(
    LayerSpec(
        "Unfold",
        "Resampling",
        "Extracts sliding blocks: [C, H, W] becomes [C·k·k, blocks] (im2col).",
        _unfold,
        params=_sliding(fold=False),
        torch_class="Unfold",
        palette={"kernel_size": 2},
        summary=lambda p: f"{p.get('kernel_size', '?')} blocks",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)

register(
    LayerSpec(
        "Fold",
        "Resampling",
        "Sums sliding blocks back into an image: [C·k·k, blocks] becomes [C, *output_size].",
        _fold,
        params=_sliding(fold=True),
        torch_class="Fold",
        palette={"output_size": [4, 4], "kernel_size": 2},
        summary=lambda p: f"→ {p.get('output_size', '?')}",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _fixed_upsample(
    mode: str, align_corners: bool | None
) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        fixed = {"mode": mode, "align_corners": align_corners, "recompute_scale_factor": None}
        ctx.params.update(fixed)
        try:
            return _upsample(ctx)
        finally:
            for name in fixed:
                del ctx.params[name]

    return rule


_UPSAMPLE_PARAMS = (
    ParamSpec(
        "size",
        "int_or_tuple",
        None,
        "output height and width (or use scale_factor)",
        1,
        arity=0,
        optional=True,
    ),
    ParamSpec(
        "scale_factor",
        "float_or_tuple",
        None,
        "multiplier for height and width (or use size)",
        0,
        exclusive_minimum=True,
        arity=0,
        optional=True,
    ),
)

for _type, _mode, _corners, _doc in (
    ("UpsamplingNearest2d", "nearest", None, "Upsample with mode nearest (the older name)."),
    (
        "UpsamplingBilinear2d",
        "bilinear",
        True,
        "Upsample with mode bilinear and align_corners=True (the older name).",
    ),
):
    register(
        LayerSpec(
            _type,
            "Resampling",
            _doc,
            _fixed_upsample(_mode, _corners),
            params=_UPSAMPLE_PARAMS,
            torch_class=_type,
            palette={"scale_factor": 2},
            summary=_upsample_summary,
            arithmetic=with_parameters(reshaped, counted),
            macs=no_macs,
        )
    )
