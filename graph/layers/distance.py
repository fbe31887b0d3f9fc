"""Distances between two inputs: cosine similarity and the p-norm distance."""

from __future__ import annotations

from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, INT, TensorType, format_shape

BATCH = -1  # the batch's place in a full shape: its size is unknown, so it must meet 1s or itself


def _broadcast_full(ctx: ShapeContext) -> list[int]:
    """The full shape (batch included, as BATCH) that torch broadcasts the two inputs to.

    Inputs of different ranks line up from the right, so one input's batch may meet the other's
    features: that runs in torch only against a 1 (or another batch), as here.
    """
    a, b = ([BATCH, *t.shape] for t in ctx.inputs)
    width = max(len(a), len(b))
    a, b = [1] * (width - len(a)) + a, [1] * (width - len(b)) + b
    shape = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y or y == 1:
            shape.append(x)
        elif x == 1:
            shape.append(y)
        else:
            what = "the batch" if BATCH in (x, y) else f"{x} vs {y}"
            raise ctx.fail(
                f"cannot compare {format_shape(ctx.inputs[0].shape)} from {ctx.sources[0]} with "
                f"{format_shape(ctx.inputs[1].shape)} from {ctx.sources[1]}: at dim {i} of the "
                f"broadcast they meet as {what} (sizes must match, or one must be 1)",
                1,
            )
    return shape


def _per_sample(ctx: ShapeContext, full: list[int], what: str) -> tuple[int, ...]:
    """The batch-less result, if the batch is still first and only first."""
    if not full or full[0] != BATCH or BATCH in full[1:]:
        raise ctx.fail(
            f"{what}, which leaves the batch out of place: the inputs' ranks differ, so samples "
            "would be compared with each other; give both inputs the same number of dims",
            0,
        )
    return tuple(full[1:])


def _float_result(ctx: ShapeContext, both_ints_fail: bool) -> None:
    ints = [t.dtype == INT for t in ctx.inputs]
    if all(ints) and both_ints_fail:
        raise ctx.fail(
            "works on floating-point numbers but receives whole-number ids (int64) on both "
            "inputs; turn ids into vectors with an Embedding first",
            0,
        )
    if any(ints):
        ctx.warn("receives whole-number ids (int64); the result comes out as floats")


def _cosine(ctx: ShapeContext) -> list[TensorType]:
    _float_result(ctx, both_ints_fail=True)
    full = _broadcast_full(ctx)
    dim = ctx.params["dim"]
    if not -len(full) <= dim < len(full):
        raise ctx.fail(
            f"has dim={dim}, but its inputs broadcast to {len(full)} dims counting the batch "
            f"(valid: {-len(full)} to {len(full) - 1})",
            0,
            "dim",
        )
    d = dim % len(full)
    rest = full[:d] + full[d + 1 :]
    if full[d] == BATCH and BATCH not in rest:
        raise ctx.fail(
            f"has dim={dim}, which is the batch dimension; dims count the batch as 0, so the "
            "first feature dimension is 1",
            0,
            "dim",
        )
    return [TensorType(_per_sample(ctx, rest, f"compares along dim {dim}"))]


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
    )
)


def _pairwise(ctx: ShapeContext) -> list[TensorType]:
    _float_result(ctx, both_ints_fail=False)
    full = _broadcast_full(ctx)
    kept = full[:-1] + ([1] if ctx.params["keepdim"] else [])
    if full[-1] == BATCH:
        raise ctx.fail(
            f"measures along the last dim, but receives a single value per sample from "
            f"{ctx.sources[0]}, so it would measure across the batch",
            0,
        )
    return [TensorType(_per_sample(ctx, kept, "measures along the last dim"), FLOAT)]


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
    )
)
