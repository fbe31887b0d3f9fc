"""Checking block instances: each one runs its block's drawing with its own params and shapes.

A *run* is one check of a block's drawing for given param values and input types. Runs are
remembered per block (networks use the same block with the same settings many times: the 16
bottlenecks of a ResNet-50 need 8 runs), and forgotten when the block, or a block it contains,
is edited. A problem inside a run is passed up to the instance with its path (`layer2.0.conv1`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.expressions import ExpressionError, evaluate, is_expression, parse
from graph.messages import printable, quoted, title
from graph.model_types import Node
from graph.params import ParamBoundsError, ParamTypeError
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem, Report
from graph.spec import LayerSpec, ShapeContext
from graph.tensor import TensorType
from i18n import join, msg

if TYPE_CHECKING:
    from graph.analysis import Analyzer
    from graph.blocks import BlockDef, Blocks
    from graph.project import Project

MAX_REPEAT = 10_000  # copies of one node; more is a typo, not a network
NO_BLOCK_PARAMS = msg("only the drawing of a block has block parameters to refer to")


@dataclass(frozen=True)
class Scope:
    """What a block's drawing sees when it runs for one instance."""

    values: Mapping[str, Any]  # the block's params
    inputs: tuple[TensorType | None, ...]  # the tensor at each input port


@dataclass
class BodyRun:
    """One check of a block's drawing: its report, what comes out, how many weights it has."""

    block: str
    values: dict[str, Any]
    inputs: tuple[TensorType | None, ...]
    report: Report
    outputs: list[TensorType | None] = field(default_factory=list)
    lifted: dict[str, list[Problem]] = field(default_factory=dict)  # by path prefix

    @property
    def params(self) -> int:
        return self.report.total_params


def run_key(block: str, values: Mapping[str, Any], inputs: tuple[TensorType | None, ...]) -> tuple:
    return (
        block,
        tuple(sorted((k, _hashable(v)) for k, v in values.items())),
        tuple(None if t is None else (t.shape, t.dtype) for t in inputs),
    )


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def run_body(
    blocks: Blocks, name: str, values: Mapping[str, Any], inputs: tuple[TensorType | None, ...]
) -> BodyRun:
    """The (remembered) run of block `name` with these params and inputs."""
    key = run_key(name, values, inputs)
    cached = blocks.runs.get(key)
    if cached is not None:
        return cached
    from graph.analysis import Analyzer  # late: the analyzer calls into this module

    block = blocks.get(name)
    assert block is not None
    report = Analyzer(block.body, Scope(dict(values), inputs), listen=False).report()
    outputs = []
    for out_id in block.output_ids:
        node_report = report.nodes.get(out_id)
        outputs.append(node_report.inputs[0] if node_report and node_report.inputs else None)
    run = BodyRun(name, dict(values), inputs, report, outputs)
    blocks.runs[key] = run
    return run


def block_spec(blocks: Blocks, name: str) -> LayerSpec | None:
    """The ports and params of block `name` as a layer spec, so wiring checks, port drawing and
    the inspector treat an instance like any layer; its shape rule runs the block's drawing."""
    spec = blocks.specs.get(name)
    if spec is not None:
        return spec
    block = blocks.get(name)
    if block is None:
        return None

    def infer(ctx: ShapeContext) -> list[TensorType]:
        run = run_body(blocks, name, ctx.params, tuple(ctx.inputs))
        errors = [p for p in run.report.problems if p.severity == "error"]
        if errors:
            raise ctx.fail(msg("has a problem inside: {problem}", problem=errors[0].message))
        if any(t is None for t in run.outputs):
            raise ctx.fail(msg("has an Output with nothing wired into it"))
        return [t for t in run.outputs if t is not None]

    def count(params: dict[str, Any], inputs: list[TensorType]) -> int:
        return run_body(blocks, name, params, tuple(inputs)).params

    body = block.body
    spec = LayerSpec(
        name,
        "Blocks",
        "Block",
        infer,
        params=block.params,
        count_params=count,
        inputs=tuple(body.node(i).name for i in block.input_ids),
        outputs=tuple(body.node(i).name for i in block.output_ids) or (),
        dtype="any",
        summary=_values_summary,
    )
    blocks.specs[name] = spec
    return spec


