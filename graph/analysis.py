"""Shape inference and validation of a Project, recomputed incrementally.

The Analyzer listens to its Project. An edit marks the nodes it touches dirty; `report()` then
re-infers only those, in topological order, and passes a change on to a node's successors only
when that node's output types actually changed (early cutoff), so one parameter edit in a
2,000-node network costs a handful of shape rules, not 2,000. Wire and node edits also recompute
the topology (order, loops, dead ends: graph/topology.py), which is linear in the drawing's size.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graph import instances as hierarchy
from graph import topology
from graph.events import (
    BlockAdded,
    BlockEdited,
    BlockRemoved,
    EdgeAdded,
    EdgeRemoved,
    NodeAdded,
    NodeOptionChanged,
    NodeRelabeled,
    NodeRemoved,
    ParamChanged,
    ProjectEvent,
)
from graph.model_types import Edge, Node
from graph.params import ParamBoundsError, ParamSpec, ParamTypeError
from graph.report import NodeReport, Problem, Report, quoted, title
from graph.spec import LayerSpec, ShapeContext, ShapeError, get_spec, layer_types
from graph.tensor import FLOAT, INT, TensorType, format_shape

if TYPE_CHECKING:
    from graph.instances import Scope
    from graph.project import Project

__all__ = ["Analyzer", "check_params", "infer_outputs", "quoted", "title"]


class Analyzer:
    """Keeps a Project's validation report up to date, recomputing only what edits touched."""

    def __init__(self, project: Project, scope: Scope | None = None, listen: bool = True) -> None:
        """`scope`: the params and input tensors of one block instance, when `project` is a
        block's drawing checked for that instance (graph/instances.py); such a one-off check
        does not `listen` to edits."""
        self._project = project
        self.project = project
        self.scope = scope
        # The project's live adjacency lists (read only here): node id -> wires in / out.
        self._ins, self._outs = project._in, project._out
        self._results: dict[str, NodeReport] = {}  # what each node's shape rule gave
        self._merged: dict[str, tuple[NodeReport, list[Problem], NodeReport]] = {}
        self._dirty: set[str] = {n.id for n in project.nodes}
        self._topology_dirty = True
        self._topology = topology.Topology()
        self._report: Report | None = None
        self.evaluations = 0  # shape-rule runs so far: lets tests see incremental work
        if listen:
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
                self._merged.pop(node.id, None)
                self._dirty.discard(node.id)
            case EdgeAdded(edge=edge) | EdgeRemoved(edge=edge):
                self._topology_dirty = True
                self._dirty.add(edge.target)
                if edge.source_port:
                    # Some rules depend on which extra outputs are used (an LSTM's h_n).
                    self._dirty.add(edge.source)
                # An in-place layer's advice depends on who else reads the same tensor.
                for sibling in self._outs.get(edge.source, ()):
                    self._dirty.add(sibling.target)
            case ParamChanged(node_id=node_id) | NodeOptionChanged(node_id=node_id):
                self._dirty.add(node_id)
            case BlockEdited(affected=affected):
                # Only the instances of the edited block, and of blocks containing it.
                self._dirty.update(n.id for n in self._project.nodes if n.type in affected)
            case BlockAdded(block=block) | BlockRemoved(block=block):
                affected = {block.name, *self._project.blocks.affected_by(block.name)}
                self._dirty.update(n.id for n in self._project.nodes if n.type in affected)
            case NodeRelabeled(node_id=node_id):
                # Names appear in the messages of everything downstream, and in the loop and
                # dead-end messages that the topology writes.
                self._topology_dirty = True
                self._dirty.add(node_id)
                self._dirty |= topology.downstream(self._outs, node_id)
            case _:
                return  # moves, renames, training: nothing to re-check
        self._report = None

    def report(self) -> Report:
        if self._report is not None:
            return self._report
        if self._topology_dirty:
            self._rebuild_topology()
        self._propagate()
        structural = self._topology.structural
        results, merged = self._results, self._merged
        nodes: dict[str, NodeReport] = {}
        problems: list[Problem] = []
        for node in self._project.nodes:
            nid = node.id
            result = results[nid]
            extra = structural.get(nid)
            if extra:
                # Keep the merged report while neither part changed, so an untouched node's
                # NodeReport stays the very same object from one report to the next.
                cached = merged.get(nid)
                if cached is not None and cached[0] is result and cached[1] is extra:
                    result = cached[2]
                else:
                    combined = NodeReport(
                        nid,
                        result.inputs,
                        result.outputs,
                        result.resolved,
                        result.params,
                        extra + result.problems,
                    )
                    merged[nid] = (result, extra, combined)
                    result = combined
            if node.shares is not None:
                result = hierarchy.shared(self, node, result, results)
            nodes[nid] = result
            if result.problems:
                problems.extend(result.problems)
        problems.extend(self._topology.project_problems)
        self._report = Report(nodes, list(self._topology.order), problems)
        return self._report

    def _rebuild_topology(self) -> None:
        old_cycle = self._topology.in_cycle
        self._topology = topology.analyse(self._project.nodes, self._ins, self._outs)
        self._topology_dirty = False
        # Nodes entering or leaving a loop change how they are evaluated.
        self._dirty |= old_cycle ^ self._topology.in_cycle

    def _propagate(self) -> None:
        dirty = self._dirty
        if not dirty:
            return
        project = self._project
        rank = self._topology.rank
        in_cycle = self._topology.in_cycle
        results = self._results
        outs = self._outs
        if len(dirty) >= len(rank) and not in_cycle:
            # Everything is dirty (first check, or a reload): evaluate once in order, no queue.
            # Not with a loop: nodes downstream of it are ranked before its members, so only
            # the queue (which re-runs a node when an input changes) gets them right.
            dirty.clear()
            for nid in sorted(rank, key=rank.__getitem__):
                results[nid] = self._evaluate_or_blank(project.node(nid), nid in in_cycle)
            return
        queue = [(rank[nid], nid) for nid in dirty if nid in rank]
        heapq.heapify(queue)
        queued = set(dirty)
        dirty.clear()
        while queue:
            _, nid = heapq.heappop(queue)
            queued.discard(nid)
            old = results.get(nid)
            new = results[nid] = self._evaluate_or_blank(project.node(nid), nid in in_cycle)
            if old is None or _signature(old.outputs) != _signature(new.outputs):
                for edge in outs[nid]:
                    target = edge.target
                    if target not in queued:
                        queued.add(target)
                        heapq.heappush(queue, (rank[target], target))

    # --- one node ------------------------------------------------------------------------------

    def _evaluate_or_blank(self, node: Node, in_cycle: bool) -> NodeReport:
        if in_cycle:  # a node in a loop has no meaningful inputs: only its loop error
            spec = self.spec(node.type)
            n_out = len(spec.outputs) if spec else 1
            return NodeReport(node.id, [], [None] * n_out, dict(node.params), 0, [])
        return self._evaluate(node)

    def spec(self, layer_type: str) -> LayerSpec | None:
        """The spec of a layer type, or of a block of the project (its ports and params)."""
        spec = spec_of(layer_type)
        if spec is None and layer_type in self._project.blocks:
            return hierarchy.block_spec(self._project.blocks, layer_type)
        return spec

    def _evaluate(self, node: Node) -> NodeReport:
        self.evaluations += 1
        if (
            node.repeat is not None
            or self.scope is not None
            or node.type in self._project.blocks
            or hierarchy.has_expression(node)
        ):
            return hierarchy.evaluate_node(self, node)
        return self.evaluate_layer(node)

    def evaluate_layer(self, node: Node) -> NodeReport:
        """One layer (its params already plain values): params, wiring, then its shape rule."""
        spec = spec_of(node.type)
        if spec is None:
            return NodeReport(node.id, problems=[_unknown_type(node)])
        result = NodeReport(node.id, outputs=[None] * len(spec.outputs))
        params, given, param_problems = check_params(node, spec)
        result.resolved = params
        inputs, sources, wiring_problems = self.gather_inputs(node, spec)
        result.inputs = inputs
        if param_problems or wiring_problems:
            result.problems = param_problems + wiring_problems
            return result
        if any(t is None for t in inputs):
            return result  # upstream problems are reported upstream, not repeated here
        outs = self._outs[node.id]
        used = frozenset(e.source_port for e in outs) if outs else _NO_PORTS
        infer_outputs(node, spec, params, given, inputs, sources, result, used)
        if params.get("inplace") is True and len(self._ins[node.id]) == 1:
            advice = self._inplace_advice(node, self._ins[node.id][0])
            if advice:
                result.problems.append(Problem("warning", "advice", advice, node.id, 0, "inplace"))
        return result

    def _inplace_advice(self, node: Node, edge: Edge) -> str | None:
        """inplace=True overwrites the incoming tensor: harmful when someone else reads it too."""
        project = self._project
        source = project.node(edge.source)
        if source.type == "Input":
            return (
                f"{title(node)} has inplace=True, so it overwrites the network's input tensor "
                f"{quoted(source)} that the caller passed in; set inplace=False"
            )
        readers = [
            e.target
            for e in self._outs[edge.source]
            if e.source_port == edge.source_port and e.target != node.id
        ]
        if not readers:
            return None
        other = project.node(readers[0])
        return (
            f"{title(node)} has inplace=True, but {quoted(source)}'s output also feeds "
            f"{quoted(other)}, which would then receive the overwritten values (and backward "
            "can fail); set inplace=False"
        )

    def gather_inputs(
        self, node: Node, spec: LayerSpec
    ) -> tuple[list[TensorType | None], Sequence[str], list[Problem]]:
        """The tensor at each input port, who sends it (for messages), and wiring faults."""
        wires = self._ins[node.id]
        problems: list[Problem] = []
        if len(wires) == 1 and wires[0].target_port == 0 and spec.input_count(1) == 1:
            # The common case, one wire into a one-input layer, without the general bookkeeping.
            edge = wires[0]
            return [self._incoming(node, edge, problems)], _SourceNames(self, [edge]), problems
        project = self._project
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
                        "unconnected",
                        f"{title(node)} has nothing connected to {_port_phrase(spec, port)}",
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
                        "duplicate_wire",
                        f"{title(node)} has {len(edges)} wires into {_port_phrase(spec, port)} "
                        f"(from {names}); an input takes one wire, so merge them first with Add "
                        "or Concat",
                        node.id,
                        port,
                    )
                )
                inputs.append(None)
                senders.append(None)
                continue
            inputs.append(self._incoming(node, edges[0], problems))
            senders.append(edges[0])
        for port in sorted(p for p in by_port if p >= n_ports):
            for edge in by_port[port]:
                problems.append(
                    Problem(
                        "error",
                        "bad_port",
                        f"{title(node)} has {_count(len(spec.inputs), 'input')}, but the "
                        f"wire from {quoted(project.node(edge.source))} goes into input {port}",
                        node.id,
                        port,
                    )
                )
        return inputs, _SourceNames(self, senders), problems

    def _incoming(self, node: Node, edge: Edge, problems: list[Problem]) -> TensorType | None:
        source_result = self._results.get(edge.source)
        if source_result is not None and edge.source_port < len(source_result.outputs):
            return source_result.outputs[edge.source_port]  # a port the source has: the usual case
        source = self._project.node(edge.source)
        source_spec = self.spec(source.type)
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

    def source_name(self, edge: Edge) -> str:
        """`'lstm'` or, for a port other than the first, `'lstm' (h_n)`."""
        source = self._project.node(edge.source)
        if edge.source_port:
            spec = self.spec(source.type)
            if spec is not None and edge.source_port < len(spec.outputs):
                return f"{quoted(source)} ({spec.outputs[edge.source_port]})"
            return f"{quoted(source)} (output {edge.source_port})"
        return quoted(source)

    # --- asking before drawing -----------------------------------------------------------------

    def connection_problem(self, edge: Edge) -> Problem | None:
        project = self._project
        if not (project.has_node(edge.source) and project.has_node(edge.target)):
            return Problem("error", "bad_port", "that wire needs two existing nodes")
        source, target = project.node(edge.source), project.node(edge.target)
        source_spec, target_spec = self.spec(source.type), self.spec(target.type)
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
        if topology.reaches(self._outs, edge.target, edge.source):
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
                    f"{title(target)} already has a wire into "
                    f"{_port_phrase(target_spec, edge.target_port)} from "
                    f"{quoted(project.node(other.source))}; an input takes one wire",
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
        senders = {e.target_port: e for e in self._ins[target.id]}
        sources = [
            quoted(source) if port == edge.target_port else self.source_name(senders[port])
            for port in range(n_ports)
        ]
        result = NodeReport(target.id)
        used = frozenset(e.source_port for e in self._outs[target.id])
        infer_outputs(target, target_spec, params, given, trial, sources, result, used)
        errors = [p for p in result.problems if p.severity == "error"]
        return errors[0] if errors else None


