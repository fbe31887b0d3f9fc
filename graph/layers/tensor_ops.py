"""Tensor operations between layers: MatMul, Transpose, Squeeze, Unsqueeze, Slice and Expand,
with torch's names and semantics (dims count the batch as 0; negative dims count from the end)."""

from __future__ import annotations

from math import prod

from graph.arithmetic import Arith, counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._batched import BATCH, full, per_sample
from graph.layers._rules import full_dim
from graph.layers.reductions import dims_of
from graph.op_calls import Arg, Expression, OpCall, Subscript
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_CATEGORY = "Tensor operations"


def _matmul(ctx: ShapeContext) -> list[TensorType]:
    x, y = ctx.inputs
    if x.dtype != y.dtype:
        raise ctx.fail(
            msg(
                "multiplies {dtype} from {source} with {dtype2} from {source2}; torch needs both "
                "of the same dtype",
                dtype=x.dtype,
                source=ctx.sources[0],
                dtype2=y.dtype,
                source2=ctx.sources[1],
            ),
            1,
        )
    a, b = full(x), full(y)
    # torch.matmul: a 1-d operand is a row (left) or a column (right) that disappears again.
    drop_row, drop_column = len(a) == 1, len(b) == 1
    a = [1, *a] if drop_row else a
    b = [*b, 1] if drop_column else b
    if a[-1] != b[-2] or a[-1] == BATCH:
        raise ctx.fail(
            msg(
                "multiplies {shape} from {source} by {shape2} from {source2}, but the last dim "
                "of the first must equal the second-to-last dim of the second (counting the "
                "batch)",
                shape=format_shape(x.shape),
                source=ctx.sources[0],
                shape2=format_shape(y.shape),
                source2=ctx.sources[1],
            ),
            1,
        )
    stack_a, stack_b = a[:-2], b[:-2]
    width = max(len(stack_a), len(stack_b))
    stack_a = [1] * (width - len(stack_a)) + stack_a
    stack_b = [1] * (width - len(stack_b)) + stack_b
    stack = []
    for p, q in zip(stack_a, stack_b, strict=True):
        if p != q and 1 not in (p, q):
            raise ctx.fail(
                msg(
                    "multiplies {shape} from {source} by {shape2} from {source2}, whose leading "
                    "dims do not broadcast (sizes must match, or one must be 1)",
                    shape=format_shape(x.shape),
                    source=ctx.sources[0],
                    shape2=format_shape(y.shape),
                    source2=ctx.sources[1],
                ),
                1,
            )
        stack.append(p if q == 1 else q)
    out = [*stack, *([] if drop_row else [a[-2]]), *([] if drop_column else [b[-1]])]
    return [TensorType(per_sample(ctx, out, msg("multiplies them")), x.dtype)]


def _matmul_macs(a: Arith) -> int:
    """One product per output value and per value of the shared dim (torch's bmm/mm count); a
    per-sample scalar operand makes torch use a vector product, which its counter leaves out."""
    if any(not t.shape for t in a.inputs):
        return 0
    return prod(a.out) * a.inputs[0].shape[-1]


register(
    LayerSpec(
        "MatMul",
        _CATEGORY,
        "Matrix product of its two inputs (torch.matmul): [n, m] @ [m, p] gives [n, p].",
        _matmul,
        inputs=("input", "other"),
        dtype="any",
        expression=lambda p, n: OpCall("torch.matmul", (Arg(0), Arg(1))),
        arithmetic=with_parameters(reshaped, counted),
        macs=_matmul_macs,
    )
)


