"""Normalisation layers: batch, layer, group and instance norm (feature counts inferred)."""

from __future__ import annotations

from collections.abc import Callable
from math import prod

from graph.arithmetic import Arith, counted, per_channel, product, unchanged, with_parameters
from graph.cost import no_macs
from graph.init import affine
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_EPS = ParamSpec("eps", "float", 1e-5, "added to the variance for numerical stability", 0)
_MOMENTUM = ParamSpec(
    "momentum",
    "float",
    0.1,
    "weight of the newest batch in the running statistics (None: a plain average)",
    0,
    optional=True,
)


def _num_features(what: str) -> ParamSpec:
    return ParamSpec("num_features", "int", None, what, 1, inferred=True)


_BATCH_LAYOUT = {
    1: ((1, 2), msg("[features] or [channels, length]")),
    2: ((3,), msg("[channels, height, width]")),
    3: ((4,), msg("[channels, depth, height, width]")),
}


def _resolve_channels(ctx: ShapeContext, channels: int) -> None:
    p = ctx.params
    pinned = p["num_features"]
    unused = not (p["affine"] or p["track_running_stats"])
    if "num_features" in ctx.given and pinned != channels and unused:
        # torch never uses num_features without weights or running statistics.
        ctx.warn(
            msg(
                "has num_features={pinned} but receives {channels} channels {origin}; it is "
                "unused since affine and track_running_stats are off",
                pinned=pinned,
                channels=channels,
                origin=ctx.origin(),
            )
        )
        return
    ctx.resolve("num_features", channels, msg("channels"))


def _batch_norm_rule(n: int) -> Callable[[ShapeContext], list[TensorType]]:
    ranks, layout = _BATCH_LAYOUT[n]

    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.need_rank(ranks, layout)
        _resolve_channels(ctx, t.shape[0])
        return [t]

    return rule


def _affine_count(p: dict, inputs: list[TensorType]) -> int:
    return _scale_and_shift(p, p["num_features"])


def _scale_and_shift(p: dict, channels: int) -> int:
    if not p["affine"]:
        return 0
    return channels * (2 if p["bias"] else 1)


_BIAS = ParamSpec("bias", "bool", True, "learn the shift too (with affine)")


for _n in (1, 2, 3):
    register(
        LayerSpec(
            f"BatchNorm{_n}d",
            "Normalization",
            f"Normalises each channel over the batch ({_BATCH_LAYOUT[_n][1]} inputs).",
            _batch_norm_rule(_n),
            params=(
                _num_features("channels of the input (C)"),
                _EPS,
                _MOMENTUM,
                ParamSpec("affine", "bool", True, "learn a scale and shift per channel"),
                ParamSpec(
                    "track_running_stats", "bool", True, "keep running statistics for eval mode"
                ),
                _BIAS,
            ),
            count_params=_affine_count,
            torch_class=f"BatchNorm{_n}d",
            init_tensors=affine("affine"),
            arithmetic=with_parameters(unchanged, per_channel()),
            macs=no_macs,
        )
    )


_INSTANCE_LAYOUT = {
    1: "[channels, length]",
    2: "[channels, height, width]",
    3: "[channels, depth, height, width]",
}
_INSTANCE_LAYOUT_TEXT = {
    1: msg("[channels, length]"),
    2: msg("[channels, height, width]"),
    3: msg("[channels, depth, height, width]"),
}


def _instance_norm_rule(n: int) -> Callable[[ShapeContext], list[TensorType]]:
    layout = _INSTANCE_LAYOUT_TEXT[n]

    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.need_rank((n, n + 1), layout)
        p = ctx.params
        uses_channels = p["affine"] or p["track_running_stats"]
        if t.rank == n:
            # torch reads a channel-less input as one unbatched sample: the batch becomes the
            # channels.
            if uses_channels:
                raise ctx.fail(
                    msg(
                        "receives {shape} from {source}, which torch reads as one sample whose "
                        "channels are the batch; with affine or track_running_stats on it needs "
                        "{layout}",
                        shape=format_shape(t.shape),
                        source=ctx.sources[0],
                        layout=layout,
                    ),
                    0,
                )
            ctx.warn(
                msg(
                    "receives {shape} without a channel dim, so each sample is normalised as a "
                    "single map; add a channel dim for per-channel statistics",
                    shape=format_shape(t.shape),
                )
            )
            if "num_features" not in ctx.given:
                p["num_features"] = t.shape[0]
        else:
            _resolve_channels(ctx, t.shape[0])
        spatial = t.shape[-n:]
        if prod(spatial) == 1:
            raise ctx.fail(
                msg(
                    "normalises over {values} values from {source}; while training, torch needs "
                    "more than one value per channel to normalise",
                    values="×".join(map(str, spatial)),
                    source=ctx.sources[0],
                ),
                0,
            )
        return [t]

    return rule


