"""Max, average and adaptive pooling."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import SPATIAL, Arith, Explainer, Formula, sliding
from graph.cost import no_macs
from graph.layers._rules import pool_out, times
from graph.params import ParamSpec, as_tuple
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_SPATIAL = {1: msg("[length]"), 2: msg("[height, width]"), 3: msg("[depth, height, width]")}
_LAYOUT = {
    1: msg("[channels, length]"),
    2: msg("[channels, height, width]"),
    3: msg("[channels, depth, height, width]"),
}


def _pool_input(ctx: ShapeContext, n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(leading dims, spatial dims) of the input: [channels, *spatial] or just [*spatial].

    Pooling treats channels independently, so torch's reading of a channel-less [N, *spatial]
    tensor as one unbatched sample (channels = the batch) gives the same per-sample result.
    """
    t = ctx.need_rank((n, n + 1), msg("{a} or {b}", a=_LAYOUT[n], b=_SPATIAL[n]))
    return t.shape[: t.rank - n], t.shape[t.rank - n :]


def _pool_rule(n: int, has_dilation: bool) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.inputs[0]
        lead, spatial = _pool_input(ctx, n)
        p = ctx.params
        if p.get("return_indices"):
            raise ctx.fail(
                msg(
                    "has return_indices=True, which returns a pair meant for MaxUnpool; "
                    "Netwright wires one tensor per output, so leave it off"
                ),
                0,
                "return_indices",
            )
        k = as_tuple(p["kernel_size"], n)
        s = as_tuple(p["stride"] if p["stride"] is not None else p["kernel_size"], n)
        pad = as_tuple(p["padding"], n)
        d = as_tuple(p["dilation"], n) if has_dilation else (1,) * n
        for ki, pi in zip(k, pad, strict=True):
            if pi > ki // 2:
                raise ctx.fail(
                    msg(
                        "has padding={pi}, but padding may be at most half the kernel size "
                        "({ki} // 2 = {value})",
                        pi=pi,
                        ki=ki,
                        value=ki // 2,
                    ),
                    0,
                    "padding",
                )
        if n == 3 and not has_dilation and any(x < ki for x, ki in zip(spatial, k, strict=True)):
            # torch's avg_pool3d (alone among pools) compares the unpadded input with the kernel.
            raise ctx.fail(
                msg(
                    "has a window of {k}, larger than its input {spatial} ({shape} from "
                    "{source}); AvgPool3d does not count padding here",
                    k=times(k),
                    spatial=times(spatial),
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                ),
                0,
                "kernel_size",
            )
        out = tuple(
            pool_out(size, ki, si, pi, di, p["ceil_mode"])
            for size, ki, si, pi, di in zip(spatial, k, s, pad, d, strict=True)
        )
        if any(o < 1 for o in out):
            effective = tuple(di * (ki - 1) + 1 for ki, di in zip(k, d, strict=True))
            raise ctx.fail(
                msg(
                    "has a window of {effective}, larger than its padded input {padded} "
                    "({shape} from {source})",
                    effective=times(effective),
                    padded=times(tuple(x + 2 * pi for x, pi in zip(spatial, pad, strict=True))),
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                ),
                0,
                "kernel_size",
            )
        return [TensorType((*lead, *out))]

    return rule


def _pool_arithmetic(n: int, has_dilation: bool) -> Explainer:
    def explain(a: Arith) -> list[Formula]:
        p = a.params
        k = as_tuple(p["kernel_size"], n)
        s = as_tuple(p["stride"] if p["stride"] is not None else p["kernel_size"], n)
        pads = tuple((v, v) for v in as_tuple(p["padding"], n))
        d = as_tuple(p["dilation"], n) if has_dilation else (1,) * n
        return sliding(a, k, s, pads, d, p["ceil_mode"])

    return explain


def _adaptive_arithmetic(n: int) -> Explainer:
    def explain(a: Arith) -> list[Formula]:
        first = len(a.out) - n
        return [
            Formula(f"{SPATIAL[n][i]}_out", "output_size", a.out[first + i], 0, first + i)
            for i in range(n)
        ]

    return explain


def _pool_summary(p: dict) -> str:
    k = p.get("kernel_size", "?")
    text = times(tuple(k)) if isinstance(k, list | tuple) else str(k)
    s = p.get("stride")
    if s is not None and s != k:
        text += f", s{s if isinstance(s, int) else times(tuple(s))}"
    return text


