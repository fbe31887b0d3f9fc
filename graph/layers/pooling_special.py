"""Power-average (LP) pooling and fractional max pooling."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._rules import times
from graph.layers.pooling import _LAYOUT, _pool_input, _pool_rule, _pool_summary
from graph.params import ParamSpec, as_tuple
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _lp_rule(n: int) -> Callable[[ShapeContext], list[TensorType]]:
    average = _pool_rule(n, has_dilation=False)

    def rule(ctx: ShapeContext) -> list[TensorType]:
        # torch computes (Σ xᵖ)^(1/p) with its average pool, unpadded: the same output size.
        ctx.params["padding"] = 0
        try:
            return average(ctx)
        finally:
            del ctx.params["padding"]

    return rule


for _n in (1, 2, 3):
    register(
        LayerSpec(
            f"LPPool{_n}d",
            "Pooling",
            f"{_n}-d power-average pooling: (Σ xᵖ)^(1/p) over each window (p=1: sum, ∞: max).",
            _lp_rule(_n),
            params=(
                ParamSpec("norm_type", "float", None, "the power p", required=True),
                ParamSpec(
                    "kernel_size",
                    "int_or_tuple",
                    None,
                    "size of the window",
                    1,
                    arity=_n,
                    required=True,
                ),
                ParamSpec(
                    "stride",
                    "int_or_tuple",
                    None,
                    "step of the window (default: kernel_size)",
                    1,
                    arity=_n,
                    optional=True,
                ),
                ParamSpec("ceil_mode", "bool", False, "round the output size up, not down"),
            ),
            torch_class=f"LPPool{_n}d",
            palette={"norm_type": 2.0, "kernel_size": 2},
            summary=_pool_summary,
            arithmetic=with_parameters(reshaped, counted),
            macs=no_macs,
        )
    )


def _fractional_rule(n: int) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        p = ctx.params
        t = ctx.inputs[0]
        lead, spatial = _pool_input(ctx, n)
        if p["return_indices"]:
            raise ctx.fail(
                msg(
                    "has return_indices=True, which returns a pair meant for MaxUnpool; leave it "
                    "off"
                ),
                0,
                "return_indices",
            )
        size, ratio = p["output_size"], p["output_ratio"]
        if (size is None) == (ratio is None):
            if size is None:
                text = msg("has neither output_size nor output_ratio; set exactly one of them")
            else:
                text = msg("has both output_size and output_ratio; set exactly one of them")
            raise ctx.fail(text, 0, "output_size")
        if size is not None:
            out = as_tuple(size, n)
        else:
            ratios = as_tuple(ratio, n)
            if any(r >= 1 for r in ratios):
                raise ctx.fail(
                    msg("has output_ratio={ratio}; each ratio must be below 1", ratio=ratio),
                    0,
                    "output_ratio",
                )
            out = tuple(int(s * r) for s, r in zip(spatial, ratios, strict=True))
            if any(o < 1 for o in out):
                raise ctx.fail(
                    msg(
                        "pools {sizes} by output_ratio={ratio} to {out}, an empty output; use a "
                        "larger ratio",
                        sizes=times(spatial),
                        ratio=ratio,
                        out=times(out),
                    ),
                    0,
                    "output_ratio",
                )
        k = as_tuple(p["kernel_size"], n)
        # torch's 3-d kernel wants one spare position beyond the last window; the 2-d one does not.
        spare = 1 if n == 3 else 0
        needed = tuple(o + ki - 1 + spare for o, ki in zip(out, k, strict=True))
        for need, s in zip(needed, spatial, strict=True):
            if need > s:
                raise ctx.fail(
                    msg(
                        "pools to {out} with a window of {window}, which needs an input of at "
                        "least {needed}, but receives {shape} from {source}",
                        out=times(out),
                        window=times(k),
                        needed=times(needed),
                        shape=format_shape(t.shape),
                        source=ctx.sources[0],
                    ),
                    0,
                    "kernel_size",
                )
        return [TensorType((*lead, *out))]

    return rule


for _n in (2, 3):
    register(
        LayerSpec(
            f"FractionalMaxPool{_n}d",
            "Pooling",
            f"{_n}-d max pooling over randomly placed windows to a given size or ratio "
            f"({_LAYOUT[_n]}).",
            _fractional_rule(_n),
            params=(
                ParamSpec(
                    "kernel_size",
                    "int_or_tuple",
                    None,
                    "size of the window",
                    1,
                    arity=_n,
                    required=True,
                ),
                ParamSpec(
                    "output_size",
                    "int_or_tuple",
                    None,
                    "the size to pool to (or use output_ratio)",
                    1,
                    arity=_n,
                    optional=True,
                ),
                ParamSpec(
                    "output_ratio",
                    "float_or_tuple",
                    None,
                    "the fraction of the input size to pool to, below 1 (or use output_size)",
                    0,
                    1,
                    exclusive_minimum=True,
                    arity=_n,
                    optional=True,
                ),
                ParamSpec("return_indices", "bool", False, "also return the indices"),
            ),
            torch_class=f"FractionalMaxPool{_n}d",
            palette={"kernel_size": 2, "output_ratio": 0.5},
            summary=lambda p: (
                f"{p.get('kernel_size', '?')}, → {p.get('output_size') or p.get('output_ratio')}"
            ),
            arithmetic=with_parameters(reshaped, counted),
            macs=no_macs,
        )
    )
