"""Asking before drawing: may this wire be added? (The canvas asks while a wire is dragged.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph import topology
from graph.inference import dtype_problem, infer_outputs
from graph.messages import port_phrase, quoted, title
from graph.model_types import Edge
from graph.node_inputs import source_name
from graph.param_check import check_params
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem
from graph.tensor import INT, TensorType
from i18n import msg

if TYPE_CHECKING:
    from graph.project import Project


def connection_problem(project: Project, edge: Edge) -> Problem | None:
    """Why `edge` may not be drawn (a loop, a taken port, a shape that does not fit), or None."""
    if not (project.has_node(edge.source) and project.has_node(edge.target)):
        return Problem("error", ProblemCode.BAD_PORT, msg("that wire needs two existing nodes"))
    source, target = project.node(edge.source), project.node(edge.target)
    source_spec, target_spec = project.spec(source.type), project.spec(target.type)
    if source_spec is None or target_spec is None:
        return None  # the unknown type is reported on its node; let the user draw anyway
    outputs = source_spec.output_names(source.params)
    if outputs is not None and edge.source_port >= len(outputs):
        return Problem(
            "error",
            ProblemCode.BAD_PORT,
            msg(
                "{source} has no output {source_port}",
                source=title(source),
                source_port=edge.source_port,
            ),
        )
    inputs = target_spec.input_names(target.params)
    if not target_spec.variadic and edge.target_port >= len(inputs):
        return Problem(
            "error",
            ProblemCode.BAD_PORT,
            msg(
                "{target} has no input {target_port}",
                target=title(target),
                target_port=edge.target_port,
            ),
        )
    if edge.source == edge.target:
        return Problem(
            "error",
            ProblemCode.CYCLE,
            msg("{source} cannot feed itself; a network flows one way", source=title(source)),
        )
    _, outs = project.adjacency
    if topology.reaches(outs, edge.target, edge.source):
        return Problem(
            "error",
            ProblemCode.CYCLE,
            msg(
                "wiring {source} into {target} would make a loop, because {target} already "
                "feeds {source}",
                source=quoted(source),
                target=quoted(target),
            ),
            target.id,
            edge.target_port,
        )
    for other in project.wires_in(target.id):
        if other.target_port == edge.target_port:
            return Problem(
                "error",
                ProblemCode.DUPLICATE_WIRE,
                msg(
                    "{target} already has a wire into {port_phrase} from {node}; an input "
                    "takes one wire",
                    target=title(target),
                    port_phrase=port_phrase(target_spec, edge.target_port),
                    node=quoted(project.node(other.source)),
                ),
                target.id,
                edge.target_port,
            )
    report = project.validate()
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
        if target_spec.dtype != "any" and (incoming.dtype == INT) != (target_spec.dtype == "int"):
            return dtype_problem(target, target_spec, incoming, quoted(source), edge.target_port)
        return None  # other inputs still open: no full check yet
    senders = {e.target_port: e for e in project.wires_in(target.id)}
    sources = [
        quoted(source) if port == edge.target_port else source_name(project, senders[port])
        for port in range(n_ports)
    ]
    result = NodeReport(target.id)
    n_out = len(target_spec.outputs)
    used = frozenset(p for e in project.wires_out(target.id) if (p := e.source_port) < n_out)
    infer_outputs(
        target, target_spec, params, given, trial, sources, result, used, project.code_runner
    )
    # A Code node not yet run (untrusted, or running in the background) takes the wire.
    errors = [p for p in result.problems if p.severity == "error" and p.code not in _NOT_YET]
    return errors[0] if errors else None


_NOT_YET = frozenset({ProblemCode.UNTRUSTED_CODE, ProblemCode.CODE_PENDING})
