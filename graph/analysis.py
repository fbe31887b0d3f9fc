"""Shape inference and validation over the project's networkx graph, recomputed incrementally.

The Analyzer listens to its Project. An edit marks the nodes it touches dirty; `report()` then
re-infers only those, in topological order, and passes a change on to a node's successors only
when that node's output types actually changed (early cutoff), so one parameter edit in a
2,000-node network costs a handful of shape rules, not 2,000.
"""

from __future__ import annotations

import difflib
import heapq
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.events import (
    EdgeAdded,
    EdgeRemoved,
    NodeAdded,
    NodeRelabeled,
    NodeRemoved,
    ParamChanged,
    ProjectEvent,
)
from graph.model_types import Edge, Node
from graph.params import ParamBoundsError, ParamTypeError
from graph.report import NodeReport, Problem, Report
from graph.spec import LayerSpec, ShapeContext, ShapeError, get_spec, layer_types
from graph.tensor import FLOAT, INT, TensorType, format_shape

if TYPE_CHECKING:
    from graph.project import Project


def title(node: Node) -> str:
    """How messages name a node: `Linear 'fc1'`."""
    return f"{node.type} '{node.name}'"


def quoted(node: Node) -> str:
    return f"'{node.name}'"


class Analyzer:
    def __init__(self, project: Project) -> None:
        self._project = project
        self._results: dict[str, NodeReport] = {}
        self._dirty: set[str] = {n.id for n in project.nodes}
        self._topology_dirty = True
        self._report: Report | None = None
        # Derived from topology, recomputed only when wires or nodes change.
        self._graph: nx.DiGraph = nx.DiGraph()
        self._order: list[str] = []
        self._rank: dict[str, int] = {}
        self._structural: dict[str, list[Problem]] = {}  # cycles and dead ends, per node
        self._project_problems: list[Problem] = []
        project.subscribe(self._on_event)

    # --- bookkeeping ---------------------------------------------------------------------------

    def _on_event(self, event: ProjectEvent) -> None:
        match event:
            case NodeAdded(node=node):
                self._topology_dirty = True
                self._dirty.add(node.id)
            case NodeRemoved(node=node):
                self._topology_dirty = True
                self._results.pop(node.id, None)
                self._dirty.discard(node.id)
            case EdgeAdded(edge=edge) | EdgeRemoved(edge=edge):
                self._topology_dirty = True
                self._dirty.add(edge.target)
                if edge.source_port:
                    # Some rules depend on which extra outputs are used (an LSTM's h_n).
                    self._dirty.add(edge.source)
            case ParamChanged(node_id=node_id):
                self._dirty.add(node_id)
            case NodeRelabeled(node_id=node_id):
                # Names appear in the messages of everything downstream.
                self._dirty.add(node_id)
                if node_id in self._graph:
                    self._dirty.update(nx.descendants(self._graph, node_id))
            case _:
                return  # moves, renames, training: nothing to re-check
        self._report = None

    def report(self) -> Report:
        if self._report is not None:
            return self._report
        if self._topology_dirty:
            self._rebuild_topology()
        self._propagate()
        project = self._project
        nodes: dict[str, NodeReport] = {}
        problems: list[Problem] = []
        for node in project.nodes:
            result = self._results[node.id]
            structural = self._structural.get(node.id)
            if structural:
                result = NodeReport(
                    node.id,
                    result.inputs,
                    result.outputs,
                    result.resolved,
                    result.params,
                    structural + result.problems,
                )
            nodes[node.id] = result
            problems.extend(result.problems)
        problems.extend(self._project_problems)
        self._report = Report(nodes, list(self._order), problems)
        return self._report

    def _rebuild_topology(self) -> None:
        project = self._project
        graph = nx.DiGraph()
        graph.add_nodes_from(n.id for n in project.nodes)
        graph.add_edges_from((e.source, e.target) for e in project.edges)
        self._graph = graph
        file_rank = {n.id: i for i, n in enumerate(project.nodes)}
        structural: dict[str, list[Problem]] = {}

        in_cycle: set[str] = set()
        if not nx.is_directed_acyclic_graph(graph):
            for component in nx.strongly_connected_components(graph):
                members = sorted(component, key=file_rank.__getitem__)
                if len(members) == 1 and not graph.has_edge(members[0], members[0]):
                    continue
                in_cycle.update(members)
                loop = " → ".join(quoted(project.node(m)) for m in [*members, members[0]])
                for m in members:
                    structural[m] = [
                        Problem(
                            "error",
                            "cycle",
                            f"{title(project.node(m))} is part of a loop ({loop}); a network "
                            "must flow one way, so remove one of these wires",
                            m,
                        )
                    ]
        acyclic = graph.subgraph(n for n in graph if n not in in_cycle) if in_cycle else graph
        self._order = list(nx.lexicographical_topological_sort(acyclic, key=file_rank.__getitem__))
        # Nodes in loops go last so every node still gets a (shapeless) result.
        self._rank = {nid: i for i, nid in enumerate(self._order)}
        for nid in sorted(in_cycle, key=file_rank.__getitem__):
            self._rank[nid] = len(self._rank)

        outputs = [n.id for n in project.nodes if n.type == "Output"]
        self._project_problems = []
        if project.nodes and not outputs:
            self._project_problems.append(
                Problem("warning", "no_output", "The network has no Output node yet")
            )
        elif outputs:
            feeds_output: set[str] = set(outputs)
            for out in outputs:
                feeds_output |= nx.ancestors(graph, out)
            for node in project.nodes:
                if node.id not in feeds_output:
                    structural.setdefault(node.id, []).append(
                        Problem(
                            "warning",
                            "dead_end",
                            f"{title(node)} does not lead to any Output, so it has no effect",
                            node.id,
                        )
                    )
        if not any(n.type == "Input" for n in project.nodes) and project.nodes:
            self._project_problems.append(
                Problem("error", "no_input", "The network has no Input node; add one to feed it")
            )
        self._structural = structural
        self._topology_dirty = False
        # Wires changed: every node whose in-wires changed is already dirty; nodes in loops have
        # no meaningful inputs, so make sure they are recomputed too.
        self._dirty |= in_cycle

    def _propagate(self) -> None:
        if not self._dirty:
            return
        rank = self._rank
        project = self._project
        queue = [(rank[nid], nid) for nid in self._dirty if nid in rank]
        heapq.heapify(queue)
        queued = set(self._dirty)
        self._dirty.clear()
        in_cycle = {nid for nid, probs in self._structural.items() if probs[0].code == "cycle"}
        while queue:
            _, nid = heapq.heappop(queue)
            queued.discard(nid)
            old = self._results.get(nid)
            if nid in in_cycle:
                node = project.node(nid)
                spec = get_spec(node.type)
                n_out = len(spec.outputs) if spec else 1
                new = NodeReport(nid, [], [None] * n_out, dict(node.params), 0, [])
            else:
                new = self._evaluate(project.node(nid))
            self._results[nid] = new
            if old is None or _signature(old.outputs) != _signature(new.outputs):
                for edge in project.out_edges(nid):
                    if edge.target not in queued:
                        queued.add(edge.target)
                        heapq.heappush(queue, (rank[edge.target], edge.target))

    # --- one node ------------------------------------------------------------------------------

    def _evaluate(self, node: Node) -> NodeReport:
        spec = get_spec(node.type)
        if spec is None:
            return NodeReport(node.id, problems=[_unknown_type(node)])
        result = NodeReport(node.id, outputs=[None] * len(spec.outputs))
        params, given, param_problems = check_params(node, spec)
        result.resolved = params
        result.problems.extend(param_problems)
        inputs, wiring_problems = self._gather_inputs(node, spec)
        result.inputs = inputs
        result.problems.extend(wiring_problems)
        if param_problems or wiring_problems or any(t is None for t in inputs):
            return result  # upstream problems are reported upstream, not repeated here
        sources = [self._source_name(node, port) for port in range(len(inputs))]
        wired = frozenset(e.source_port for e in self._project.out_edges(node.id))
        infer_outputs(node, spec, params, given, inputs, sources, result, wired)
        return result

    def _gather_inputs(
        self, node: Node, spec: LayerSpec
    ) -> tuple[list[TensorType | None], list[Problem]]:
        project = self._project
        problems: list[Problem] = []
        by_port: dict[int, list[Edge]] = {}
        for edge in project.in_edges(node.id):
            by_port.setdefault(edge.target_port, []).append(edge)
        n_ports = spec.input_count(max(by_port, default=-1) + 1)
        inputs: list[TensorType | None] = []
        for port in range(n_ports):
            edges = by_port.get(port, [])
            port_name = _port_phrase(spec, port)
            if not edges:
                problems.append(
                    Problem(
                        "error",
                        "unconnected",
                        f"{title(node)} has nothing connected to {port_name}",
                        node.id,
                        port,
                    )
                )
                inputs.append(None)
                continue
            if len(edges) > 1:
                names = " and ".join(quoted(project.node(e.source)) for e in edges)
                problems.append(
                    Problem(
                        "error",
                        "duplicate_wire",
                        f"{title(node)} has {len(edges)} wires into {port_name} (from {names}); "
                        "an input takes one wire, so merge them first with Add or Concat",
                        node.id,
                        port,
                    )
                )
                inputs.append(None)
                continue
            inputs.append(self._incoming(node, edges[0], problems))
        for port in sorted(p for p in by_port if p >= n_ports):
            for edge in by_port[port]:
                problems.append(
                    Problem(
                        "error",
                        "bad_port",
                        f"{title(node)} has {_count(len(spec.inputs), 'input')}, but the wire from "
                        f"{quoted(project.node(edge.source))} goes into input {port}",
                        node.id,
                        port,
                    )
                )
        return inputs, problems

    def _incoming(self, node: Node, edge: Edge, problems: list[Problem]) -> TensorType | None:
        source = self._project.node(edge.source)
        source_result = self._results.get(edge.source)
        source_spec = get_spec(source.type)
        if source_spec is not None and edge.source_port >= len(source_spec.outputs):
            problems.append(
                Problem(
                    "error",
                    "bad_port",
                    f"{title(node)} is wired to output {edge.source_port} of {title(source)}, "
                    f"which has {_count(len(source_spec.outputs), 'output')}",
                    node.id,
                    edge.target_port,
                )
            )
            return None
        if source_result is None or edge.source_port >= len(source_result.outputs):
            return None
        return source_result.outputs[edge.source_port]

    def _source_name(self, node: Node, port: int) -> str:
        for edge in self._project.in_edges(node.id):
            if edge.target_port == port:
                source = self._project.node(edge.source)
                if edge.source_port:
                    spec = get_spec(source.type)
                    port_name = spec.outputs[edge.source_port] if spec else edge.source_port
                    return f"{quoted(source)} ({port_name})"
                return quoted(source)
        return "?"

    # --- asking before drawing -----------------------------------------------------------------

    def connection_problem(self, edge: Edge) -> Problem | None:
        project = self._project
        if not (project.has_node(edge.source) and project.has_node(edge.target)):
            return Problem("error", "bad_port", "that wire needs two existing nodes")
        source, target = project.node(edge.source), project.node(edge.target)
        source_spec, target_spec = get_spec(source.type), get_spec(target.type)
        if source_spec is None or target_spec is None:
            return None  # the unknown type is reported on its node; let the user draw anyway
        if edge.source_port >= len(source_spec.outputs):
            return Problem("error", "bad_port", f"{title(source)} has no output {edge.source_port}")
        if not target_spec.variadic and edge.target_port >= len(target_spec.inputs):
            return Problem("error", "bad_port", f"{title(target)} has no input {edge.target_port}")
        if edge.source == edge.target:
            return Problem(
                "error", "cycle", f"{title(source)} cannot feed itself; a network flows one way"
            )
        report = self.report()
        graph = self._graph
        if (
            edge.target in graph
            and edge.source in graph
            and nx.has_path(graph, edge.target, edge.source)
        ):
            return Problem(
                "error",
                "cycle",
                f"wiring {quoted(source)} into {quoted(target)} would make a loop, "
                f"because {quoted(target)} already feeds {quoted(source)}",
                target.id,
                edge.target_port,
            )
        for other in project.in_edges(target.id):
            if other.target_port == edge.target_port:
                return Problem(
                    "error",
                    "duplicate_wire",
                    f"{_port_phrase(target_spec, edge.target_port)} of {title(target)} already "
                    f"has a wire from {quoted(project.node(other.source))}",
                    target.id,
                    edge.target_port,
                )
        outputs = report.nodes[source.id].outputs
        incoming = outputs[edge.source_port] if edge.source_port < len(outputs) else None
        if incoming is None:
            return None
        # Try the target with the new wire; other inputs must be known for a full check.
        current = report.nodes[target.id].inputs
        n_ports = max(len(current), edge.target_port + 1)
        trial: list[TensorType | None] = [
            current[i] if i < len(current) else None for i in range(n_ports)
        ]
        trial[edge.target_port] = incoming
        params, given, param_problems = check_params(target, target_spec)
        if param_problems:
            return None
        if any(t is None for t in trial):
            if target_spec.dtype != "any" and (incoming.dtype == INT) != (
                target_spec.dtype == "int"
            ):
                return _dtype_problem(
                    target, target_spec, incoming, quoted(source), edge.target_port
                )
            return None  # other inputs still open: no full check yet
        sources = []
        for port in range(n_ports):
            sources.append(
                quoted(source) if port == edge.target_port else self._source_name(target, port)
            )
        result = NodeReport(target.id)
        wired = frozenset(e.source_port for e in project.out_edges(target.id))
        infer_outputs(target, target_spec, params, given, trial, sources, result, wired)
        errors = [p for p in result.problems if p.severity == "error"]
        return errors[0] if errors else None


