""" "Why this shape?": the arithmetic behind a node's output shape and parameter count.

Each layer spec has an `arithmetic` function that writes the formulas with the node's numbers,
e.g. `H_out = ⌊(28 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 24`. A formula keeps its value and which
output dimension it explains, so a test can evaluate every expression and compare it with the
shape rule's result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graph.tensor import TensorType, format_shape
from i18n import localize, msg

SPATIAL = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


@dataclass(frozen=True)
class Formula:
    """`label = expression = value`. `dim` is the output dimension it explains (batch left out)
    of output `port`; a parameter count has port None; a note has no value."""

    label: str
    expression: str
    value: int | None = None
    port: int | None = 0
    dim: int | None = None

    @property
    def text(self) -> str:
        label = localize(self.label)
        if self.value is None:
            note = localize(self.expression)
            return f"{label}: {note}" if label else note
        if self.expression == str(self.value):
            return f"{label} = {self.value}"
        return f"{label} = {self.expression} = {self.value}"

    @property
    def is_parameters(self) -> bool:
        return self.port is None and self.value is not None


@dataclass(frozen=True)
class Arith:
    """What a formula is written from: resolved params and the node's input and output types."""

    params: dict[str, Any]
    inputs: Sequence[TensorType]
    outputs: Sequence[TensorType]
    count: int  # trainable values, as the spec counts them

    @property
    def inp(self) -> tuple[int, ...]:
        return self.inputs[0].shape if self.inputs else ()

    @property
    def out(self) -> tuple[int, ...]:
        return self.outputs[0].shape if self.outputs else ()


Explainer = Callable[[Arith], list[Formula]]


def evaluate(expression: str) -> float:
    """The value of a formula's expression (⌊ ⌋ ⌈ ⌉ · × − / + and parentheses)."""
    python = (
        expression.replace("⌊", "floor(")
        .replace("⌋", ")")
        .replace("⌈", "ceil(")
        .replace("⌉", ")")
        .replace("·", "*")
        .replace("×", "*")
        .replace("−", "-")
    )
    allowed = set("0123456789+-*/() .floorceil")
    if not set(python) <= allowed:
        raise ValueError(f"not an arithmetic expression: {expression}")
    return eval(python, {"__builtins__": {}}, {"floor": math.floor, "ceil": math.ceil})


# --- building blocks the layer specs use -------------------------------------------------------


def product(values: Sequence[int]) -> str:
    """`16 × 5 × 5`."""
    return " × ".join(str(v) for v in values) if values else "1"


def unchanged(a: Arith) -> list[Formula]:
    """Element-wise layers: every value is transformed in place."""
    return [Formula("", msg("element-wise: the shape stays {shape}", shape=format_shape(a.out)))]


def reshaped(a: Arith) -> list[Formula]:
    """Layers whose shape follows from their params without a closer formula (padding, pooling
    variants, reductions): the input's shape and the output's."""
    if not a.inputs:
        return [Formula("", msg("gives {result}", result=format_shape(a.out)))]
    return [
        Formula(
            "",
            msg("{shape} becomes {result}", shape=format_shape(a.inp), result=format_shape(a.out)),
        )
    ]


def with_parameters(explain: Explainer, parameters: Callable[[Arith], str]) -> Explainer:
    """`explain`, followed by `parameters = <expression> = count` (when there are any)."""

    def both(a: Arith) -> list[Formula]:
        found = explain(a)
        if a.count:
            found.append(Formula(msg("parameters"), parameters(a), a.count, None))
        return found

    return both


def counted(a: Arith) -> str:
    """A parameter count without a closer formula: just the number."""
    return str(a.count)


def per_channel(name: str = "num_features") -> Callable[[Arith], str]:
    """Normalisations: a scale and a shift per channel (`2 × 6`)."""

    def expression(a: Arith) -> str:
        channels = a.params.get(name) or a.inp[0]
        if a.count == channels:
            return str(channels)
        return f"2 × {channels}" if a.count == 2 * channels else str(a.count)

    return expression


def last_dim(label: str, param: str) -> Explainer:
    """The last dim becomes a param's value (Linear's out_features)."""

    def explain(a: Arith) -> list[Formula]:
        value = a.out[-1]
        return [Formula(label, param, value, 0, len(a.out) - 1)]

    return explain


def sliding(
    a: Arith,
    kernel: Sequence[int],
    stride: Sequence[int],
    pads: Sequence[tuple[int, int]],
    dilation: Sequence[int],
    ceil: bool = False,
) -> list[Formula]:
    """Convolution and pooling: `⌊(size + 2·p − d·(k − 1) − 1) / s⌋ + 1` per spatial dim."""
    n = len(kernel)
    first = len(a.out) - n
    found = []
    for i, (size, k, s, (lo, hi), d) in enumerate(
        zip(a.inp[len(a.inp) - n :], kernel, stride, pads, dilation, strict=True)
    ):
        pad = f"2·{lo}" if lo == hi else f"{lo} + {hi}"
        inner = f"({size} + {pad} − {d}·({k} − 1) − 1{f' + ({s} − 1)' if ceil else ''}) / {s}"
        expression = f"⌊{inner}⌋ + 1"
        value = a.out[first + i]
        if ceil and evaluate(expression) != value:  # the last window must start inside
            expression += " − 1"
        found.append(Formula(f"{SPATIAL[n][i]}_out", expression, value, 0, first + i))
    return found


def explain(spec: Any, report: Any) -> list[Formula]:
    """The formulas of a checked node (`report`: its NodeReport); none while it has no shape.

    A repeated layer shows its first copy (each copy has its own report in `runs`)."""
    if spec is None or spec.arithmetic is None:
        return []
    if report.runs and not hasattr(report.runs[0], "report"):
        report = report.runs[0]
    outputs = [t for t in report.outputs if t is not None]
    inputs = [t for t in report.inputs if t is not None]
    if len(outputs) != len(report.outputs) or len(inputs) != len(report.inputs):
        return []
    if not outputs and not spec.is_sink:
        return []
    a = Arith(dict(report.resolved), inputs, outputs, report.params)
    return spec.arithmetic(a)
