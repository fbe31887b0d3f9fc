"""Reductions over dims: Mean, Sum, Amax and Amin (torch's names; dims count the batch as 0)."""

from __future__ import annotations

from collections.abc import Callable

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._rules import full_dim
from graph.op_calls import Arg, Expression, OpCall
from graph.params import ParamSpec
from graph.spec import DtypePolicy, LayerSpec, ShapeContext, register
from graph.tensor import TensorType
from i18n import msg


def dims_of(
    ctx: ShapeContext, value: int | tuple[int, ...], rank: int, param: str = "dim"
) -> list[int]:
    """Batch-less indices of one dim or several, each checked once (torch refuses repeats)."""
    dims = list(value) if isinstance(value, tuple) else [value]
    found = [full_dim(ctx, d, rank, param) for d in dims]
    for i, d in enumerate(found):
        if d in found[:i]:
            raise ctx.fail(
                msg(
                    "names dim {dim} twice in {param}={dims}",
                    dim=d + 1,
                    param=param,
                    dims=list(dims),
                ),
                0,
                param,
            )
    return found


def _reduce(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    found = set(dims_of(ctx, ctx.params["dim"], t.rank))
    if ctx.params["keepdim"]:
        shape = tuple(1 if i in found else s for i, s in enumerate(t.shape))
    else:
        shape = tuple(s for i, s in enumerate(t.shape) if i not in found)
    return [t.with_shape(shape)]


def _expression(function: str) -> Callable[[dict, int], Expression]:
    def expression(p: dict, n_inputs: int) -> Expression:
        keywords: tuple = (("dim", p["dim"]),)
        if p["keepdim"]:
            keywords += (("keepdim", True),)
        return OpCall(function, (Arg(0),), keywords)

    return expression


for _type, _function, _doc, _dtype in (
    ("Mean", "torch.mean", "The average over dim (one dim or several).", "float"),
    ("Sum", "torch.sum", "The sum over dim (one dim or several).", "any"),
    ("Amax", "torch.amax", "The largest value over dim (one dim or several).", "any"),
    ("Amin", "torch.amin", "The smallest value over dim (one dim or several).", "any"),
):
    dtype: DtypePolicy = _dtype  # type: ignore[assignment]
    register(
        LayerSpec(
            _type,
            "Tensor operations",
            _doc,
            _reduce,
            params=(
                ParamSpec(
                    "dim",
                    "int_or_tuple",
                    None,
                    "dim or dims to reduce (batch is 0)",
                    arity=0,
                    required=True,
                ),
                ParamSpec("keepdim", "bool", False, "keep the reduced dims as size 1"),
            ),
            dtype=dtype,
            palette={"dim": -1},
            summary=lambda p: f"dim={p.get('dim')}",
            expression=_expression(_function),
            arithmetic=with_parameters(reshaped, counted),
            macs=no_macs,
        )
    )