def _transpose(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    width = t.rank + 1
    dim0, dim1 = ctx.params["dim0"], ctx.params["dim1"]
    if -width <= dim0 < width and -width <= dim1 < width and dim0 % width == dim1 % width:
        ctx.warn(msg("swaps dim {dim} with itself, which changes nothing", dim=dim0 % width))
        return [t]
    d0 = full_dim(ctx, dim0, t.rank, "dim0")
    d1 = full_dim(ctx, dim1, t.rank, "dim1")
    shape = list(t.shape)
    shape[d0], shape[d1] = shape[d1], shape[d0]
    return [t.with_shape(tuple(shape))]


register(
    LayerSpec(
        "Transpose",
        _CATEGORY,
        "Swaps two dims, e.g. dim0=1, dim1=2 turns [sequence, features] into [features, sequence].",
        _transpose,
        params=(
            ParamSpec("dim0", "int", None, "one dim (batch is 0)", required=True),
            ParamSpec("dim1", "int", None, "the other dim", required=True),
        ),
        dtype="any",
        palette={"dim0": 1, "dim1": 2},
        summary=lambda p: f"{p.get('dim0')} ↔ {p.get('dim1')}",
        expression=lambda p, n: OpCall(".transpose", (Arg(0), p["dim0"], p["dim1"])),
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _squeeze(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    dim = ctx.params["dim"]
    if dim is None:
        # torch would squeeze the batch too when it holds one sample: name the dims instead.
        found = [i for i, s in enumerate(t.shape) if s == 1]
        ctx.params["dim"] = tuple(i + 1 for i in found)
    else:
        dims = list(dim) if isinstance(dim, tuple) else [dim]
        width = t.rank + 1
        if any(-width <= d < width and d % width == 0 for d in dims):
            # torch leaves a dim alone unless its size is 1: the batch goes only when N = 1.
            ctx.warn(
                msg(
                    "names the batch (dim 0) to squeeze: it does nothing while a batch holds "
                    "several samples, but removes the batch dim for a batch of one; leave dim 0 out"
                )
            )
            dims = [d for d in dims if not (-width <= d < width and d % width == 0)]
        found = [d for d in dims_of(ctx, tuple(dims), t.rank) if t.shape[d] == 1] if dims else []
    return [t.with_shape(tuple(s for i, s in enumerate(t.shape) if i not in found))]


register(
    LayerSpec(
        "Squeeze",
        _CATEGORY,
        "Removes size-1 dims: those in dim, or all of them (never the batch).",
        _squeeze,
        params=(
            ParamSpec(
                "dim",
                "int_or_tuple",
                None,
                "dim or dims to remove if their size is 1 (None: every size-1 dim)",
                arity=0,
                optional=True,
            ),
        ),
        dtype="any",
        summary=lambda p: "" if p.get("dim") is None else f"dim={p.get('dim')}",
        expression=lambda p, n: OpCall("torch.squeeze", (Arg(0), p["dim"])),
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _unsqueeze(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    dim, width = ctx.params["dim"], t.rank + 2  # the result's dims, batch included
    if not -width <= dim < width:
        raise ctx.fail(
            msg(
                "has dim={dim}, but the result has {count} dims counting the batch (valid: {low} "
                "to {high})",
                dim=dim,
                count=width,
                low=-width,
                high=width - 1,
            ),
            0,
            "dim",
        )
    d = dim % width
    if d == 0:
        raise ctx.fail(
            msg(
                "has dim={dim}, which puts the new dim before the batch; dims count the batch as "
                "0, so the first place after it is 1",
                dim=dim,
            ),
            0,
            "dim",
        )
    return [t.with_shape((*t.shape[: d - 1], 1, *t.shape[d - 1 :]))]


register(
    LayerSpec(
        "Unsqueeze",
        _CATEGORY,
        "Inserts a size-1 dim at dim, e.g. dim=1 turns [28, 28] into [1, 28, 28].",
        _unsqueeze,
        params=(
            ParamSpec("dim", "int", None, "where the new dim goes (batch is 0)", required=True),
        ),
        dtype="any",
        palette={"dim": 1},
        summary=lambda p: f"dim={p.get('dim')}",
        expression=lambda p, n: OpCall(".unsqueeze", (Arg(0), p["dim"])),
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _slice(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    p = ctx.params
    width = t.rank + 1
    whole = p["start"] in (None, 0) and p["stop"] is None and p["step"] == 1
    if -width <= p["dim"] < width and p["dim"] % width == 0 and whole:
        ctx.warn(msg("slices the batch (dim 0) but keeps all of it, which changes nothing"))
        return [t]
    d = full_dim(ctx, p["dim"], t.rank)
    size = len(range(t.shape[d])[p["start"] : p["stop"] : p["step"]])
    if size == 0:
        raise ctx.fail(
            msg(
                "keeps nothing of dim {dim} (size {size} in {shape} from {source}) with "
                "start={start}, stop={stop}",
                dim=d + 1,
                size=t.shape[d],
                shape=format_shape(t.shape),
                source=ctx.sources[0],
                start=p["start"],
                stop=p["stop"],
            ),
            0,
            "start",
        )
    return [t.with_shape((*t.shape[:d], size, *t.shape[d + 1 :]))]


def _slice_expression(p: dict, n: int) -> Expression:
    dim = p["dim"]
    return Subscript(Arg(0), dim, p["start"], p["stop"], p["step"])


register(
    LayerSpec(
        "Slice",
        _CATEGORY,
        "Keeps positions start:stop:step of one dim, e.g. the first 10 time steps.",
        _slice,
        params=(
            ParamSpec("dim", "int", 1, "dim to slice (batch is 0)"),
            ParamSpec("start", "int", None, "first position kept (None: 0)", optional=True),
            ParamSpec(
                "stop", "int", None, "position to stop before (None: the end)", optional=True
            ),
            ParamSpec("step", "int", 1, "keep every step-th position", 1),
        ),
        dtype="any",
        summary=lambda p: f"[{p.get('start') or ''}:{p.get('stop') or ''}]",
        expression=_slice_expression,
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _expand(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    sizes = ctx.params["sizes"]
    if len(sizes) != t.rank:
        raise ctx.fail(
            msg(
                "has sizes={sizes} for an input {shape} from {source} with {rank} dims besides "
                "the batch; give one size per dim (-1 keeps it)",
                sizes=list(sizes),
                shape=format_shape(t.shape),
                source=ctx.sources[0],
                rank=t.rank,
            ),
            0,
            "sizes",
        )
    shape = []
    for i, (old, new) in enumerate(zip(t.shape, sizes, strict=True)):
        if new == -1 or new == old:
            shape.append(old)
        elif old == 1 and new >= 1:
            shape.append(new)
        else:
            raise ctx.fail(
                msg(
                    "cannot expand dim {dim} of size {old} to {new}: only size-1 dims grow (-1 "
                    "keeps a dim)",
                    dim=i + 1,
                    old=old,
                    new=new,
                ),
                0,
                "sizes",
            )
    return [t.with_shape(tuple(shape))]


register(
    LayerSpec(
        "Expand",
        _CATEGORY,
        "Repeats size-1 dims to the given sizes without copying (-1 keeps a dim).",
        _expand,
        params=(
            ParamSpec(
                "sizes", "ints", None, "the size of each dim, batch left out", -1, required=True
            ),
        ),
        dtype="any",
        palette={"sizes": [-1]},
        summary=lambda p: format_shape(tuple(p.get("sizes") or ())),
        expression=lambda p, n: OpCall(".expand", (Arg(0), -1, *p["sizes"])),
        expanded_view=True,
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)
