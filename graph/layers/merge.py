"""Joining branches: element-wise Add and Multiply (broadcasting as torch does), Concat and
Stack."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import Arith, Explainer, Formula
from graph.cost import no_macs
from graph.layers._rules import full_dim
from graph.op_calls import Arg, BinaryOp, Expression, OpCall
from graph.params import ParamSpec
from graph.spec import ExpressionRule, LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType, format_shape
from i18n import msg


def _result_dtype(inputs: list[TensorType]) -> str:
    return INT if all(t.dtype == INT for t in inputs) else FLOAT


def _broadcast(ctx: ShapeContext) -> list[TensorType]:
    first = ctx.inputs[0]
    shape = list(first.shape)
    for port, t in enumerate(ctx.inputs[1:], start=1):
        if t.rank != len(shape):
            raise ctx.fail(
                msg(
                    "cannot combine {shape} from {source} with {shape2} from {source2}: they "
                    "have different numbers of dimensions, so the batch would line up with a "
                    "feature dimension",
                    shape=format_shape(first.shape),
                    source=ctx.sources[0],
                    shape2=format_shape(t.shape),
                    source2=ctx.sources[port],
                ),
                port,
            )
        for i, (a, b) in enumerate(zip(shape, t.shape, strict=True)):
            if a != b and a != 1 and b != 1:
                raise ctx.fail(
                    msg(
                        "cannot combine {shape} from {source} with {shape2} from {source2}: "
                        "dim {value} is {a} vs {b} (sizes must match, or one must be 1)",
                        shape=format_shape(first.shape),
                        source=ctx.sources[0],
                        shape2=format_shape(t.shape),
                        source2=ctx.sources[port],
                        value=i + 1,
                        a=a,
                        b=b,
                    ),
                    port,
                )
            shape[i] = max(a, b)
    return [TensorType(tuple(shape), _result_dtype(ctx.inputs))]


def _concat(ctx: ShapeContext) -> list[TensorType]:
    first = ctx.inputs[0]
    for port, t in enumerate(ctx.inputs[1:], start=1):
        if t.rank != first.rank:
            raise ctx.fail(
                msg(
                    "cannot join {shape} from {source} with {shape2} from {source2}: they have "
                    "different numbers of dimensions",
                    shape=format_shape(first.shape),
                    source=ctx.sources[0],
                    shape2=format_shape(t.shape),
                    source2=ctx.sources[port],
                ),
                port,
            )
    d = full_dim(ctx, ctx.params["dim"], first.rank)
    total = 0
    for port, t in enumerate(ctx.inputs):
        for i, (a, b) in enumerate(zip(first.shape, t.shape, strict=True)):
            if i != d and a != b:
                raise ctx.fail(
                    msg(
                        "joins along dim {dim}, so all other sizes must match, but {shape} "
                        "from {source} and {shape2} from {source2} differ at dim {at} ({a} "
                        "vs {b})",
                        dim=d + 1,
                        shape=format_shape(first.shape),
                        source=ctx.sources[0],
                        shape2=format_shape(t.shape),
                        source2=ctx.sources[port],
                        at=i + 1,
                        a=a,
                        b=b,
                    ),
                    port,
                )
        total += t.shape[d]
    shape = list(first.shape)
    shape[d] = total
    return [TensorType(tuple(shape), _result_dtype(ctx.inputs))]


def _stack(ctx: ShapeContext) -> list[TensorType]:
    """torch.stack: inputs of one shape, joined along a new dim of size len(inputs)."""
    first = ctx.inputs[0]
    for port, t in enumerate(ctx.inputs[1:], start=1):
        if t.shape != first.shape:
            raise ctx.fail(
                msg(
                    "stacks inputs of one shape, but {shape} from {source} and {shape2} from "
                    "{source2} differ",
                    shape=format_shape(first.shape),
                    source=ctx.sources[0],
                    shape2=format_shape(t.shape),
                    source2=ctx.sources[port],
                ),
                port,
            )
    d = full_dim(ctx, ctx.params["dim"], first.rank + 1)  # the new dim may follow the last
    shape = list(first.shape)
    shape.insert(d, len(ctx.inputs))
    return [TensorType(tuple(shape), _result_dtype(ctx.inputs))]


def _stack_arithmetic(a: Arith) -> list[Formula]:
    d = a.params["dim"] % (len(a.out) + 1) - 1
    return [Formula(f"dim {d + 1}", msg("{count} inputs", count=len(a.inputs)), a.out[d], 0, d)]


def _broadcast_arithmetic(a: Arith) -> list[Formula]:
    shapes = " and ".join(format_shape(t.shape) for t in a.inputs)
    return [
        Formula("", msg("element-wise over {shapes} (sizes match, or 1 broadcasts)", shapes=shapes))
    ]


def _concat_arithmetic(a: Arith) -> list[Formula]:
    d = a.params["dim"] % (len(a.out) + 1) - 1
    sizes = " + ".join(str(t.shape[d]) for t in a.inputs)
    return [Formula(f"dim {d + 1}", sizes, a.out[d], 0, d)]


def _merge(
    type_: str,
    doc: str,
    rule: Callable,
    expression: ExpressionRule,
    *params: ParamSpec,
    summary=None,
    arithmetic: Explainer = _broadcast_arithmetic,
) -> None:
    register(
        LayerSpec(
            type_,
            "Merge",
            doc,
            rule,
            params=params,
            inputs=("input 0", "input 1"),
            variadic=True,
            dtype="any",
            summary=summary,
            expression=expression,
            arithmetic=arithmetic,
            macs=no_macs,
        )
    )


def _args(n: int) -> tuple[Arg, ...]:
    return tuple(Arg(i) for i in range(n))


# Merges of more inputs than this are written as `sum(...)` / `math.prod(...)`, not `a + b + …`:
# Python's compiler nests a chain as deep as it is long and gives up at a few thousand.
CHAIN_LIMIT = 64


def _add(p: dict, n: int) -> Expression:
    if n > CHAIN_LIMIT:  # the same left-to-right sum, without the deep nesting
        return OpCall("sum", (_args(n)[1:], Arg(0)))
    return OpCall("torch.add", _args(2)) if n == 2 else BinaryOp("+", _args(n))


def _multiply(p: dict, n: int) -> Expression:
    if n > CHAIN_LIMIT:
        return OpCall("math.prod", (_args(n)[1:],), (("start", Arg(0)),))
    return BinaryOp("*", _args(n))


_merge(
    "Add",
    "Adds its inputs element-wise (a residual connection).",
    _broadcast,
    _add,
)
_merge(
    "Multiply",
    "Multiplies its inputs element-wise (gating).",
    _broadcast,
    _multiply,
)
_merge(
    "Concat",
    "Joins its inputs along dim (channels are dim 1), in port order.",
    _concat,
    lambda p, n: OpCall("torch.cat", (list(_args(n)),), (("dim", p["dim"]),)),
    ParamSpec("dim", "int", 1, "dimension to join along (batch is 0)"),
    summary=lambda p: f"dim={p.get('dim', 1)}",
    arithmetic=_concat_arithmetic,
)
_merge(
    "Stack",
    "Joins inputs of one shape along a new dim (steps of a loop into a sequence), in port order.",
    _stack,
    lambda p, n: OpCall("torch.stack", (list(_args(n)),), (("dim", p["dim"]),)),
    ParamSpec("dim", "int", 1, "where the new dimension goes (batch is 0)"),
    summary=lambda p: f"dim={p.get('dim', 1)}",
    arithmetic=_stack_arithmetic,
)