class _SourceNames(Sequence[str]):
    """Who feeds each input port, as messages name them (`'pool2'`), worked out only on demand.

    Shape rules read `ctx.sources[i]` only to write a message; naming every sender up front
    cost a tenth of a full check.
    """

    __slots__ = ("_analyzer", "_edges")

    def __init__(self, analyzer: Analyzer, edges: list[Edge | None]) -> None:
        self._analyzer = analyzer
        self._edges = edges

    def __len__(self) -> int:
        return len(self._edges)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._edges))[index]]
        edge = self._edges[index]
        return "?" if edge is None else self._analyzer.source_name(edge)


# --- pieces shared by evaluation and the connection check --------------------------------------

MAX_DIM = 2**63 - 1  # torch sizes are int64
_SPECS: dict[str, LayerSpec] = {}
_NO_PORTS: frozenset[int] = frozenset()
_DEFAULTS: dict[str, dict[str, Any]] = {}
_REQUIRED: dict[str, tuple[ParamSpec, ...]] = {}


def spec_of(layer_type: str) -> LayerSpec | None:
    """get_spec, memoised: it runs several times per node on the checker's hot path."""
    spec = _SPECS.get(layer_type)
    if spec is None:
        spec = get_spec(layer_type)
        if spec is not None:
            _SPECS[layer_type] = spec
    return spec


