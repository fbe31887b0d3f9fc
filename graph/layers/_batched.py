"""Shapes with the batch in them, for operations that line up their inputs from the right
(broadcasting, matmul): a batch that meets a feature dim mixes samples, and torch only tells by
giving a result that is not [N, ...]."""

from __future__ import annotations

from graph.spec import ShapeContext
from graph.tensor import TensorType, format_shape
from i18n import msg

BATCH = -1  # the batch's place in a full shape: its size is unknown, so it must meet 1s or itself


def full(t: TensorType) -> list[int]:
    return [BATCH, *t.shape]


def broadcast(ctx: ShapeContext, a: list[int], b: list[int], what: str) -> list[int]:
    """The full shape torch broadcasts two full shapes to (aligned from the right)."""
    width = max(len(a), len(b))
    a, b = [1] * (width - len(a)) + a, [1] * (width - len(b)) + b
    shape = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y or y == 1:
            shape.append(x)
        elif x == 1:
            shape.append(y)
        else:
            meet = msg("the batch") if BATCH in (x, y) else msg("{a} vs {b}", a=x, b=y)
            raise ctx.fail(
                msg(
                    "cannot {what} {shape} from {source} with {shape2} from {source2}: at dim "
                    "{dim} they meet as {meet} (sizes must match, or one must be 1)",
                    what=what,
                    shape=format_shape(ctx.inputs[0].shape),
                    source=ctx.sources[0],
                    shape2=format_shape(ctx.inputs[1].shape),
                    source2=ctx.sources[1],
                    dim=i,
                    meet=meet,
                ),
                1,
            )
    return shape


def per_sample(ctx: ShapeContext, shape: list[int], what: str) -> tuple[int, ...]:
    """The batch-less result, if the batch is still first and only first."""
    if not shape or shape[0] != BATCH or BATCH in shape[1:]:
        raise ctx.fail(
            msg(
                "{what}, which leaves the batch out of place: the ranks of the inputs differ, so "
                "samples would be combined with each other; give both inputs the same number of "
                "dims",
                what=what,
            ),
            0,
        )
    return tuple(shape[1:])