# --- pieces shared by evaluation and the connection check --------------------------------------


def check_params(
    node: Node, spec: LayerSpec
) -> tuple[dict[str, Any], frozenset[str], list[Problem]]:
    """Resolve a node's params against its spec: defaults filled, types and bounds checked."""
    params = spec.defaults()
    problems: list[Problem] = []
    index = spec.param_index
    for name, value in node.params.items():
        param = index.get(name)
        if param is None:
            hint = difflib.get_close_matches(name, list(index), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            problems.append(
                Problem(
                    "error",
                    "bad_param",
                    f"{title(node)}: {node.type} has no parameter '{name}'{suggestion}",
                    node.id,
                    param=name,
                )
            )
            continue
        try:
            params[name] = param.check(value)
        except (ParamTypeError, ParamBoundsError) as exc:
            problems.append(
                Problem("error", "bad_param", f"{title(node)}: {exc}", node.id, param=name)
            )
    for param in spec.params:
        if param.required and param.name not in node.params:
            problems.append(
                Problem(
                    "error",
                    "bad_param",
                    f"{title(node)} needs {param.name} to be set ({param.doc})",
                    node.id,
                    param=param.name,
                )
            )
    return params, frozenset(node.params), problems


def infer_outputs(
    node: Node,
    spec: LayerSpec,
    params: dict[str, Any],
    given: frozenset[str],
    inputs: list[TensorType],
    sources: list[str],
    result: NodeReport,
    wired_outputs: frozenset[int] = frozenset(),
) -> None:
    """Run the spec's shape rule; fill `result` with outputs, resolved params, count, problems.

    `wired_outputs` are the output ports that feed something (rules may refuse one, e.g. h_n).
    """
    for port, tensor in enumerate(inputs):
        if spec.dtype == "float" and tensor.dtype != FLOAT:
            result.problems.append(_dtype_problem(node, spec, tensor, sources[port], port))
            return
        if spec.dtype == "int" and tensor.dtype != INT:
            result.problems.append(_dtype_problem(node, spec, tensor, sources[port], port))
            return
    ctx = ShapeContext(title(node), params, given, list(inputs), sources, wired_outputs)
    try:
        outputs = spec.infer(ctx)
        for port, out in enumerate(outputs):
            if any(d < 1 for d in out.shape):
                raise ctx.fail(
                    f"would produce an empty output {format_shape(out.shape)}"
                    + (f" at its {spec.outputs[port]} output" if len(outputs) > 1 else "")
                    + "; the input is too small for these settings"
                )
    except ShapeError as exc:
        result.problems.append(Problem("error", "shape", exc.message, node.id, exc.port, exc.param))
        return
    result.outputs = list(outputs)
    result.resolved = params
    result.params = spec.count_params(params, inputs)
    for message in ctx.warnings:
        result.problems.append(Problem("warning", "advice", message, node.id))


def _dtype_problem(
    node: Node, spec: LayerSpec, tensor: TensorType, source: str, port: int
) -> Problem:
    if spec.dtype == "int":
        message = (
            f"{title(node)} looks up whole-number ids (int64) but receives floating-point "
            f"values from {source}; feed it from an Input with dtype int64"
        )
    else:
        message = (
            f"{title(node)} works on floating-point numbers but receives whole-number ids "
            f"(int64) from {source}; turn ids into vectors with an Embedding first"
        )
    return Problem("error", "dtype", message, node.id, port)


def _unknown_type(node: Node) -> Problem:
    known = layer_types()
    lowered = {t.lower(): t for t in known}
    hint = lowered.get(node.type.lower()) if isinstance(node.type, str) else None
    if hint is None and isinstance(node.type, str):
        close = difflib.get_close_matches(node.type, known, n=1)
        hint = close[0] if close else None
    suggestion = f" (did you mean '{hint}'?)" if hint else ""
    return Problem(
        "error",
        "unknown_type",
        f"'{node.name}' has type '{node.type}', which Netwright does not know{suggestion}",
        node.id,
    )


def _port_phrase(spec: LayerSpec, port: int) -> str:
    if len(spec.inputs) == 1 and not spec.variadic:
        return "its input"
    name = spec.inputs[port] if port < len(spec.inputs) else f"input {port}"
    return f"its {name} input" if not name.startswith("input") else f"its {name}"


def _count(n: int, word: str) -> str:
    return f"{'no' if n == 0 else 'one' if n == 1 else n} {word}{'' if n == 1 else 's'}"


def _signature(outputs: list[TensorType | None]) -> tuple:
    return tuple(None if t is None else (t.shape, t.dtype, t.detail) for t in outputs)
