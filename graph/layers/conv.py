"""Convolutions and transposed convolutions in 1, 2 and 3 dimensions."""

from __future__ import annotations

from collections.abc import Callable
from math import prod

from graph.arithmetic import SPATIAL, Arith, Explainer, Formula, product, sliding
from graph.init import weight_and_bias
from graph.layers._rules import conv_out, conv_transpose_out, times
from graph.params import ParamSpec, as_tuple
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_LAYOUT = {
    1: msg("[channels, length]"),
    2: msg("[channels, height, width]"),
    3: msg("[channels, depth, height, width]"),
}


def _check_groups(ctx: ShapeContext, in_channels: int) -> None:
    groups, out = ctx.params["groups"], ctx.params["out_channels"]
    if in_channels % groups:
        raise ctx.fail(
            msg(
                "has groups={groups}, but its {in_channels} input channels do not divide into "
                "{groups} groups",
                groups=groups,
                in_channels=in_channels,
            ),
            0,
            "groups",
        )
    if out % groups:
        raise ctx.fail(
            msg(
                "has groups={groups}, but out_channels={out} does not divide into {groups} groups",
                groups=groups,
                out=out,
            ),
            0,
            "groups",
        )


def _conv_rule(n: int) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.need_rank((n + 1,), _LAYOUT[n])
        p = ctx.params
        ctx.resolve("in_channels", t.shape[0], msg("input channels"))
        _check_groups(ctx, t.shape[0])
        spatial = t.shape[1:]
        k = as_tuple(p["kernel_size"], n)
        s = as_tuple(p["stride"], n)
        d = as_tuple(p["dilation"], n)
        padding = p["padding"]
        if padding == "same" and any(v != 1 for v in s):
            raise ctx.fail(
                msg("has padding='same', which torch allows only with stride 1"), 0, "padding"
            )
        if padding == "same":
            total = tuple(di * (ki - 1) for di, ki in zip(d, k, strict=True))
            pads = tuple(((tp // 2), tp - tp // 2) for tp in total)
        else:
            pd = (0,) * n if padding == "valid" else as_tuple(padding, n)
            pads = tuple((v, v) for v in pd)
        mode = p["padding_mode"]
        if mode in ("reflect", "circular"):
            for size, (lo, hi) in zip(spatial, pads, strict=True):
                limit_ok = max(lo, hi) < size if mode == "reflect" else max(lo, hi) <= size
                if not limit_ok:
                    rule = msg("smaller than") if mode == "reflect" else msg("at most")
                    raise ctx.fail(
                        msg(
                            "pads by {amount} with padding_mode='{mode}', but the padding must be "
                            "{rule} the input size {size}",
                            amount=max(lo, hi),
                            mode=mode,
                            rule=rule,
                            size=size,
                        ),
                        0,
                        "padding",
                    )
        padded = tuple(size + lo + hi for size, (lo, hi) in zip(spatial, pads, strict=True))
        effective = tuple(di * (ki - 1) + 1 for di, ki in zip(d, k, strict=True))
        if any(e > q for e, q in zip(effective, padded, strict=True)):
            what = msg("kernel") if all(di == 1 for di in d) else msg("dilated kernel")
            raise ctx.fail(
                msg(
                    "has a {what} of {effective}, larger than its padded input {padded} "
                    "({shape} from {source})",
                    what=what,
                    effective=times(effective),
                    padded=times(padded),
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                ),
                0,
                "kernel_size",
            )
        out = tuple((q - e) // si + 1 for q, e, si in zip(padded, effective, s, strict=True))
        return [TensorType((p["out_channels"], *out))]

    return rule


def _conv_count(n: int) -> Callable[[dict, list[TensorType]], int]:
    def count(p: dict, inputs: list[TensorType]) -> int:
        k = prod(as_tuple(p["kernel_size"], n))
        weights = p["out_channels"] * (p["in_channels"] // p["groups"]) * k
        return weights + (p["out_channels"] if p["bias"] else 0)

    return count


def _pads(p: dict, n: int) -> tuple[tuple[int, int], ...]:
    padding = p["padding"]
    if padding == "same":
        d, k = as_tuple(p["dilation"], n), as_tuple(p["kernel_size"], n)
        total = [di * (ki - 1) for di, ki in zip(d, k, strict=True)]
        return tuple((t // 2, t - t // 2) for t in total)
    pd = (0,) * n if padding == "valid" else as_tuple(padding, n)
    return tuple((v, v) for v in pd)


def _conv_arithmetic(n: int, transpose: bool) -> Explainer:
    def explain(a: Arith) -> list[Formula]:
        p = a.params
        found = [Formula("C_out", "out_channels", a.out[0], 0, 0)]
        k, s, d = (as_tuple(p[x], n) for x in ("kernel_size", "stride", "dilation"))
        if not transpose:
            found += sliding(a, k, s, _pads(p, n), d)
        else:
            pad, op = as_tuple(p["padding"], n), as_tuple(p["output_padding"], n)
            for i in range(n):
                expression = (
                    f"({a.inp[1 + i]} − 1)·{s[i]} − 2·{pad[i]} + {d[i]}·({k[i]} − 1) + {op[i]} + 1"
                )
                found.append(Formula(f"{SPATIAL[n][i]}_out", expression, a.out[1 + i], 0, 1 + i))
        if a.count:
            ins, outs, g = p["in_channels"], p["out_channels"], p["groups"]
            fan = f"{ins // g if not transpose else outs // g}"
            kernel = product(k)
            lead = outs if not transpose else ins
            expression = f"{lead} × ({fan} × {kernel})" + (f" + {outs}" if p["bias"] else "")
            found.append(Formula(msg("parameters"), expression, a.count, None))
        return found

    return explain


def _conv_macs(n: int) -> Callable[[Arith], int]:
    """Every output value is a dot product over in_channels/groups × the kernel."""

    def macs(a: Arith) -> int:
        p = a.params
        return prod(a.out) * (p["in_channels"] // p["groups"]) * prod(as_tuple(p["kernel_size"], n))

    return macs


def _conv_transpose_macs(n: int) -> Callable[[Arith], int]:
    """Every input value is spread over out_channels/groups × the kernel."""

    def macs(a: Arith) -> int:
        p = a.params
        k = prod(as_tuple(p["kernel_size"], n))
        return prod(a.inp) * (p["out_channels"] // p["groups"]) * k

    return macs


def _conv_summary(p: dict) -> str:
    k = p.get("kernel_size", "?")
    k = times(tuple(k)) if isinstance(k, list | tuple) else f"{k}×{k}" if isinstance(k, int) else k
    text = f"{p.get('out_channels', '?')} @ {k}"
    s = p.get("stride", 1)
    if s not in (1, [1, 1], (1, 1)):
        text += f", s{s if isinstance(s, int) else times(tuple(s))}"
    return text


def _common(n: int) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("in_channels", "int", None, "channels of the input", 1, inferred=True),
        ParamSpec("out_channels", "int", None, "channels the layer produces", 1, required=True),
        ParamSpec(
            "kernel_size", "int_or_tuple", None, "size of the kernel", 1, arity=n, required=True
        ),
        ParamSpec("stride", "int_or_tuple", 1, "step between kernel positions", 1, arity=n),
    )


for _n in (1, 2, 3):
    register(
        LayerSpec(
            f"Conv{_n}d",
            "Convolution",
            f"{_n}-d convolution: slides learned filters over {_LAYOUT[_n]}.",
            _conv_rule(_n),
            params=(
                *_common(_n),
                ParamSpec(
                    "padding",
                    "int_or_tuple",
                    0,
                    "zeros (or padding_mode) added on each side; 'same' keeps the size",
                    0,
                    arity=_n,
                    words=("same", "valid"),
                ),
                ParamSpec(
                    "dilation", "int_or_tuple", 1, "spacing between kernel elements", 1, arity=_n
                ),
                ParamSpec(
                    "groups", "int", 1, "blocked connections from input to output channels", 1
                ),
                ParamSpec("bias", "bool", True, "learn an additive bias"),
                ParamSpec(
                    "padding_mode",
                    "enum",
                    "zeros",
                    "how the border is padded",
                    choices=("zeros", "reflect", "replicate", "circular"),
                ),
            ),
            count_params=_conv_count(_n),
            arithmetic=_conv_arithmetic(_n, False),
            macs=_conv_macs(_n),
            init_tensors=weight_and_bias(_n + 2),
            torch_class=f"Conv{_n}d",
            palette={"out_channels": 16, "kernel_size": 3},
            summary=_conv_summary,
        )
    )


def _conv_transpose_rule(n: int) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.need_rank((n + 1,), _LAYOUT[n])
        p = ctx.params
        ctx.resolve("in_channels", t.shape[0], msg("input channels"))
        _check_groups(ctx, t.shape[0])
        k = as_tuple(p["kernel_size"], n)
        s = as_tuple(p["stride"], n)
        pad = as_tuple(p["padding"], n)
        d = as_tuple(p["dilation"], n)
        op = as_tuple(p["output_padding"], n)
        for opi, si, di in zip(op, s, d, strict=True):
            if opi >= si and opi >= di:
                raise ctx.fail(
                    msg(
                        "has output_padding={opi}, which must be smaller than the stride "
                        "({si}) or the dilation ({di})",
                        opi=opi,
                        si=si,
                        di=di,
                    ),
                    0,
                    "output_padding",
                )
        out = tuple(
            conv_transpose_out(size, *args)
            for size, *args in zip(t.shape[1:], k, s, pad, d, op, strict=True)
        )
        return [TensorType((p["out_channels"], *out))]

    return rule


def _conv_transpose_count(n: int) -> Callable[[dict, list[TensorType]], int]:
    def count(p: dict, inputs: list[TensorType]) -> int:
        k = prod(as_tuple(p["kernel_size"], n))
        weights = p["in_channels"] * (p["out_channels"] // p["groups"]) * k
        return weights + (p["out_channels"] if p["bias"] else 0)

    return count


for _n in (1, 2, 3):
    register(
        LayerSpec(
            f"ConvTranspose{_n}d",
            "Convolution",
            f"{_n}-d transposed convolution: learned upsampling of {_LAYOUT[_n]}.",
            _conv_transpose_rule(_n),
            params=(
                *_common(_n),
                ParamSpec(
                    "padding",
                    "int_or_tuple",
                    0,
                    "implicit padding removed from each side of the output",
                    0,
                    arity=_n,
                ),
                ParamSpec(
                    "output_padding",
                    "int_or_tuple",
                    0,
                    "extra size added to one side of the output",
                    0,
                    arity=_n,
                ),
                ParamSpec(
                    "groups", "int", 1, "blocked connections from input to output channels", 1
                ),
                ParamSpec("bias", "bool", True, "learn an additive bias"),
                ParamSpec(
                    "dilation", "int_or_tuple", 1, "spacing between kernel elements", 1, arity=_n
                ),
                ParamSpec(
                    "padding_mode",
                    "enum",
                    "zeros",
                    "only 'zeros' is supported by torch",
                    choices=("zeros",),
                ),
            ),
            count_params=_conv_transpose_count(_n),
            arithmetic=_conv_arithmetic(_n, True),
            macs=_conv_transpose_macs(_n),
            init_tensors=weight_and_bias(_n + 2),
            torch_class=f"ConvTranspose{_n}d",
            palette={"out_channels": 16, "kernel_size": 2, "stride": 2},
            summary=_conv_summary,
        )
    )

__all__ = ["conv_out"]