def _values_summary(values: dict[str, Any]) -> str:
    """What an instance shows under its name: `planes=128, stride=2`."""
    return ", ".join(f"{name}={value}" for name, value in values.items())


# --- params inside a block ---------------------------------------------------------------------


def substitute(node: Node, scope: Scope | None) -> tuple[Node, list[Problem]]:
    """`node` with its `$` expressions replaced by their values in `scope` (the same object when
    it has none), and a located problem for each expression that cannot be worked out."""
    if not has_expression(node):
        return node, []
    values: Mapping[str, Any] = scope.values if scope is not None else {}
    params = dict(node.params)
    problems: list[Problem] = []
    for name, value in node.params.items():
        if isinstance(value, dict) and any(is_expression(v) for v in value.values()):
            # a Code node's constructor arguments: each may be a block param's expression
            given, wrong = _substitute_args(node, name, value, scope)
            params[name] = given
            problems += wrong
            continue
        if not is_expression(value):
            continue
        try:
            if scope is None:
                raise ExpressionError(NO_BLOCK_PARAMS)
            params[name] = evaluate(parse(value), values)
        except ExpressionError as exc:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_PARAM,
                    msg(
                        "{node}: {param}={value}: {error}",
                        node=title(node),
                        param=name,
                        value=printable(repr(value)),
                        error=exc,
                    ),
                    node.id,
                    param=name,
                )
            )
            params.pop(name)
    copy = node.copy()
    copy.params = params
    return copy, problems


def repeat_count(node: Node, scope: Scope | None) -> tuple[int, Problem | None]:
    """How many copies of `node` run in sequence (1 when not repeated), or a problem."""
    repeat = node.repeat
    if repeat is None:
        return 1, None
    try:
        if is_expression(repeat):
            if scope is None:
                raise ExpressionError(NO_BLOCK_PARAMS)
            repeat = evaluate(parse(repeat), scope.values)
        if isinstance(repeat, bool) or not isinstance(repeat, int):
            raise ExpressionError(msg("it must be a whole number, not {value}", value=repr(repeat)))
        if not 1 <= repeat <= MAX_REPEAT:
            raise ExpressionError(
                msg("it must be between 1 and {limit}, not {value}", limit=MAX_REPEAT, value=repeat)
            )
    except ExpressionError as exc:
        message = msg(
            "{node}: repeat={value}: {error}",
            node=title(node),
            value=printable(repr(node.repeat)),
            error=exc,
        )
        return 1, Problem("error", ProblemCode.BAD_REPEAT, message, node.id, param="repeat")
    return repeat, None


def check_values(node: Node, block: BlockDef) -> tuple[dict[str, Any], list[Problem]]:
    """An instance's block params: defaults filled, types and bounds checked."""
    values = block.defaults()
    problems: list[Problem] = []
    index = block.param_index
    for name, value in node.params.items():
        param = index.get(name)
        if param is None:
            known = ", ".join(index) or "-"
            message = msg(
                "{node}: block {block} has no parameter '{param}' (it has: {known})",
                node=title(node),
                block=block.name,
                param=printable(name),
                known=known,
            )
            problems.append(Problem("error", ProblemCode.BAD_PARAM, message, node.id, param=name))
            continue
        try:
            values[name] = param.check(value)
        except (ParamTypeError, ParamBoundsError) as exc:
            problems.append(
                Problem(
                    "error",
                    ProblemCode.BAD_PARAM,
                    msg("{node}: {error}", node=title(node), error=exc),
                    node.id,
                    param=name,
                )
            )
    for param in block.params:
        if param.required and param.name not in node.params:
            message = msg(
                "{node} needs {param} to be set (a parameter of block {block})",
                node=title(node),
                param=param.name,
                block=block.name,
            )
            problems.append(
                Problem("error", ProblemCode.BAD_PARAM, message, node.id, param=param.name)
            )
    return values, problems


