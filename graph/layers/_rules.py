"""Arithmetic shared by shape rules: conv and pool output sizes, dims counted with the batch."""

from __future__ import annotations

from graph.spec import ShapeContext
from graph.tensor import format_shape
from i18n import msg


def conv_out(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def conv_transpose_out(
    size: int, kernel: int, stride: int, padding: int, dilation: int, output_padding: int
) -> int:
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def pool_out(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil: bool) -> int:
    """torch's pooling_output_shape, including its ceil-mode correction."""
    numerator = size + 2 * padding - dilation * (kernel - 1) - 1 + (stride - 1 if ceil else 0)
    out = numerator // stride + 1
    if ceil and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def times(values: tuple[int, ...]) -> str:
    return "×".join(str(v) for v in values)


def full_dim(ctx: ShapeContext, dim: int, rank: int, param: str = "dim", port: int = 0) -> int:
    """Normalise a torch dim (batch counted as 0) for a tensor of `rank` dims without the batch.

    Returns the index into the batch-less shape. Refuses the batch itself: an operation along the
    batch would mix samples and change the batch size.
    """
    full = rank + 1
    if not -full <= dim < full:
        raise ctx.fail(
            msg(
                "has {param}={dim}, but its input {shape} has only {full} dims counting the "
                "batch (valid: {low} to {high})",
                param=param,
                dim=dim,
                shape=format_shape(ctx.inputs[port].shape),
                full=full,
                low=-full,
                high=full - 1,
            ),
            port,
            param,
        )
    d = dim % full
    if d == 0:
        raise ctx.fail(
            msg(
                "has {param}={dim}, which is the batch dimension; dims count the batch as 0, "
                "so the first feature dimension is 1",
                param=param,
                dim=dim,
            ),
            port,
            param,
        )
    return d - 1
