"""Layers that only rearrange a tensor: Flatten, Unflatten, Reshape, Permute, Index."""

from __future__ import annotations

from math import prod

from graph.arithmetic import Arith, Formula, product
from graph.cost import no_macs
from graph.layers._rules import full_dim, times
from graph.op_calls import Arg, OpCall
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _flatten(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    full = t.rank + 1
    dims = []
    for name in ("start_dim", "end_dim"):
        v = ctx.params[name]
        if not -full <= v < full:
            raise ctx.fail(
                msg(
                    "has {name}={v}, but its input {shape} has only {full} dims counting the "
                    "batch (valid: {low} to {high})",
                    name=name,
                    v=v,
                    shape=format_shape(t.shape),
                    full=full,
                    low=-full,
                    high=full - 1,
                ),
                0,
                name,
            )
        dims.append(v % full)
    start, end = dims
    if start > end:
        raise ctx.fail(
            msg(
                "has start_dim={start} after end_dim={end}",
                start=ctx.params["start_dim"],
                end=ctx.params["end_dim"],
            ),
            0,
        )
    if start == 0:
        if end == 0:
            return [t]
        if all(d == 1 for d in t.shape[:end]):
            # Folding size-1 dims into the batch changes nothing, so torch's result is fine.
            ctx.warn(
                msg("has start_dim=0, which folds the batch into the features; use start_dim=1")
            )
            return [t.with_shape(t.shape[end:])]
        raise ctx.fail(
            msg("has start_dim=0, which would fold the batch into the features; use start_dim=1"),
            0,
            "start_dim",
        )
    if start == end:
        return [t]
    merged = t.shape[start - 1 : end]
    shape = (*t.shape[: start - 1], prod(merged), *t.shape[end:])
    detail = (
        msg("{sizes} from {source}", sizes=times(merged), source=ctx.sources[0])
        if end == t.rank
        else ""
    )
    return [t.with_shape(shape, detail)]


def _flatten_arithmetic(a: Arith) -> list[Formula]:
    full = len(a.inp) + 1
    start, end = a.params["start_dim"] % full, a.params["end_dim"] % full
    if start == 0 or start >= end:
        return _moved(a)
    merged = a.inp[start - 1 : end]
    label = "features" if start == 1 and end == len(a.inp) else f"dim {start}"
    return [Formula(label, product(merged), a.out[start - 1], 0, start - 1)]


def _moved(a: Arith) -> list[Formula]:
    """Rearranging layers: the same values in a new shape."""
    return [
        Formula(
            "",
            msg(
                "{shape} becomes {result}, {product} = {count} values",
                shape=format_shape(a.inp),
                result=format_shape(a.out),
                product=product(a.inp),
                count=prod(a.out),
            ),
        )
    ]


def _index_arithmetic(a: Arith) -> list[Formula]:
    p = a.params
    return [
        Formula(
            "",
            msg(
                "picks position {index} along dim {dim}: {shape} becomes {result}",
                index=p["index"],
                dim=p["dim"],
                shape=format_shape(a.inp),
                result=format_shape(a.out),
            ),
        )
    ]


def _reshape_arithmetic(a: Arith) -> list[Formula]:
    wanted = list(a.params["shape"])
    found = _moved(a)
    if -1 in wanted:
        i = wanted.index(-1)
        known = [v for v in wanted if v != -1]
        found.append(
            Formula(f"dim {i + 1} (-1)", f"{prod(a.inp)} / ({product(known)})", a.out[i], 0, i)
        )
    return found


register(
    LayerSpec(
        "Flatten",
        "Reshape",
        "Flattens dims start_dim..end_dim into one (by default all but the batch).",
        _flatten,
        params=(
            ParamSpec("start_dim", "int", 1, "first dim to flatten (batch is 0)"),
            ParamSpec("end_dim", "int", -1, "last dim to flatten"),
        ),
        dtype="any",
        torch_class="Flatten",
        arithmetic=_flatten_arithmetic,
        macs=no_macs,
    )
)


def _fill_minus_one(
    ctx: ShapeContext, sizes: tuple[int, ...], numel: int, param: str, what: str
) -> tuple[int, ...]:
    unknown = [i for i, v in enumerate(sizes) if v == -1]
    if len(unknown) > 1:
        raise ctx.fail(
            msg("has more than one -1 in {param}; only one size can be worked out", param=param),
            0,
            param,
        )
    if any(v == 0 or v < -1 for v in sizes):
        raise ctx.fail(
            msg(
                "has {param}={sizes}; sizes must be positive (or one -1)",
                param=param,
                sizes=list(sizes),
            ),
            0,
            param,
        )
    known = prod(v for v in sizes if v != -1)
    if unknown:
        if numel % known:
            raise ctx.fail(
                msg(
                    "cannot make {what} of {numel} values into {sizes}: {numel} is not a "
                    "multiple of {known}",
                    what=what,
                    numel=numel,
                    sizes=list(sizes),
                    known=known,
                ),
                0,
                param,
            )
        sizes = tuple(numel // known if v == -1 else v for v in sizes)
    elif known != numel:
        raise ctx.fail(
            msg(
                "cannot make {what} of {numel} values into {sizes}, which holds {known}",
                what=what,
                numel=numel,
                sizes=list(sizes),
                known=known,
            ),
            0,
            param,
        )
    return sizes


def _unflatten(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    dim, sizes = ctx.params["dim"], ctx.params["unflattened_size"]
    if dim in (0, -t.rank - 1) and sizes and sizes[0] == -1 and all(v == 1 for v in sizes[1:]):
        # Splitting the batch N into [N, 1, ...] only adds size-1 dims: torch's result is fine.
        ctx.warn(
            msg(
                "has dim={dim}, the batch; it works here only because -1 takes the batch, so "
                "use dim=1 and put the 1s there",
                dim=dim,
            )
        )
        return [t.with_shape((*sizes[1:], *t.shape))]
    d = full_dim(ctx, dim, t.rank)
    sizes = _fill_minus_one(
        ctx, ctx.params["unflattened_size"], t.shape[d], "unflattened_size", msg("dim {d}", d=d + 1)
    )
    return [t.with_shape((*t.shape[:d], *sizes, *t.shape[d + 1 :]))]


register(
    LayerSpec(
        "Unflatten",
        "Reshape",
        "Splits one dim into several, e.g. 784 into [1, 28, 28].",
        _unflatten,
        params=(
            ParamSpec("dim", "int", None, "dim to split (batch is 0)", required=True),
            ParamSpec("unflattened_size", "ints", None, "the sizes it becomes", -1, required=True),
        ),
        dtype="any",
        torch_class="Unflatten",
        arithmetic=_moved,
        macs=no_macs,
        palette={"dim": 1, "unflattened_size": [1, 28, 28]},
    )
)


def _reshape(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    sizes = _fill_minus_one(
        ctx,
        ctx.params["shape"],
        t.numel(),
        "shape",
        msg("{shape} from {source}", shape=format_shape(t.shape), source=ctx.sources[0]),
    )
    return [t.with_shape(sizes)]


register(
    LayerSpec(
        "Reshape",
        "Reshape",
        "Gives each sample a new shape with the same number of values (one -1 is worked out).",
        _reshape,
        params=(
            ParamSpec("shape", "ints", None, "new sample shape, batch left out", -1, required=True),
        ),
        dtype="any",
        palette={"shape": [-1]},
        summary=lambda p: format_shape(tuple(p.get("shape") or ())),
        expression=lambda p, n: OpCall(
            ".reshape", (Arg(0), OpCall(".size", (Arg(0), 0)), *p["shape"])
        ),
        arithmetic=_reshape_arithmetic,
        macs=no_macs,
    )
)


def _permute(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    full = t.rank + 1
    dims = ctx.params["dims"]
    if len(dims) != full:
        raise ctx.fail(
            msg(
                "has dims={dims}, but its input {shape} has {full} dims counting the batch; "
                "name each of them once",
                dims=list(dims),
                shape=format_shape(t.shape),
                full=full,
            ),
            0,
            "dims",
        )
    if any(not -full <= v < full for v in dims):
        raise ctx.fail(
            msg("has dims={dims}, with a dim outside 0..{high}", dims=list(dims), high=full - 1),
            0,
            "dims",
        )
    norm = [v % full for v in dims]
    if sorted(norm) != list(range(full)):
        raise ctx.fail(
            msg("has dims={dims}, which names a dim twice", dims=list(dims)),
            0,
            "dims",
        )
    if norm[0] != 0:
        raise ctx.fail(
            msg("has dims={dims}; the batch (dim 0) must stay first", dims=list(dims)),
            0,
            "dims",
        )
    return [t.with_shape(tuple(t.shape[v - 1] for v in norm[1:]))]


register(
    LayerSpec(
        "Permute",
        "Reshape",
        "Reorders dims, e.g. [0, 2, 1] swaps sequence and features; the batch stays first.",
        _permute,
        params=(
            ParamSpec(
                "dims", "ints", None, "new order of all dims, batch (0) first", required=True
            ),
        ),
        dtype="any",
        palette={"dims": [0, 2, 1]},
        summary=lambda p: str(list(p.get("dims") or [])),
        expression=lambda p, n: OpCall(".permute", (Arg(0), *p["dims"])),
        arithmetic=_moved,
        macs=no_macs,
    )
)


def _index(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    d = full_dim(ctx, ctx.params["dim"], t.rank)
    size, index = t.shape[d], ctx.params["index"]
    if not -size <= index < size:
        raise ctx.fail(
            msg(
                "picks index {index} of dim {value}, which has size {size} (valid: {value2} to "
                "{value3})",
                index=index,
                value=d + 1,
                size=size,
                value2=-size,
                value3=size - 1,
            ),
            0,
            "index",
        )
    return [t.with_shape((*t.shape[:d], *t.shape[d + 1 :]))]


register(
    LayerSpec(
        "Index",
        "Reshape",
        "Picks one position along dim (torch.select), e.g. the last time step: dim=1, index=-1.",
        _index,
        params=(
            ParamSpec("dim", "int", 1, "dim to pick from (batch is 0)"),
            ParamSpec("index", "int", -1, "position to keep; -1 is the last"),
        ),
        dtype="any",
        summary=lambda p: f"dim={p.get('dim', 1)}, [{p.get('index', -1)}]",
        expression=lambda p, n: OpCall(".select", (Arg(0), p["dim"], p["index"])),
        arithmetic=_index_arithmetic,
        macs=no_macs,
    )
)