# --- one instance ------------------------------------------------------------------------------


def evaluate_instance(
    blocks: Blocks,
    node: Node,
    values: dict[str, Any],
    inputs: list[TensorType | None],
    copies: int,
) -> NodeReport:
    """Run the block for each copy in turn (a copy's output feeds the next one)."""
    result = NodeReport(node.id, inputs=list(inputs), resolved=dict(values))
    current = tuple(inputs)
    runs: list[BodyRun] = []
    for copy in range(copies):
        run = run_body(blocks, node.type, values, current)
        runs.append(run)
        prefix = f"{node.id}.{copy}" if copies > 1 else node.id
        result.problems.extend(lift(node, run, prefix))
        current = tuple(run.outputs)
        if any(p.severity == "error" for p in run.report.problems):
            break
    result.runs = runs
    if not result.ok:
        result.outputs = [None] * len(runs[0].outputs if runs else [])
        return result
    result.outputs = list(current)
    result.params = sum(r.params for r in runs)
    if any(t is None for t in current):
        message = msg(
            "{node}: an Output of block {block} has nothing wired into it",
            node=title(node),
            block=node.type,
        )
        result.problems.append(Problem("error", ProblemCode.UNCONNECTED, message, node.id))
    return result


def lift(node: Node, run: BodyRun, prefix: str) -> list[Problem]:
    """The run's problems as problems of the instance, located by path."""
    lifted = run.lifted.get(prefix)
    if lifted is not None:
        return lifted
    lifted = []
    for p in run.report.problems:
        inner = p.path or p.node
        path = f"{prefix}.{inner}" if inner else prefix
        where = (
            msg("in {node}", node=title(node))
            if p.node is None
            else msg("at {path}", path=printable(path))
        )
        lifted.append(
            Problem(
                p.severity,
                p.code,
                msg("{where}: {problem}", where=where, problem=unlocated(p)),
                node.id,
                None,
                None,
                path,
            )
        )
    run.lifted[prefix] = lifted
    return lifted


def unlocated(problem: Problem) -> str:
    """A problem's sentence without the place a deeper level put in front of it: the level
    above names the whole path (`at b1.inner.fc2: ...`, not `at b1.inner.fc2: at inner.fc2:`)."""
    message = problem.message
    if problem.path is not None and getattr(message, "template", None) == "{where}: {problem}":
        return message.fields["problem"]
    return message


def opened_run(
    project: Project, report: Report, path: Sequence[str]
) -> tuple[Project, Report, str] | None:
    """The block drawing opened through the instances of `path` (ids from the top level down),
    that instance's report of it, and the block's name; None when the instance has no run
    (its inputs are not known yet)."""
    drawing, name = project, ""
    for instance_id in path:
        if not drawing.has_node(instance_id):
            return None
        definition = project.blocks.get(drawing.node(instance_id).type)
        node_report = report.nodes.get(instance_id)
        runs = node_report.runs if node_report is not None else []
        if definition is None or not runs or not hasattr(runs[0], "report"):
            return None
        drawing, report, name = definition.body, runs[0].report, definition.name
    return (drawing, report, name) if path else None


# --- the analyzer's entry points -----------------------------------------------------------------


def has_expression(node: Node) -> bool:
    return any(
        (isinstance(v, str) and "$" in v)
        or (isinstance(v, dict) and any(isinstance(a, str) and "$" in a for a in v.values()))
        for v in node.params.values()
    )