_SIMPLE = (int, float, str, bool, type(None))
_CHECKED: dict[tuple, tuple[dict[str, Any], frozenset[str]]] = {}  # params that passed, by value
_CHECKED_LIMIT = 4096


def _value_key(value: Any) -> Any:
    """A hashable stand-in for a param value that tells apart what checks tell apart (True is
    not 1, [3, 3] is not 3); None when the value is too unusual to be worth remembering."""
    if isinstance(value, _SIMPLE):
        return (type(value), value)
    if isinstance(value, list | tuple) and all(isinstance(v, _SIMPLE) for v in value):
        return (list, tuple((type(v), v) for v in value))
    return None


def check_params(
    node: Node, spec: LayerSpec
) -> tuple[dict[str, Any], frozenset[str], list[Problem]]:
    """Resolve a node's params against its spec: defaults filled, types and bounds checked.

    Networks repeat the same settings (every 3×3 padding-1 convolution of a VGG), so params that
    passed are remembered by value: a first check of a big drawing then spends its time on
    shapes, not on re-checking `kernel_size=3` a thousand times.
    """
    key: tuple | None = (spec.type,)
    for name, value in node.params.items():
        value_key = _value_key(value)
        if value_key is None:
            key = None
            break
        key += (name, value_key)
    if key is not None:
        hit = _CHECKED.get(key)
        if hit is not None:
            return dict(hit[0]), hit[1], []
    params, given, problems = _check_params(node, spec)
    if key is not None and not problems:
        if len(_CHECKED) >= _CHECKED_LIMIT:
            _CHECKED.clear()
        _CHECKED[key] = (dict(params), given)
    return params, given, problems


