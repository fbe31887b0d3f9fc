"""What reaches a node's input ports: the tensor on each, who sends it, and wiring faults.

Reads the Project's live adjacency lists and the shape results worked out so far; used by the
Analyzer for every node it evaluates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.messages import count_phrase, port_phrase, quoted, title
from graph.model_types import Edge, Node
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem
from graph.spec import LayerSpec
from graph.tensor import TensorType
from i18n import msg

if TYPE_CHECKING:
    from graph.project import Project

Gathered = tuple[list[TensorType | None], Sequence[str], list[Problem]]


def gather_inputs(
    project: Project, results: Mapping[str, NodeReport], node: Node, spec: LayerSpec
) -> Gathered:
    """The tensor at each input port, who sends it (for messages), and wiring faults."""
    wires = project.wires_in(node.id)
    problems: list[Problem] = []
    if len(wires) == 1 and wires[0].target_port == 0 and spec.input_count(1) == 1:
        # The common case, one wire into a one-input layer, without the general bookkeeping.
        edge = wires[0]
        tensor = incoming(project, results, node, edge, problems)
        return [tensor], SourceNames(project, [edge]), problems
    by_port: dict[int, list[Edge]] = {}
    for edge in wires:
        by_port.setdefault(edge.target_port, []).append(edge)
    n_ports = spec.input_count(max(by_port, default=-1) + 1)
    inputs: list[TensorType | None] = []
    senders: list[Edge | None] = []
    for port in range(n_ports):
        edges = by_port.get(port)
        if not edges:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.UNCONNECTED,
                    msg(
                        "{node} has nothing connected to {port_phrase}",
                        node=title(node),
                        port_phrase=port_phrase(spec, port),
                    ),
                    node.id,
                    port,
                )
            )
            inputs.append(None)
            senders.append(None)
            continue
        if len(edges) > 1:
            names = " and ".join(quoted(project.node(e.source)) for e in edges)
            problems.append(
                Problem(
                    "error",
                    ProblemCode.DUPLICATE_WIRE,
                    msg(
                        "{node} has {count} wires into {port_phrase} (from {names}); an input "
                        "takes one wire, so merge them first with Add or Concat",
                        node=title(node),
                        count=len(edges),
                        port_phrase=port_phrase(spec, port),
                        names=names,
                    ),
                    node.id,
                    port,
                )
            )
            inputs.append(None)
            senders.append(None)
            continue
        inputs.append(incoming(project, results, node, edges[0], problems))
        senders.append(edges[0])
    for port in sorted(p for p in by_port if p >= n_ports):
        for edge in by_port[port]:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_PORT,
                    msg(
                        "{node} has {count_phrase}, but the wire from {node2} goes into input "
                        "{port}",
                        node=title(node),
                        count_phrase=count_phrase(len(spec.inputs), "input"),
                        node2=quoted(project.node(edge.source)),
                        port=port,
                    ),
                    node.id,
                    port,
                )
            )
    return inputs, SourceNames(project, senders), problems


def incoming(
    project: Project,
    results: Mapping[str, NodeReport],
    node: Node,
    edge: Edge,
    problems: list[Problem],
) -> TensorType | None:
    """The tensor `edge` brings into `node`; None (and maybe a problem) when there is none."""
    source_result = results.get(edge.source)
    if source_result is not None and edge.source_port < len(source_result.outputs):
        return source_result.outputs[edge.source_port]  # a port the source has: the usual case
    source = project.node(edge.source)
    source_spec = project.spec(source.type)
    if source_spec is not None and edge.source_port >= len(source_spec.outputs):
        problems.append(
            Problem(
                "error",
                ProblemCode.BAD_PORT,
                msg(
                    "{node} is wired to output {source_port} of {source}, which has {count_phrase}",
                    node=title(node),
                    source_port=edge.source_port,
                    source=title(source),
                    count_phrase=count_phrase(len(source_spec.outputs), "output"),
                ),
                node.id,
                edge.target_port,
            )
        )
        return None
    if source_result is None or edge.source_port >= len(source_result.outputs):
        return None
    return source_result.outputs[edge.source_port]


def source_name(project: Project, edge: Edge) -> str:
    """`'lstm'` or, for a port other than the first, `'lstm' (h_n)`."""
    source = project.node(edge.source)
    if edge.source_port:
        spec = project.spec(source.type)
        if spec is not None and edge.source_port < len(spec.outputs):
            return f"{quoted(source)} ({spec.outputs[edge.source_port]})"
        return msg("{node} (output {port})", node=quoted(source), port=edge.source_port)
    return quoted(source)


class SourceNames(Sequence[str]):
    """Who feeds each input port, as messages name them (`'pool2'`), worked out only on demand.

    Shape rules read `ctx.sources[i]` only to write a message; naming every sender up front
    cost a tenth of a full check.
    """

    __slots__ = ("_edges", "_project")

    def __init__(self, project: Project, edges: list[Edge | None]) -> None:
        self._project = project
        self._edges = edges

    def __len__(self) -> int:
        return len(self._edges)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._edges))[index]]
        edge = self._edges[index]
        return "?" if edge is None else source_name(self._project, edge)


def inplace_advice(project: Project, node: Node, edge: Edge) -> str | None:
    """inplace=True overwrites the incoming tensor: harmful when someone else reads it too."""
    source = project.node(edge.source)
    if source.type == "Input":
        return msg(
            "{node} has inplace=True, so it overwrites the network's input tensor {source} "
            "that the caller passed in; set inplace=False",
            node=title(node),
            source=quoted(source),
        )
    readers = [
        e.target
        for e in project.wires_out(edge.source)
        if e.source_port == edge.source_port and e.target != node.id
    ]
    if not readers:
        return None
    other = project.node(readers[0])
    return msg(
        "{node} has inplace=True, but {source}'s output also feeds {other}, which would then "
        "receive the overwritten values (and backward can fail); set inplace=False",
        node=title(node),
        source=quoted(source),
        other=quoted(other),
    )