def _substitute_args(
    node: Node, name: str, args: dict[str, Any], scope: Scope | None
) -> tuple[dict[str, Any], list[Problem]]:
    """A Code node's `args` with each `$` expression replaced by its value in `scope`."""
    values: Mapping[str, Any] = scope.values if scope is not None else {}
    given = dict(args)
    for key, value in args.items():
        if not is_expression(value):
            continue
        try:
            if scope is None:
                raise ExpressionError(NO_BLOCK_PARAMS)
            given[key] = evaluate(parse(value), values)
        except ExpressionError as exc:
            problem = msg(
                "{node}: {param}={value}: {error}",
                node=title(node),
                param=f"{name}.{key}",
                value=printable(repr(value)),
                error=exc,
            )
            return args, [Problem("error", ProblemCode.BAD_PARAM, problem, node.id, param=name)]
    return given, []


def evaluate_node(analyzer: Analyzer, node: Node) -> NodeReport:
    """A node that needs more than its layer's rule: an instance, a repeat, a block's port, or
    params that are expressions."""
    scope = analyzer.scope
    project = analyzer.project
    blocks = project.blocks
    if node.type == "Input" and "shape" not in node.params and project.block_name is not None:
        return _port(analyzer, node)
    plain, problems = substitute(node, scope)
    copies, problem = repeat_count(plain, scope)
    if problem is not None:
        problems.append(problem)
    block = blocks.get(node.type)
    spec = analyzer.project.spec(node.type)
    n_out = len(spec.outputs) if spec is not None else 1
    if copies > 1 and spec is not None and (len(spec.inputs) != 1 or len(spec.outputs) != 1):
        message = msg(
            "{node} is repeated, which needs exactly one input and one output", node=title(node)
        )
        problems.append(Problem("error", ProblemCode.BAD_REPEAT, message, node.id, param="repeat"))
    if copies > 1 and block is None and spec is not None and spec.torch_class is None:
        message = msg(
            "{node} cannot be repeated: only layers and blocks can, and {type} is an operation",
            node=title(node),
            type=printable(node.type),
        )
        problems.append(Problem("error", ProblemCode.BAD_REPEAT, message, node.id, param="repeat"))
    if block is None:
        if problems:
            return NodeReport(node.id, outputs=[None] * n_out, problems=problems)
        first = analyzer.evaluate_layer(plain)
        return first if copies == 1 else _repeat_layer(analyzer, plain, first, copies)
    assert spec is not None
    cycle = blocks.cycle_of(node.type)
    if cycle is not None:
        loop = join(" → ", cycle)
        message = msg(
            "{node}: block {block} contains itself ({loop}); a block cannot be part of its own "
            "drawing",
            node=title(node),
            block=node.type,
            loop=loop,
        )
        return NodeReport(
            node.id,
            outputs=[None] * n_out,
            problems=[
                Problem(
                    "error",
                    ProblemCode.BLOCK_CYCLE,
                    message,
                    node.id,
                )
            ],
        )
    values, value_problems = check_values(plain, block)
    inputs, _, wiring = analyzer.gather_inputs(plain, spec)
    problems += value_problems + wiring
    if problems:
        return NodeReport(node.id, list(inputs), [None] * n_out, values, problems=problems)
    if any(t is None for t in inputs):
        return NodeReport(node.id, list(inputs), [None] * n_out, values)
    return evaluate_instance(blocks, plain, values, list(inputs), copies)


def _port(analyzer: Analyzer, node: Node) -> NodeReport:
    """An Input without a shape in a block's drawing: the tensor wired into that port."""
    scope = analyzer.scope
    block = analyzer.project.blocks.get(analyzer.project.block_name or "")
    tensor = None
    if scope is not None and block is not None:
        port = block.input_ids.index(node.id)
        tensor = scope.inputs[port] if port < len(scope.inputs) else None
    return NodeReport(node.id, outputs=[tensor])


