"""Which fixes a problem gets: likely edits worked out from the drawing, each tried on a copy.

Candidates come from the state of the drawing (what reaches a node, what the dataset needs),
never from a message's wording. A candidate is offered only if, tried on a copy of the project,
it removes its problem and adds no error, so a click never makes things worse.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from math import prod

from graph.dataset_fit import DATASET_INPUT, DATASET_OUTPUT, SIZE_PARAMS, output_node
from graph.fixes import Fix, InsertNode, SetParam, Step, clone
from graph.messages import quoted
from graph.model_types import UNSET, Node
from graph.params import as_tuple
from graph.problem_codes import ProblemCode
from graph.project import Project
from graph.report import Problem, Report
from graph.spec import get_spec
from graph.tensor import format_shape
from i18n import msg

MAX_FIXES = 3
_CONVS = {"Conv1d": 1, "Conv2d": 2, "Conv3d": 3}
_MERGES = ("Add", "Multiply", "Concat")


def problem_key(problem: Problem) -> tuple:
    return (problem.code, problem.node, problem.message)


def fixes_for(project: Project, problem: Problem, limit: int = MAX_FIXES) -> list[Fix]:
    """Up to `limit` fixes for `problem`, each tried on a copy first."""
    report = project.validate()
    before_errors = {problem_key(p) for p in report.errors}
    candidates = _candidates(project, report, problem)
    return first_working(candidates, lambda f: _works(project, f, problem, before_errors), limit)


def first_working(
    candidates: Iterable[Fix], works: Callable[[Fix], bool], limit: int = MAX_FIXES
) -> list[Fix]:
    """Up to `limit` of `candidates` that `works` accepts, each title tried once."""
    found: list[Fix] = []
    seen: set[str] = set()
    for fix in candidates:
        if fix.title in seen:
            continue
        seen.add(fix.title)
        if works(fix):
            found.append(fix)
            if len(found) >= limit:
                break
    return found


def has_candidates(project: Project, problem: Problem, report: Report | None = None) -> bool:
    """Cheap: whether `problem` has any fix to try (the light bulb), without trying it.
    `report`: the drawing's report when it is not its own (a block seen through an instance)."""
    found = _candidates(project, report or project.validate(), problem, cheap=True)
    return next(found, None) is not None


def _works(project: Project, fix: Fix, problem: Problem, before_errors: set[tuple]) -> bool:
    trial = clone(project)
    try:
        fix.apply(trial)
    except Exception:  # a candidate that does not even apply is simply not offered
        return False
    after = trial.validate()
    key = problem_key(problem)
    if any(problem_key(p) == key for p in after.problems):
        return False
    return all(problem_key(p) in before_errors for p in after.errors)


# --- candidates ------------------------------------------------------------------------------


# Given some steps for the drawing a problem is in, that drawing's report once they are made
# (on a copy), or None. At the top level: a clone; inside a block: see graph/block_fixes.py.
TryOn = Callable[[tuple[Step, ...]], Report | None]


def _on_a_copy(project: Project) -> TryOn:
    def report_after(steps: tuple[Step, ...]) -> Report | None:
        trial = clone(project)
        for step in steps:
            step.apply(trial)
        return trial.validate()

    return report_after


def _candidates(
    project: Project,
    report: Report,
    problem: Problem,
    cheap: bool = False,
    try_on: TryOn | None = None,
) -> Iterator[Fix]:
    """Likely fixes, untried. `cheap`: skip the ones that must check a copy to be written.
    `try_on` works out a report after some steps (a clone of `project` when not given)."""
    if problem.node is None or not project.has_node(problem.node):
        return
    node = project.node(problem.node)
    spec = get_spec(node.type)
    if spec is None:
        return
    if problem.code == DATASET_OUTPUT:
        yield from _dataset_output(project, report)
        return
    if problem.code == DATASET_INPUT:
        yield from _dataset_input(project, node, problem)
        return
    name = problem.param
    param = spec.param_index.get(name) if name else None
    if problem.code == ProblemCode.BAD_PARAM and name:
        yield from _bad_param(node, name, param, spec.param_index)
        return
    if name in node.params:
        yield from _permute_before(project, report, node, name)
    if param is not None and param.inferred and name in node.params:
        yield from _inferred(try_on or _on_a_copy(project), node, name, cheap)
    if node.type == "Linear":
        yield from _flatten_before(project, report, node)
    if node.type in _CONVS and name in ("kernel_size", "padding"):
        keep = _keep_size(project, node)
        if keep:
            yield keep
    if node.type in _MERGES and problem.port:
        yield from _merge(project, report, node, problem.port)
    if name == "batch_first":
        yield Fix(
            msg("Set batch_first=True on {node}", node=quoted(node)),
            (SetParam(node.id, name, True),),
        )
    if name == "inplace":
        yield Fix(
            msg("Set inplace=False on {node}", node=quoted(node)), (SetParam(node.id, name, False),)
        )


