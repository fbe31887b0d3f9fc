"""Distances between two inputs: cosine similarity and the p-norm distance."""

from __future__ import annotations

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._batched import BATCH, broadcast, full, per_sample
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType
from i18n import msg


def _float_result(ctx: ShapeContext, both_ints_fail: bool) -> None:
    ints = [t.dtype == INT for t in ctx.inputs]
    if all(ints) and both_ints_fail:
        raise ctx.fail(
            msg(
                "works on floating-point numbers but receives whole-number ids (int64) on both "
                "inputs; turn ids into vectors with an Embedding first"
            ),
            0,
        )
    if any(ints):
        ctx.warn(msg("receives whole-number ids (int64); the result comes out as floats"))


def _cosine(ctx: ShapeContext) -> list[TensorType]:
    _float_result(ctx, both_ints_fail=True)
    shape = broadcast(ctx, full(ctx.inputs[0]), full(ctx.inputs[1]), msg("compare"))
    dim = ctx.params["dim"]
    if not -len(shape) <= dim < len(shape):
        raise ctx.fail(
            msg(
                "has dim={dim}, but its inputs broadcast to {count} dims counting the batch "
                "(valid: {low} to {high})",
                dim=dim,
                count=len(shape),
                low=-len(shape),
                high=len(shape) - 1,
            ),
            0,
            "dim",
        )
    d = dim % len(shape)
    rest = shape[:d] + shape[d + 1 :]
    if shape[d] == BATCH and BATCH not in rest:
        raise ctx.fail(
            msg(
                "has dim={dim}, which is the batch dimension; dims count the batch as 0, so the "
                "first feature dimension is 1",
                dim=dim,
            ),
            0,
            "dim",
        )
    return [TensorType(per_sample(ctx, rest, msg("compares along dim {dim}", dim=dim)))]


register(
    LayerSpec(
        "CosineSimilarity",
        "Distance",
        "Cosine of the angle between its two inputs along dim; that dim disappears.",
        _cosine,
        params=(
            ParamSpec("dim", "int", 1, "dimension to compare along (batch is 0)"),
            ParamSpec("eps", "float", 1e-8, "smallest norm divided by", 0),
        ),
        inputs=("x1", "x2"),
        dtype="any",
        torch_class="CosineSimilarity",
        summary=lambda p: f"dim={p.get('dim', 1)}",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _pairwise(ctx: ShapeContext) -> list[TensorType]:
    _float_result(ctx, both_ints_fail=False)
    shape = broadcast(ctx, full(ctx.inputs[0]), full(ctx.inputs[1]), msg("compare"))
    kept = shape[:-1] + ([1] if ctx.params["keepdim"] else [])
    if shape[-1] == BATCH:
        raise ctx.fail(
            msg(
                "measures along the last dim, but receives a single value per sample from "
                "{source}, so it would measure across the batch",
                source=ctx.sources[0],
            ),
            0,
        )
    return [TensorType(per_sample(ctx, kept, msg("measures along the last dim")), FLOAT)]


register(
    LayerSpec(
        "PairwiseDistance",
        "Distance",
        "p-norm distance between its two inputs along the last dim: ‖x1 − x2 + eps‖ₚ.",
        _pairwise,
        params=(
            ParamSpec("p", "float", 2.0, "the norm degree"),
            ParamSpec("eps", "float", 1e-6, "added to the difference to avoid division by zero"),
            ParamSpec("keepdim", "bool", False, "keep the last dim as size 1"),
        ),
        inputs=("x1", "x2"),
        dtype="any",
        torch_class="PairwiseDistance",
        summary=lambda p: f"p={p.get('p', 2.0)}",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)