for _n in (1, 2, 3):
    register(
        LayerSpec(
            f"InstanceNorm{_n}d",
            "Normalization",
            f"Normalises each channel of each sample over its own values ({_INSTANCE_LAYOUT[_n]}).",
            _instance_norm_rule(_n),
            params=(
                _num_features("channels of the input (C)"),
                _EPS,
                _MOMENTUM,
                ParamSpec("affine", "bool", False, "learn a scale and shift per channel"),
                ParamSpec(
                    "track_running_stats", "bool", False, "keep running statistics for eval mode"
                ),
                _BIAS,
            ),
            count_params=_affine_count,
            torch_class=f"InstanceNorm{_n}d",
            init_tensors=affine("affine"),
            arithmetic=with_parameters(unchanged, per_channel()),
            macs=no_macs,
        )
    )


def _layer_norm(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    if t.rank < 1:
        raise ctx.fail(
            msg(
                "needs features to normalise but receives a single value per sample from {source}",
                source=ctx.sources[0],
            )
        )
    p = ctx.params
    if "normalized_shape" not in ctx.given:
        p["normalized_shape"] = t.shape[-1]
        return [t]
    wanted = p["normalized_shape"]
    wanted = tuple(wanted) if isinstance(wanted, tuple) else (wanted,)
    if len(wanted) > t.rank or t.shape[t.rank - len(wanted) :] != wanted:
        raise ctx.fail(
            msg(
                "normalises over the last dims {wanted} (normalized_shape) but receives "
                "{shape} from {source}, which does not end in them",
                wanted=format_shape(wanted),
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
            "normalized_shape",
        )
    return [t]


def _layer_norm_count(p: dict, inputs: list[TensorType]) -> int:
    shape = p["normalized_shape"]
    size = prod(shape) if isinstance(shape, tuple) else shape
    if not p["elementwise_affine"]:
        return 0
    return size * (2 if p["bias"] else 1)


def _layer_norm_expression(a: Arith) -> str:
    shape = a.params["normalized_shape"] or a.inp[-1:]
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    n = prod(shape)
    if a.count == n:
        return product(shape)
    return f"2 × ({product(shape)})" if a.count == 2 * n else counted(a)


register(
    LayerSpec(
        "LayerNorm",
        "Normalization",
        "Normalises each sample over its last dims (normalized_shape; default the last one).",
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
            _EPS,
            ParamSpec("elementwise_affine", "bool", True, "learn a scale (and shift) per value"),
            ParamSpec("bias", "bool", True, "learn the shift too (with elementwise_affine)"),
        ),
        count_params=_layer_norm_count,
        torch_class="LayerNorm",
        init_tensors=affine("elementwise_affine"),
        arithmetic=with_parameters(unchanged, _layer_norm_expression),
        macs=no_macs,
    )
)


def _group_norm(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.need_rank(tuple(range(1, 9)), msg("[channels, ...]"))
    p = ctx.params
    groups, channels, pinned = p["num_groups"], t.shape[0], p["num_channels"]
    if "num_channels" in ctx.given and pinned != channels and not p["affine"]:
        # Without affine weights torch never uses num_channels beyond the divisibility check.
        ctx.warn(
            msg(
                "has num_channels={pinned} but receives {channels} channels {origin}; it is "
                "unused since affine is off",
                pinned=pinned,
                channels=channels,
                origin=ctx.origin(),
            )
        )
    else:
        ctx.resolve("num_channels", channels, msg("channels"))
    for count, pinned in ((channels, False), (p["num_channels"], True)):
        if count % groups:
            raise ctx.fail(
                msg(
                    "has num_groups={groups}, but num_channels: {count} channels do not divide "
                    "into {groups} groups",
                    groups=groups,
                    count=count,
                )
                if pinned
                else msg(
                    "has num_groups={groups}, but its {count} channels do not divide into "
                    "{groups} groups",
                    groups=groups,
                    count=count,
                ),
                0,
                "num_groups",
            )
    return [t]


register(
    LayerSpec(
        "GroupNorm",
        "Normalization",
        "Normalises each sample over groups of channels; works with any batch size.",
        _group_norm,
        params=(
            ParamSpec(
                "num_groups", "int", None, "groups the channels are split into", 1, required=True
            ),
            ParamSpec("num_channels", "int", None, "channels of the input (C)", 1, inferred=True),
            _EPS,
            ParamSpec("affine", "bool", True, "learn a scale and shift per channel"),
            _BIAS,
        ),
        count_params=lambda p, inputs: _scale_and_shift(p, p["num_channels"]),
        torch_class="GroupNorm",
        init_tensors=affine("affine"),
        arithmetic=with_parameters(unchanged, per_channel("num_channels")),
        macs=no_macs,
        palette={"num_groups": 2},
        summary=lambda p: f"{p.get('num_groups', '?')} groups",
    )
)