def _bad_param(node: Node, name: str, param, index: dict) -> Iterator[Fix]:
    if param is None:
        close = difflib.get_close_matches(name, list(index), n=1)
        if close and close[0] not in node.params:
            value = node.params[name]
            yield Fix(
                msg("Rename {old} to {new} on {node}", old=name, new=close[0], node=quoted(node)),
                (SetParam(node.id, name, UNSET), SetParam(node.id, close[0], value)),
            )
        yield Fix(
            msg("Remove {param} from {node}", param=name, node=quoted(node)),
            (SetParam(node.id, name, UNSET),),
        )
    elif name in node.params and not param.required:
        yield Fix(
            msg("Reset {param} of {node} to its default", param=name, node=quoted(node)),
            (SetParam(node.id, name, UNSET),),
        )


def _inferred(try_on: TryOn, node: Node, name: str, cheap: bool = False) -> Iterator[Fix]:
    unpin = SetParam(node.id, name, UNSET)
    unpinned = Fix(
        msg("Unpin {param} of {node} (infer it from the input)", param=name, node=quoted(node)),
        (unpin,),
    )
    if cheap:  # what arrives needs a check of a copy; unpinning alone says a fix exists
        yield unpinned
        return
    after = try_on((unpin,))
    node_report = after.nodes.get(node.id) if after is not None else None
    arrives = node_report.resolved.get(name) if node_report is not None else None
    if arrives is not None:
        value = list(arrives) if isinstance(arrives, tuple) else arrives
        yield Fix(
            msg(
                "Set {param} of {node} to {value} (what arrives)",
                param=name,
                node=quoted(node),
                value=_plain(value),
            ),
            (SetParam(node.id, name, value),),
        )
    yield unpinned


def _flatten_before(project: Project, report: Report, node: Node) -> Iterator[Fix]:
    """A Linear fed a feature map: Flatten in front (and its in_features inferred anew)."""
    inputs = report.nodes[node.id].inputs
    wires = [e for e in project.in_edges(node.id) if e.target_port == 0]
    if not inputs or inputs[0] is None or inputs[0].rank < 2 or len(wires) != 1:
        return
    steps: list[Step] = [InsertNode(Node(project.new_id("flatten"), "Flatten"), wires[0])]
    if "in_features" in node.params:
        steps.append(SetParam(node.id, "in_features", UNSET))
    yield Fix(msg("Insert Flatten before {node}", node=quoted(node)), tuple(steps))


# The size parameter of a layer and the dim of its input (batch left out) that it must match.
_READS = {
    "Linear": ("in_features", -1),
    "RNN": ("input_size", -1),
    "LSTM": ("input_size", -1),
    "GRU": ("input_size", -1),
    "Conv1d": ("in_channels", -2),
}


def _permute_before(project: Project, report: Report, node: Node, name: str) -> Iterator[Fix]:
    """Steps and features the wrong way round (a Conv1d's [channels, steps] into an LSTM that
    reads [steps, features], or the reverse): swap the last two dims in front, offered only when
    the swap gives the layer exactly the size it is set to."""
    reads = _READS.get(node.type)
    if reads is None or reads[0] != name:
        return
    wanted = node.params.get(name)
    inputs = report.nodes[node.id].inputs
    wires = [e for e in project.in_edges(node.id) if e.target_port == 0]
    if not isinstance(wanted, int) or not inputs or inputs[0] is None or len(wires) != 1:
        return
    shape = inputs[0].shape
    rank = len(shape)
    if rank < 2 or (node.type == "Conv1d" and rank != 2):
        return
    dim = reads[1] % rank
    other = rank - 1 if dim == rank - 2 else rank - 2
    if shape[dim] == wanted or shape[other] != wanted:
        return
    dims = [*range(rank - 1), rank, rank - 1]  # batch first, the last two swapped
    swapped = (*shape[:-2], shape[-1], shape[-2])
    permute = Node(project.new_id("permute"), "Permute", {"dims": dims})
    yield Fix(
        msg(
            "Insert Permute before {node} ({shape} becomes {swapped})",
            node=quoted(node),
            shape=format_shape(shape),
            swapped=format_shape(swapped),
        ),
        (InsertNode(permute, wires[0]),),
    )


