"""What a node without a torch module computes, as a small expression tree that codegen writes
out: the spec owns its meaning, codegen only its spelling. Plain data, no torch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Arg:
    """The node's input at `port`."""

    port: int


@dataclass(frozen=True)
class Attribute:
    """The tensor the node owns: `self.<attribute>` in the generated module (a Parameter)."""


@dataclass(frozen=True)
class BatchSize:
    """The number of samples in the batch: the first input of the network's `.size(0)`."""


@dataclass(frozen=True)
class OpCall:
    """A call: `function` is a dotted name (`torch.mean`) or, starting with a dot, a method of
    the first argument (`.transpose`). Args and keyword values are expressions or plain values
    (numbers, booleans, None, strings; tuples and lists of them)."""

    function: str
    args: tuple[Any, ...] = ()
    keywords: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class BinaryOp:
    """`a - b`, `a * b * c`: one operator between every pair of operands."""

    operator: str
    operands: tuple[Any, ...]


@dataclass(frozen=True)
class Subscript:
    """`x[:, 1:5:2]`: one slice at position `dim` (batch counted as 0) of an operand."""

    operand: Any
    dim: int
    start: int | None
    stop: int | None
    step: int

    def index_text(self) -> str:
        def part(v: int | None) -> str:
            return "" if v is None else str(v)

        piece = f"{part(self.start)}:{part(self.stop)}" + (
            f":{self.step}" if self.step != 1 else ""
        )
        if self.dim < 0:  # counted from the end: x[..., 1:5, :]
            return ", ".join(["...", piece] + [":"] * (-self.dim - 1))
        return ", ".join([":"] * self.dim + [piece])


Expression = Arg | Attribute | BatchSize | OpCall | BinaryOp | Subscript
