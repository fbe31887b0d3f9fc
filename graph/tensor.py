"""Tensor types as the checker sees them: a shape without the batch dimension, and a dtype."""

from __future__ import annotations

from dataclasses import dataclass, field

Shape = tuple[int, ...]

FLOAT = "float32"
INT = "int64"
DTYPES = (FLOAT, INT)


@dataclass(frozen=True, slots=True)
class TensorType:
    """The type of a tensor flowing along a wire, batch dimension left out.

    `detail` explains where the last dimension came from ("16×5×5 from 'pool2'") so a mismatch
    further down can say why a number is what it is; it takes no part in equality.
    """

    shape: Shape
    dtype: str = FLOAT
    detail: str = field(default="", compare=False)

    @property
    def rank(self) -> int:
        return len(self.shape)

    def numel(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    def with_shape(self, shape: Shape, detail: str = "") -> TensorType:
        return TensorType(tuple(shape), self.dtype, detail)


def format_shape(shape: Shape | None) -> str:
    """`[6, 28, 28]`, or `?` for a shape that could not be worked out."""
    if shape is None:
        return "?"
    return "[" + ", ".join(str(d) for d in shape) + "]"
