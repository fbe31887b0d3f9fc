"""Code: a layer the user writes, one `nn.Module` class; its shapes come from running it.

Ports and arguments are read from the source with `ast` (graph/code_source.py); output shapes
and the parameter count come from the project's CodeRunner, which runs the class in a worker
process on meta tensors. Without a runner (code not trusted) the node is reported unchecked.
"""

from __future__ import annotations

from typing import Any

from graph.arithmetic import Arith, Formula, counted, with_parameters
from graph.code_runs import CodeRequest, failure_message, tensor_spec, tensor_type
from graph.code_source import TEMPLATE, CodeSourceError, args_problem, read_code_class
from graph.cost import no_macs
from graph.messages import title
from graph.model_types import Node
from graph.params import ParamSpec
from graph.problem_codes import ProblemCode
from graph.report import Problem
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType
from i18n import msg

TIME_LIMIT = 5.0  # seconds one run of a Code node may take before its worker is stopped
MAX_OUTPUTS = 16
COUNT_KEY = "_parameters"  # where the shape rule leaves the count the worker reported
_UNTRUSTED = msg(
    "is unchecked: its code runs only once you trust this project (File › Trust "
    "Code in This Project; on the command line, --trust)"
)


def _ports(p: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    inputs = read_code_class(p["source"]).inputs
    count = p["outputs"]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_OUTPUTS:
        raise ValueError("outputs")  # the checker reports it; the node keeps one port
    outputs = ("output",) if count == 1 else tuple(f"output {i}" for i in range(count))
    return inputs, outputs


def _infer(ctx: ShapeContext) -> list[TensorType]:
    p = ctx.params
    try:
        code = read_code_class(p["source"])
    except CodeSourceError as exc:
        raise ctx.fail(
            msg("has a mistake in its code: {error}", error=exc.message),
            param="source",
            code=ProblemCode.CODE,
            line=exc.line,
        ) from None
    problem = args_problem(code, p["args"])
    if problem is not None:
        raise ctx.fail(problem, param="args", code=ProblemCode.CODE)
    runner = ctx.code_runner
    if runner is None:
        raise ctx.fail(_UNTRUSTED, code=ProblemCode.UNTRUSTED_CODE)
    request = CodeRequest(
        p["source"], dict(p["args"]), p["outputs"], tuple(tensor_spec(t) for t in ctx.inputs)
    )
    outcome = runner.run(request)
    if outcome is None:
        raise ctx.fail(
            msg("is running its code to work out its shapes…"), code=ProblemCode.CODE_PENDING
        )
    if outcome.failure is not None:
        raise ctx.fail(
            failure_message(outcome, code.name, p["outputs"], TIME_LIMIT),
            param="source",
            code=ProblemCode.CODE,
            line=outcome.line,
        )
    p[COUNT_KEY] = outcome.params
    return [tensor_type(s) for s in outcome.outputs]


def kept_module(node: Node, p: dict[str, Any], runner: Any) -> tuple[int, list[Problem]]:
    """A Code node kept but not called (node.not_called): its parameter count, from building
    it without calling it; or its problem."""

    def problem(code: ProblemCode, text: str, line: int | None = None) -> list[Problem]:
        message = msg("{node} {problem}", node=title(node), problem=text)
        return [Problem("error", code, message, node.id, line=line)]

    try:
        code = read_code_class(p["source"])
    except CodeSourceError as exc:
        text = msg("has a mistake in its code: {error}", error=exc.message)
        return 0, problem(ProblemCode.CODE, text, exc.line)
    wrong = args_problem(code, p["args"])
    if wrong is not None:
        return 0, problem(ProblemCode.CODE, wrong)
    if runner is None:
        return 0, problem(ProblemCode.UNTRUSTED_CODE, _UNTRUSTED)
    outcome = runner.run(CodeRequest(p["source"], dict(p["args"]), p["outputs"], ()))
    if outcome is None:
        return 0, problem(
            ProblemCode.CODE_PENDING, msg("is running its code to work out its shapes…")
        )
    if outcome.failure is not None:
        text = failure_message(outcome, code.name, p["outputs"], TIME_LIMIT)
        return 0, problem(ProblemCode.CODE, text, outcome.line)
    return outcome.params, []


def _explain(a: Arith) -> list[Formula]:
    shapes = ", ".join(str(list(t.shape)) for t in a.outputs)
    return [Formula("", msg("found by running your code on the input: {shapes}", shapes=shapes))]


register(
    LayerSpec(
        "Code",
        "Your code",
        "Your own layer: one nn.Module class in Python; its shapes come from running it.",
        _infer,
        params=(
            ParamSpec("source", "text", TEMPLATE, "the Python source of one nn.Module class"),
            ParamSpec("args", "args", {}, "keyword arguments for the class's constructor"),
            ParamSpec("outputs", "int", 1, "how many tensors forward returns", 1, MAX_OUTPUTS),
        ),
        count_params=lambda p, inputs: p.get(COUNT_KEY, 0),
        inputs=("x",),
        dtype="any",
        palette={"source": TEMPLATE},
        summary=lambda p: _class_name(p),
        ports=_ports,
        user_class=lambda p: read_code_class(p["source"]).name,
        arithmetic=with_parameters(_explain, counted),
        macs=no_macs,
    )
)


def _class_name(p: dict[str, Any]) -> str:
    try:
        return read_code_class(p.get("source", "")).name
    except CodeSourceError:
        return "?"