def _window(n: int) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec(
            "kernel_size", "int_or_tuple", None, "size of the window", 1, arity=n, required=True
        ),
        ParamSpec(
            "stride",
            "int_or_tuple",
            None,
            "step of the window (default: kernel_size)",
            1,
            arity=n,
            optional=True,
        ),
        ParamSpec("padding", "int_or_tuple", 0, "implicit padding on both sides", 0, arity=n),
    )


for _n in (1, 2, 3):
    register(
        LayerSpec(
            f"MaxPool{_n}d",
            "Pooling",
            f"{_n}-d max pooling: keeps the largest value in each window.",
            _pool_rule(_n, has_dilation=True),
            params=(
                *_window(_n),
                ParamSpec(
                    "dilation", "int_or_tuple", 1, "spacing between window elements", 1, arity=_n
                ),
                ParamSpec("return_indices", "bool", False, "also return the argmax indices"),
                ParamSpec("ceil_mode", "bool", False, "round the output size up, not down"),
            ),
            torch_class=f"MaxPool{_n}d",
            arithmetic=_pool_arithmetic(_n, True),
            macs=no_macs,
            palette={"kernel_size": 2},
            summary=_pool_summary,
        )
    )
    avg_params = [
        *_window(_n),
        ParamSpec("ceil_mode", "bool", False, "round the output size up, not down"),
        ParamSpec("count_include_pad", "bool", True, "count padding zeros in the average"),
    ]
    if _n > 1:
        avg_params.append(
            ParamSpec(
                "divisor_override",
                "int",
                None,
                "divide by this instead of the window size",
                1,
                optional=True,
            )
        )
    register(
        LayerSpec(
            f"AvgPool{_n}d",
            "Pooling",
            f"{_n}-d average pooling: averages each window.",
            _pool_rule(_n, has_dilation=False),
            params=tuple(avg_params),
            torch_class=f"AvgPool{_n}d",
            arithmetic=_pool_arithmetic(_n, False),
            macs=no_macs,
            palette={"kernel_size": 2},
            summary=_pool_summary,
        )
    )


def _adaptive_rule(n: int, global_mean: bool) -> Callable[[ShapeContext], list[TensorType]]:
    """global_mean: AdaptiveAvgPool2d to 1×1 is a plain mean over the last two dims in torch, so
    it also accepts extra leading dims ([A, C, H, W])."""

    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.inputs[0]
        size = as_tuple(ctx.params["output_size"], n)
        if global_mean and t.rank > n + 1:
            tail = t.shape[-n:]
            if all((v if v is not None else tail[i]) == 1 for i, v in enumerate(size)):
                return [TensorType((*t.shape[:-n], *(1,) * n))]
        lead, spatial = _pool_input(ctx, n)
        if ctx.params.get("return_indices"):
            raise ctx.fail(
                msg(
                    "has return_indices=True, which returns a pair meant for MaxUnpool; leave "
                    "it off"
                ),
                0,
                "return_indices",
            )
        out = tuple(spatial[i] if v is None else v for i, v in enumerate(size))
        return [TensorType((*lead, *out))]

    return rule


def _adaptive_summary(p: dict) -> str:
    size = p.get("output_size", "?")
    return "→ " + (
        times(tuple("*" if v is None else v for v in size))
        if isinstance(size, list | tuple)
        else str(size)
    )


_ADAPTIVE = tuple((f"Adaptive{kind}Pool{n}d", n) for kind in ("Avg", "Max") for n in (1, 2, 3))
for _type, _n in _ADAPTIVE:
    _params = [
        ParamSpec(
            "output_size",
            "int_or_tuple",
            None,
            "the size to pool to (None keeps a dimension)",
            1,
            arity=_n,
            required=True,
            item_optional=_n > 1,
        ),
    ]
    if "Max" in _type:
        _params.append(ParamSpec("return_indices", "bool", False, "also return the indices"))
    register(
        LayerSpec(
            _type,
            "Pooling",
            f"Pools any {_LAYOUT[_n]} input to a fixed output_size.",
            _adaptive_rule(_n, global_mean=_type in ("AdaptiveAvgPool2d", "AdaptiveAvgPool3d")),
            params=tuple(_params),
            torch_class=_type,
            arithmetic=_adaptive_arithmetic(_n),
            macs=no_macs,
            palette={"output_size": 1},
            summary=_adaptive_summary,
        )
    )
