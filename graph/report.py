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
    # Inside a block: where, from the node above down (`layer2.0.conv1`); `node` is the instance.
    path: str | None = None
    line: int | None = None  # a Code node's problem: the line of its source at fault

    def to_json(self) -> dict[str, Any]:
        """As `check --json` prints it: the message in the chosen language, the code in none."""
        data = {
            "node": self.node,
            "port": self.port,
            "message": localize(self.message),
            "code": str(self.code),
        }
        if self.path is not None:
            data["path"] = self.path
        if self.line is not None:
            data["line"] = self.line
        return data


@dataclass(slots=True)
class NodeReport:
    """What the checker worked out for one node."""

    node_id: str
    inputs: list[TensorType | None] = field(default_factory=list)
    outputs: list[TensorType | None] = field(default_factory=list)
    resolved: dict[str, Any] = field(default_factory=dict)  # every param, inferred ones filled
    params: int = 0  # trainable values
    problems: list[Problem] = field(default_factory=list)
    # A block instance: one run of the block's drawing per copy (graph/instances.BodyRun);
    # a repeated layer: one NodeReport per copy. Empty for a plain node.
    runs: list[Any] = field(default_factory=list)

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
        """The shape `main.py check --json` prints (shapes without the batch dimension).

        With blocks, `inner` has every node inside an instance by path (`layer2.0.conv1`), and
        an instance's entry names its block and its block params."""
        data: dict[str, Any] = {
            "valid": self.valid,
            "total_params": self.total_params,
            "nodes": {nid: _node_json(r) for nid, r in self.nodes.items()},
        }
        inner: dict[str, Any] = {}
        for nid, r in self.nodes.items():
            _inner_json(nid, r, inner)
        if inner:
            data["inner"] = inner
        data["errors"] = [p.to_json() for p in self.errors]
        data["warnings"] = [p.to_json() for p in self.warnings]
        return data


def _node_json(r: NodeReport) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "input_shapes": [_shape_json(s) for s in r.input_shapes],
        "output_shapes": [_shape_json(s) for s in r.output_shapes],
        "params": r.params,
    }
    if r.runs and hasattr(r.runs[0], "block"):  # an instance: graph/instances.BodyRun
        entry["block"] = r.runs[0].block
        entry["block_params"] = dict(r.runs[0].values)
    if len(r.runs) > 1:
        entry["repeat"] = len(r.runs)
    return entry


def _inner_json(prefix: str, r: NodeReport, out: dict[str, Any]) -> None:
    """Every copy and every node inside `r`, by path."""
    many = len(r.runs) > 1
    for k, run in enumerate(r.runs):
        path = f"{prefix}.{k}" if many else prefix
        if not hasattr(run, "report"):  # a copy of a repeated layer
            out[path] = _node_json(run)
            continue
        if many:
            out[path] = {
                "input_shapes": [_shape_json(t.shape if t else None) for t in run.inputs],
                "output_shapes": [_shape_json(t.shape if t else None) for t in run.outputs],
                "params": run.params,
                "block": run.block,
                "block_params": dict(run.values),
            }
        for iid, inner in run.report.nodes.items():
            out[f"{path}.{iid}"] = _node_json(inner)
            _inner_json(f"{path}.{iid}", inner, out)


def _shape_json(shape: Shape | None) -> list[int] | None:
    return None if shape is None else list(shape)
