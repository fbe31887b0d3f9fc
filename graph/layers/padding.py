"""Padding layers: zeros, a constant, the reflection, the edge value, or the wrapped-around input
added around the last 1, 2 or 3 dims."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._rules import times
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_SIDES = {
    1: "(left, right)",
    2: "(left, right, top, bottom)",
    3: "(left, right, top, bottom, front, back)",
}
_LAYOUT = {
    1: msg("[channels, length] or [length]"),
    2: msg("[channels, height, width] or [height, width]"),
    3: msg("[channels, depth, height, width] or [depth, height, width]"),
}
# How each mode limits a pad against the size of the dim it pads (None: no limit).
_LIMIT = {
    "Reflection": (
        msg("in reflection mode a pad must be smaller than the size it pads"),
        lambda pad, size: pad < size,
    ),
    "Circular": (
        msg("in circular mode a pad must be at most the size it pads"),
        lambda pad, size: pad <= size,
    ),
}
_DOCS = {
    "Zero": "Pads the last {n} dim(s) with zeros.",
    "Constant": "Pads the last {n} dim(s) with a constant value.",
    "Reflection": "Pads the last {n} dim(s) with their reflection (the edge is not repeated).",
    "Replication": "Pads the last {n} dim(s) by repeating the edge values.",
    "Circular": "Pads the last {n} dim(s) with the input wrapped around (periodic).",
}


def _pads(value: int | tuple[int, ...], n: int) -> list[tuple[int, int]]:
    """(before, after) per padded dim, first padded dim first (torch lists the last dim first)."""
    flat = (value,) * (2 * n) if isinstance(value, int) else value
    pairs = [(flat[2 * i], flat[2 * i + 1]) for i in range(n)]
    return pairs[::-1]


def _pad_rule(kind: str, n: int) -> Callable[[ShapeContext], list[TensorType]]:
    def rule(ctx: ShapeContext) -> list[TensorType]:
        t = ctx.inputs[0]
        pads = _pads(ctx.params["padding"], n)
        if kind in ("Zero", "Constant"):
            # F.pad in constant mode pads the last n dims of any tensor that has them, the batch
            # included: harmless only while the batch's pad is zero.
            if t.rank + 1 < n or (t.rank < n and pads[0] != (0, 0)):
                raise ctx.fail(
                    msg(
                        "pads the last {n} dims but receives {shape} from {source}, which has only "
                        "{rank} besides the batch; padding the batch would change the number of "
                        "samples",
                        n=n,
                        shape=format_shape(t.shape),
                        source=ctx.sources[0],
                        rank=t.rank,
                    ),
                    0,
                )
            pads = pads[n - t.rank :] if t.rank < n else pads
        else:
            ctx.need_rank((n, n + 1), _LAYOUT[n])
        spatial = t.shape[t.rank - len(pads) :]
        limit = _LIMIT.get(kind)
        if limit is not None:
            relation, fits = limit
            for size, (before, after) in zip(spatial, pads, strict=True):
                if not (fits(before, size) and fits(after, size)):
                    raise ctx.fail(
                        msg(
                            "pads by {pad}, but {rule} ({sizes} from {source})",
                            pad=max(before, after),
                            rule=relation,
                            sizes=times(spatial),
                            source=ctx.sources[0],
                        ),
                        0,
                        "padding",
                    )
        out = tuple(
            size + before + after for size, (before, after) in zip(spatial, pads, strict=True)
        )
        return [t.with_shape((*t.shape[: t.rank - len(pads)], *out))]

    return rule


def _summary(p: dict) -> str:
    pad = p.get("padding", "?")
    return f"pad {times(tuple(pad)) if isinstance(pad, list | tuple) else pad}"


for _kind in ("Zero", "Constant", "Reflection", "Replication", "Circular"):
    for _n in (1, 2, 3):
        _params = [
            ParamSpec(
                "padding",
                "int_or_tuple",
                None,
                f"one pad for every side, or {_SIDES[_n]}; crop with Slice",
                0,
                arity=2 * _n,
                required=True,
            )
        ]
        if _kind == "Constant":
            _params.append(ParamSpec("value", "float", None, "the value padded in", required=True))
        register(
            LayerSpec(
                f"{_kind}Pad{_n}d",
                "Padding",
                _DOCS[_kind].format(n=_n),
                _pad_rule(_kind, _n),
                params=tuple(_params),
                dtype="any",
                torch_class=f"{_kind}Pad{_n}d",
                palette={"padding": 1, "value": 0.0} if _kind == "Constant" else {"padding": 1},
                summary=_summary,
                arithmetic=with_parameters(reshaped, counted),
                macs=no_macs,
            )
        )
