"""Changing spatial size without learned weights: Upsample and PixelShuffle."""

from __future__ import annotations

from graph.arithmetic import SPATIAL, Arith, Formula, unchanged
from graph.cost import no_macs
from graph.layers._rules import times
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

# Which input ranks (batch left out) each mode works on: [channels, *spatial].
_MODE_RANKS = {
    "nearest": (2, 3, 4),
    "nearest-exact": (2, 3, 4),
    "linear": (2,),
    "bilinear": (3,),
    "bicubic": (3,),
    "trilinear": (4,),
}
_LAYOUT = {
    2: msg("[channels, length]"),
    3: msg("[channels, height, width]"),
    4: msg("[channels, depth, height, width]"),
}


def _per_dim(ctx: ShapeContext, name: str, value: object, n: int) -> tuple:
    if not isinstance(value, tuple):
        return (value,) * n
    if len(value) != n:
        raise ctx.fail(
            msg(
                "has {name} with {count} numbers, but its input {shape} has {n} spatial dims",
                name=name,
                count=len(value),
                shape=format_shape(ctx.inputs[0].shape),
                n=n,
            ),
            0,
            name,
        )
    return value


def _upsample(ctx: ShapeContext) -> list[TensorType]:
    p = ctx.params
    mode = p["mode"]
    ranks = _MODE_RANKS[mode]
    layouts = _LAYOUT[ranks[0]]
    for r in ranks[1:]:
        layouts = msg("{a} or {b}", a=layouts, b=_LAYOUT[r])
    t = ctx.need_rank(ranks, msg("{layouts} for mode='{mode}'", layouts=layouts, mode=mode))
    if p["align_corners"] is not None and mode in ("nearest", "nearest-exact"):
        raise ctx.fail(
            msg(
                "has align_corners set, which only the interpolating modes use, not "
                "mode='{mode}'; leave it unset",
                mode=mode,
            ),
            0,
            "align_corners",
        )
    size, scale = p["size"], p["scale_factor"]
    if (size is None) == (scale is None):
        both = (
            msg("neither size nor scale_factor")
            if size is None
            else msg("both size and scale_factor")
        )
        raise ctx.fail(
            msg("has {both}; set exactly one of them", both=both),
            0,
            "size",
        )
    n = t.rank - 1
    spatial = t.shape[1:]
    if size is not None:
        if p["recompute_scale_factor"]:
            raise ctx.fail(
                msg(
                    "has recompute_scale_factor=True, which only means something with "
                    "scale_factor, not with size"
                ),
                0,
                "recompute_scale_factor",
            )
        out = _per_dim(ctx, "size", size, n)
    else:
        factors = _per_dim(ctx, "scale_factor", scale, n)
        # torch floors size × factor in double precision, exactly as Python does.
        out = tuple(int(s * f) for s, f in zip(spatial, factors, strict=True))
        if any(o < 1 for o in out):
            raise ctx.fail(
                msg(
                    "scales {spatial} by {scale} to {out}, an empty output; use a larger "
                    "scale_factor",
                    spatial=times(spatial),
                    scale=scale,
                    out=times(out),
                ),
                0,
                "scale_factor",
            )
    return [t.with_shape((t.shape[0], *out))]


def _upsample_arithmetic(a: Arith) -> list[Formula]:
    n = len(a.out) - 1
    names = SPATIAL[n]
    if a.params["size"] is not None:
        return [Formula(f"{names[i]}_out", "size", a.out[1 + i], 0, 1 + i) for i in range(n)]
    scale = a.params["scale_factor"]
    factors = tuple(scale) if isinstance(scale, list | tuple) else (scale,) * n
    return [
        Formula(f"{names[i]}_out", f"⌊{a.inp[1 + i]} × {factors[i]}⌋", a.out[1 + i], 0, 1 + i)
        for i in range(n)
    ]


def _pixel_shuffle_arithmetic(a: Arith) -> list[Formula]:
    if len(a.inp) < 3:  # upscale_factor=1 on [C, L]: nothing moves
        return unchanged(a)
    r, (c, h, w) = a.params["upscale_factor"], a.inp[-3:]
    k = len(a.out) - 3
    return [
        Formula("C_out", f"{c} / ({r} × {r})", a.out[k], 0, k),
        Formula("H_out", f"{h} × {r}", a.out[k + 1], 0, k + 1),
        Formula("W_out", f"{w} × {r}", a.out[k + 2], 0, k + 2),
    ]


def _upsample_summary(p: dict) -> str:
    if p.get("size") is not None:
        size = p["size"]
        return "→ " + (times(tuple(size)) if isinstance(size, list | tuple) else str(size))
    return f"×{p.get('scale_factor', '?')} {p.get('mode', 'nearest')}"


register(
    LayerSpec(
        "Upsample",
        "Resampling",
        "Resizes [channels, *spatial] to size, or by scale_factor, by interpolation.",
        _upsample,
        params=(
            ParamSpec(
                "size",
                "int_or_tuple",
                None,
                "output spatial size (or use scale_factor)",
                1,
                arity=0,
                optional=True,
            ),
            ParamSpec(
                "scale_factor",
                "float_or_tuple",
                None,
                "multiplier for the spatial size (or use size)",
                0,
                exclusive_minimum=True,
                arity=0,
                optional=True,
            ),
            ParamSpec("mode", "enum", "nearest", "interpolation", choices=tuple(_MODE_RANKS)),
            ParamSpec(
                "align_corners",
                "bool",
                None,
                "align corner pixels (interpolating modes only)",
                optional=True,
            ),
            ParamSpec(
                "recompute_scale_factor",
                "bool",
                None,
                "recompute the scale from the rounded output size",
                optional=True,
            ),
        ),
        torch_class="Upsample",
        arithmetic=_upsample_arithmetic,
        macs=no_macs,
        palette={"scale_factor": 2},
        summary=_upsample_summary,
    )
)


def _pixel_shuffle(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    r = ctx.params["upscale_factor"]
    if t.rank < 3:
        if r == 1 and t.rank == 2:
            ctx.warn(msg("with upscale_factor=1 does nothing"))
            return [t]
        raise ctx.fail(
            msg(
                "expects input shaped [channels, height, width] (batch left out) but receives "
                "{shape} from {source}",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            ),
            0,
        )
    c, h, w = t.shape[-3:]
    if c % (r * r):
        raise ctx.fail(
            msg(
                "has upscale_factor={r}, so its {c} input channels must be a multiple of "
                "{r}×{r} = {product}",
                r=r,
                c=c,
                product=r * r,
            ),
            0,
            "upscale_factor",
        )
    return [t.with_shape((*t.shape[:-3], c // (r * r), h * r, w * r))]


register(
    LayerSpec(
        "PixelShuffle",
        "Resampling",
        "Rearranges [C·r², H, W] into [C, H·r, W·r] (sub-pixel upsampling).",
        _pixel_shuffle,
        params=(
            ParamSpec("upscale_factor", "int", None, "factor r to enlarge by", 1, required=True),
        ),
        dtype="any",
        torch_class="PixelShuffle",
        arithmetic=_pixel_shuffle_arithmetic,
        macs=no_macs,
        palette={"upscale_factor": 2},
        summary=lambda p: f"×{p.get('upscale_factor', '?')}",
    )
)