def _repeat_layer(analyzer: Analyzer, node: Node, first: NodeReport, copies: int) -> NodeReport:
    """A layer applied `copies` times in sequence, each copy with its own weights."""
    from graph.inference import infer_outputs
    from graph.param_check import check_params

    copies_reports = [first]
    current = first
    spec = analyzer.project.spec(node.type)
    assert spec is not None
    for k in range(1, copies):
        if not current.ok or current.outputs[0] is None:
            break
        previous = current.outputs[0]
        if previous == copies_reports[-1].inputs[0]:
            current = copies_reports[-1]  # the same input again: the same result
            copies_reports.append(current)
            continue
        params, given, _ = check_params(node, spec)
        current = NodeReport(node.id, inputs=[previous], outputs=[None], resolved=params)
        infer_outputs(
            node,
            spec,
            params,
            given,
            [previous],
            [msg("copy {number} of itself", number=k)],
            current,
            code_runner=analyzer.project.code_runner,
        )
        copies_reports.append(current)
        if not current.ok:
            for i, p in enumerate(current.problems):
                message = msg(
                    "copy {number} of {count}: {problem}",
                    number=k + 1,
                    count=copies,
                    problem=p.message,
                )
                current.problems[i] = Problem(
                    p.severity, p.code, message, node.id, p.port, p.param, f"{node.id}.{k}"
                )
    last = copies_reports[-1]
    problems = list(first.problems) + [
        p
        for r in copies_reports[1:]
        if r is not first
        for p in r.problems
        if p not in first.problems
    ]
    return NodeReport(
        node.id,
        first.inputs,
        last.outputs if last.ok else [None],
        first.resolved,
        sum(r.params for r in copies_reports) if len(copies_reports) == copies else 0,
        problems,
        copies_reports,
    )


def shared(
    analyzer: Analyzer, node: Node, result: NodeReport, results: Mapping[str, NodeReport]
) -> NodeReport:
    """A node that calls another node's layer: same type and settings, weights counted once."""
    problems = list(result.problems)
    problem = _share_problem(analyzer, node, result, results)
    if problem is not None:
        problems.append(Problem("error", ProblemCode.BAD_SHARE, problem, node.id, param="shares"))
    return NodeReport(
        node.id, result.inputs, result.outputs, result.resolved, 0, problems, result.runs
    )


def _share_problem(
    analyzer: Analyzer, node: Node, result: NodeReport, results: Mapping[str, NodeReport]
) -> str | None:
    project = analyzer.project
    target_id = node.shares or ""
    if target_id == node.id or not project.has_node(target_id):
        return msg(
            "{node} shares '{target}', which is not another node of this drawing",
            node=title(node),
            target=printable(target_id),
        )
    target = project.node(target_id)
    spec = project.spec(node.type)
    if target.type != node.type:
        return msg(
            "{node} shares {target}; it can only share a layer of its own type",
            node=title(node),
            target=title(target),
        )
    if target.shares is not None:
        return msg(
            "{node} shares {target}, which shares another node itself; share the original",
            node=title(node),
            target=quoted(target),
        )
    if node.repeat not in (None, 1) or target.repeat not in (None, 1):
        return msg("{node}: a repeated node cannot share a layer or be shared", node=title(node))
    if spec is None or (spec.torch_class is None and node.type not in project.blocks):
        return msg(
            "{node} shares {target}, but {type} has no layer to share",
            node=title(node),
            target=quoted(target),
            type=printable(node.type),
        )
    theirs = results.get(target.id)
    if theirs is None or not (result.ok and theirs.ok):
        return None
    for name, value in result.resolved.items():
        other = theirs.resolved.get(name)
        if other != value:
            return msg(
                "{node} shares {target} but differs in {param} ({here} here, {there} there); a "
                "shared layer is one layer, so it must fit both places",
                node=title(node),
                target=quoted(target),
                param=name,
                here=repr(value),
                there=repr(other),
            )
    return None
