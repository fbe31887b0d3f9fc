"""The validation report: shapes, parameter counts and located problems for every node."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from graph.problem_codes import ProblemCode
from graph.tensor import Shape, TensorType
from i18n import localize

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the drawing, located at a node (and port) where there is one."""

    severity: Severity
    code: ProblemCode
    message: str
    node: str | None = None
    port: int | None = None
    param: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As `check --json` prints it: the message in the chosen language, the code in none."""
        return {
            "node": self.node,
            "port": self.port,
            "message": localize(self.message),
            "code": str(self.code),
        }


@dataclass(slots=True)
class NodeReport:
    """What the checker worked out for one node."""

    node_id: str
    inputs: list[TensorType | None] = field(default_factory=list)
    outputs: list[TensorType | None] = field(default_factory=list)
    resolved: dict[str, Any] = field(default_factory=dict)  # every param, inferred ones filled
    params: int = 0  # trainable values
    problems: list[Problem] = field(default_factory=list)

    @property
    def input_shapes(self) -> list[Shape | None]:
        return [t.shape if t else None for t in self.inputs]

    @property
    def output_shapes(self) -> list[Shape | None]:
        return [t.shape if t else None for t in self.outputs]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass(slots=True)
class Report:
    nodes: dict[str, NodeReport]
    order: list[str]  # topological order, ties broken by file order; nodes in cycles left out
    problems: list[Problem]  # every problem, node problems in node order, then project-wide

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.nodes.values())

    def to_json(self) -> dict[str, Any]:
        """The shape `main.py check --json` prints (shapes without the batch dimension)."""
        return {
            "valid": self.valid,
            "total_params": self.total_params,
            "nodes": {
                nid: {
                    "input_shapes": [_shape_json(s) for s in r.input_shapes],
                    "output_shapes": [_shape_json(s) for s in r.output_shapes],
                    "params": r.params,
                }
                for nid, r in self.nodes.items()
            },
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }


def _shape_json(shape: Shape | None) -> list[int] | None:
    return None if shape is None else list(shape)