def _keep_size(project: Project, node: Node) -> Fix | None:
    """Padding that keeps the spatial size of a stride-1 convolution with an odd kernel."""
    n = _CONVS[node.type]
    params = {**(get_spec(node.type).defaults()), **node.params}  # type: ignore[union-attr]
    try:
        k = as_tuple(params["kernel_size"], n)
        s = as_tuple(params["stride"], n)
        d = as_tuple(params["dilation"], n)
    except (TypeError, ValueError, KeyError):
        return None
    if any(v != 1 for v in s) or any((di * (ki - 1)) % 2 for di, ki in zip(d, k, strict=True)):
        return None
    pad = [di * (ki - 1) // 2 for di, ki in zip(d, k, strict=True)]
    value = pad[0] if len(set(pad)) == 1 else pad
    if params.get("padding") == value:
        return None
    return Fix(
        msg(
            "Set padding of {node} to {value} (keeps the spatial size)",
            node=quoted(node),
            value=_plain(value),
        ),
        (SetParam(node.id, "padding", value),),
    )


def _merge(project: Project, report: Report, node: Node, port: int) -> Iterator[Fix]:
    """Make input `port` of a merge agree with input 0: a projection, or padding upstream."""
    inputs = report.nodes[node.id].inputs
    wires = {e.target_port: e for e in project.in_edges(node.id)}
    if port not in wires or not inputs or inputs[0] is None or inputs[port] is None:
        return
    first, other = inputs[0].shape, inputs[port].shape
    wire = wires[port]
    for p in (port, 0):
        source = project.node(wires[p].source)
        if source.type in _CONVS:
            keep = _keep_size(project, source)
            if keep:
                yield keep
    if node.type == "Concat":
        return
    if len(first) == len(other) and len(first) in (2, 3, 4) and first[1:] == other[1:]:
        conv = f"Conv{len(first) - 1}d"
        yield Fix(
            msg(
                "Insert a 1×1 {layer} projecting {node} to {channels} channels",
                layer=conv,
                node=quoted(project.node(wire.source)),
                channels=first[0],
            ),
            (InsertNode(Node(project.new_id("proj"), conv, _proj(first[0])), wire),),
        )
    if len(first) == len(other) and first[:-1] == other[:-1]:
        yield Fix(
            msg(
                "Insert a Linear projecting {node} to {features} features",
                node=quoted(project.node(wire.source)),
                features=first[-1],
            ),
            (
                InsertNode(
                    Node(project.new_id("proj"), "Linear", {"out_features": first[-1]}), wire
                ),
            ),
        )


def _proj(channels: int) -> dict:
    return {"out_channels": channels, "kernel_size": 1}


def _dataset_output(project: Project, report: Report) -> Iterator[Fix]:
    from graph.dataset_fit import expected_output

    out = output_node(project.nodes)
    info = project.dataset_info()
    if out is None or info is None:
        return
    wanted = expected_output(info, project.training)
    wires = project.in_edges(out.id)
    if not wanted or len(wires) != 1:
        return
    feeder = project.node(wires[0].source)
    size = prod(wanted[-1]) if info.task == "classification" else wanted[0][-1]
    param = next((p for p in SIZE_PARAMS if p in report.nodes[feeder.id].resolved), None)
    if param is not None:
        fields = {"param": param, "node": quoted(feeder), "size": size}
        title = (
            msg("Set {param} of {node} to {size} (the dataset's classes)", **fields)
            if info.task == "classification"
            else msg("Set {param} of {node} to {size} (the dataset's target values)", **fields)
        )
        yield Fix(
            title,
            (SetParam(feeder.id, param, size),),
        )
    # A Linear somewhere up the chain that was fed a feature map: Flatten there.
    seen: set[str] = set()
    current: Node | None = feeder
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.type == "Linear":
            for fix in _flatten_before(project, report, current):
                if param is not None and current.id == feeder.id:
                    yield Fix(fix.title, (*fix.steps, SetParam(feeder.id, param, size)))
                yield fix
        ins = project.in_edges(current.id)
        current = project.node(ins[0].source) if len(ins) == 1 else None
    if param is None:
        wire = wires[0]
        layer = Node(project.new_id("head"), "Linear", {"out_features": size})
        yield Fix(
            msg("Insert a Linear with {size} outputs before {node}", size=size, node=quoted(out)),
            (InsertNode(layer, wire),),
        )


def _dataset_input(project: Project, node: Node, problem: Problem) -> Iterator[Fix]:
    info = project.dataset_info()
    if info is None or info.sample_shape is None:
        return
    for shape in (info.sample_shape, *info.fits_input):
        yield Fix(
            msg(
                "Set the shape of {node} to {shape} (the dataset's samples)",
                node=quoted(node),
                shape=format_shape(shape),
            ),
            (SetParam(node.id, "shape", list(shape)),),
        )


def _plain(value: object) -> str:
    return format_shape(tuple(value)) if isinstance(value, list | tuple) else str(value)


__all__ = ["MAX_FIXES", "fix_all", "fixes_for", "has_candidates", "problem_key", "with_fixes"]


def fix_all(project: Project, rounds: int = 50) -> list[str]:
    """Apply the first fix of each problem, re-check, repeat until nothing is left to fix.

    Returns the titles of the fixes applied, in order. `rounds` bounds a pair of fixes that
    would undo each other.
    """
    from graph.block_fixes import fixes_anywhere  # it builds on this module

    applied: list[str] = []
    for _ in range(rounds):
        report = project.validate()
        for problem in report.problems:
            fixes = fixes_anywhere(project, problem, limit=1)
            if fixes:
                fixes[0].apply(project)
                applied.append(fixes[0].title)
                break
        else:
            break
    return applied


def with_fixes(project: Project, report: Report, data: dict) -> dict:
    """`report.to_json()` output with each problem's fixes: `"fixes": [{"title": ...}]`."""
    from graph.block_fixes import fixes_anywhere  # it builds on this module

    for key, problems in (("errors", report.errors), ("warnings", report.warnings)):
        for entry, problem in zip(data[key], problems, strict=True):
            entry["fixes"] = [fix.to_json() for fix in fixes_anywhere(project, problem)]
    return data