def _check_params(
    node: Node, spec: LayerSpec
) -> tuple[dict[str, Any], frozenset[str], list[Problem]]:
    defaults = _DEFAULTS.get(spec.type)
    if defaults is None:
        defaults = _DEFAULTS[spec.type] = spec.defaults()
    params = dict(defaults)
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
    required = _REQUIRED.get(spec.type)
    if required is None:
        required = _REQUIRED[spec.type] = tuple(p for p in spec.params if p.required)
    for param in required:
        if param.name not in node.params:
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
    sources: Sequence[str],
    result: NodeReport,
    wired_outputs: frozenset[int] = frozenset(),
) -> None:
    """Run the spec's shape rule; fill `result` with outputs, resolved params, count, problems.

    `wired_outputs` are the output ports that feed something (rules may refuse one, e.g. h_n).
    """
    if spec.dtype != "any":
        wanted = FLOAT if spec.dtype == "float" else INT
        for port, tensor in enumerate(inputs):
            if tensor.dtype != wanted:
                result.problems.append(_dtype_problem(node, spec, tensor, sources[port], port))
                return
    ctx = ShapeContext(title(node), params, given, list(inputs), sources, wired_outputs)
    try:
        outputs = spec.infer(ctx)
        for port, out in enumerate(outputs):
            if out.shape and max(out.shape) > MAX_DIM:
                raise ctx.fail(
                    "would produce a dimension larger than torch can index (2^63 - 1)"
                    + (f" at its {spec.outputs[port]} output" if len(outputs) > 1 else "")
                )
            smallest = min(out.shape) if out.shape else 1
            if smallest < 1:
                # Spatial size below 1 is an error. torch sometimes returns an empty tensor
                # instead (a transposed convolution, batch of two or more) but refuses the same
                # layer for a batch of one, and an empty tensor carries nothing to learn from.
                where = f" at its {spec.outputs[port]} output" if len(outputs) > 1 else ""
                size = "a negative size" if smallest < 0 else "an empty output"
                raise ctx.fail(
                    f"would produce {size} {format_shape(out.shape)}{where}; the input is too "
                    "small for these settings"
                )
        count = spec.count_params(params, inputs)
    except ShapeError as exc:
        result.problems.append(Problem("error", "shape", exc.message, node.id, exc.port, exc.param))
        return
    except Exception as exc:  # a bug in a shape rule must not take the editor (or CLI) down
        result.problems.append(
            Problem(
                "error",
                "internal",
                f"{title(node)} could not be checked: Netwright's rule for {node.type} failed "
                f"({type(exc).__name__}); please report this",
                node.id,
            )
        )
        return
    result.outputs = list(outputs)
    result.resolved = params
    result.params = count
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
