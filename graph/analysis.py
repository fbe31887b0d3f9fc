"""Shape inference and validation of a Project, recomputed incrementally.

The Analyzer listens to its Project. An edit marks the nodes it touches dirty; `report()` then
re-infers only those, in topological order, and passes a change on to a node's successors only
when that node's output types actually changed (early cutoff), so one parameter edit in a
2,000-node network costs a handful of shape rules, not 2,000. Wire and node edits also recompute
the topology (order, loops, dead ends: graph/topology.py), which is linear in the drawing's size.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from graph import instances as hierarchy
from graph import topology
from graph.events import (
    BlockAdded,
    BlockEdited,
    BlockRemoved,
    CodeRunsChanged,
    EdgeAdded,
    EdgeRemoved,
    NodeAdded,
    NodeOptionChanged,
    NodeRelabeled,
    NodeRemoved,
    ParamChanged,
    ProjectEvent,
)
from graph.inference import infer_outputs
from graph.init import init_problems
from graph.layers.code import kept_module
from graph.messages import quoted, title
from graph.model_types import Node
from graph.node_inputs import Gathered, gather_inputs, inplace_advice
from graph.param_check import check_params, spec_of, unknown_type_problem
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem, Report
from graph.spec import LayerSpec
from graph.tensor import TensorType
from i18n import msg

if TYPE_CHECKING:
    from graph.instances import Scope
    from graph.project import Project

__all__ = ["Analyzer"]


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
        self._ins, self._outs = project.adjacency
        self._results: dict[str, NodeReport] = {}  # what each node's shape rule gave
        self._merged: dict[str, tuple[NodeReport, list[Problem], NodeReport]] = {}
        self._dirty: set[str] = {n.id for n in project.nodes}
        self._topology_dirty = True
        self._topology = topology.Topology()
        self._report: Report | None = None
        self.evaluations = 0  # shape-rule runs so far: lets tests see incremental work
        # Nodes with inplace=True: few, so a wire edit looks at them, not at every reader of a
        # tensor (10,000 wires out of one node made each edit cost 10,000).
        self._inplace: set[str] = set()
        if listen:
            for node in project.nodes:
                self._note_inplace(node)
            project.subscribe(self._on_event)

    # --- bookkeeping ---------------------------------------------------------------------------

    def _on_event(self, event: ProjectEvent) -> None:
        match event:
            case NodeAdded(node=node):
                self._topology_dirty = True
                self._dirty.add(node.id)
                self._note_inplace(node)
            case NodeRemoved(node=node):
                self._topology_dirty = True
                self._inplace.discard(node.id)
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
                self._dirty |= self._inplace_readers(edge.source)
            case ParamChanged(node_id=node_id) | NodeOptionChanged(node_id=node_id):
                self._dirty.add(node_id)
                self._note_inplace(self._project.node(node_id))
            case BlockEdited(affected=affected):
                # Only the instances of the edited block, and of blocks containing it.
                self._dirty.update(n.id for n in self._project.nodes if n.type in affected)
            case BlockAdded(block=block) | BlockRemoved(block=block):
                affected = {block.name, *self._project.blocks.affected_by(block.name)}
                self._dirty.update(n.id for n in self._project.nodes if n.type in affected)
            case CodeRunsChanged():
                # Code nodes, and block instances (a body may hold one): the rest keeps its
                # results, and early cutoff stops at nodes whose inputs did not change.
                blocks = self._project.blocks
                self._dirty.update(
                    n.id for n in self._project.nodes if n.type == "Code" or n.type in blocks
                )
            case NodeRelabeled(node_id=node_id):
                # Names appear in the messages of everything downstream, and in the loop and
                # dead-end messages that the topology writes.
                self._topology_dirty = True
                self._dirty.add(node_id)
                self._dirty |= topology.downstream(self._outs, node_id)
            case _:
                return  # moves, renames, training: nothing to re-check
        self._report = None

    def _note_inplace(self, node: Node) -> None:
        # Anything but a plain false may turn out true (an expression a block's instance binds).
        if node.params.get("inplace", False) is not False:
            self._inplace.add(node.id)
        else:
            self._inplace.discard(node.id)

    def _inplace_readers(self, source: str) -> set[str]:
        """The in-place nodes that read an output of `source`."""
        readers = self._outs.get(source, ())
        if len(readers) <= len(self._inplace):
            return {e.target for e in readers if e.target in self._inplace}
        ins = self._ins
        return {n for n in self._inplace if any(e.source == source for e in ins.get(n, ()))}

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
                        result.runs,
                    )
                    merged[nid] = (result, extra, combined)
                    result = combined
            if node.shares is not None:
                result = hierarchy.shared(self, node, result, results)
            nodes[nid] = result
            if result.problems:
                if extra and extra[0].code == ProblemCode.CYCLE:
                    # A loop's one problem is shared by its members: list it once, at its head.
                    problems.extend(p for p in result.problems if p.node == nid)
                else:
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
            spec = self._project.spec(node.type)
            n_out = len(spec.output_names(node.params) or spec.outputs) if spec else 1
            return NodeReport(node.id, [], [None] * n_out, dict(node.params), 0, [])
        return self._evaluate(node)

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

    def gather_inputs(self, node: Node, spec: LayerSpec) -> Gathered:
        return gather_inputs(self._project, self._results, node, spec)

    def evaluate_layer(self, node: Node) -> NodeReport:
        """One layer (its params already plain values): params, wiring, then its shape rule."""
        spec = spec_of(node.type)
        if spec is None:
            return NodeReport(node.id, problems=[unknown_type_problem(node)])
        result = NodeReport(node.id, outputs=[None] * len(spec.output_names(node.params) or ()))
        params, given, param_problems = check_params(node, spec)
        result.resolved = params
        if node.not_called and not param_problems:  # built, never called: no inputs to check
            result.outputs = []
            result.params, result.problems = kept_module(node, params, self._project.code_runner)
            return result
        inputs, sources, wiring_problems = gather_inputs(self._project, self._results, node, spec)
        result.inputs = inputs
        if param_problems or wiring_problems:
            result.problems = param_problems + wiring_problems
            return result
        if any(t is None for t in inputs):
            return result  # upstream problems are reported upstream, not repeated here
        outs = self._outs[node.id]
        # Only ports the layer has: a wire from output 5 of an LSTM is the reader's bad_port.
        n_out = len(spec.outputs)
        used = (
            frozenset(e.source_port for e in outs if e.source_port < n_out) if outs else _NO_PORTS
        )
        runner = self._project.code_runner
        infer_outputs(node, spec, params, given, inputs, sources, result, used, runner)
        failed = any(p.severity == "error" for p in result.problems)
        if node.init:
            result.problems.extend(init_problems(node, spec, result.resolved))
        if params.get("inplace") is True and len(self._ins[node.id]) == 1 and not failed:
            source = self._project.node(self._ins[node.id][0].source)
            source_spec = self._project.spec(source.type)
            if source_spec is not None and source_spec.expanded_view:
                result.outputs = [None] * len(result.outputs)
                result.problems.append(
                    Problem(
                        "error",
                        ProblemCode.SHAPE,
                        msg(
                            "{node} has inplace=True, but {source} gives an expanded view whose "
                            "positions share memory, which torch cannot write into; set "
                            "inplace=False",
                            node=title(node),
                            source=quoted(source),
                        ),
                        node.id,
                        0,
                        "inplace",
                    )
                )
                return result
            advice = inplace_advice(self._project, node, self._ins[node.id][0])
            if advice:
                result.problems.append(
                    Problem("warning", ProblemCode.ADVICE, advice, node.id, 0, "inplace")
                )
        return result


_NO_PORTS: frozenset[int] = frozenset()


def _signature(outputs: list[TensorType | None]) -> tuple:
    return tuple(None if t is None else (t.shape, t.dtype, t.detail) for t in outputs)
