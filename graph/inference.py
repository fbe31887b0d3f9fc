"""Running a layer's shape rule on the tensors that reach it: output types, params, problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graph.messages import title
from graph.model_types import Node
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem
from graph.spec import LayerSpec, ShapeContext, ShapeError
from graph.tensor import FLOAT, INT, TensorType, format_shape
from i18n import msg, term

if TYPE_CHECKING:
    from graph.code_runs import CodeRunner

MAX_DIM = 2**63 - 1  # torch sizes are int64


def infer_outputs(
    node: Node,
    spec: LayerSpec,
    params: dict[str, Any],
    given: frozenset[str],
    inputs: list[TensorType],
    sources: Sequence[str],
    result: NodeReport,
    wired_outputs: frozenset[int] = frozenset(),
    code_runner: CodeRunner | None = None,
) -> None:
    """Run the spec's shape rule; fill `result` with outputs, resolved params, count, problems.

    `wired_outputs` are the output ports that feed something (rules may refuse one, e.g. h_n).
    `code_runner` runs Code nodes (graph/code_runs.py); None where the code is not trusted.
    """
    if spec.dtype != "any":
        wanted = FLOAT if spec.dtype == "float" else INT
        for port, tensor in enumerate(inputs):
            if tensor.dtype != wanted:
                result.problems.append(dtype_problem(node, spec, tensor, sources[port], port))
                return
    ctx = ShapeContext(title(node), params, given, list(inputs), sources, wired_outputs)
    ctx.code_runner = code_runner
    try:
        outputs = spec.infer(ctx)
        for port, out in enumerate(outputs):
            if out.shape and max(out.shape) > MAX_DIM:
                raise ctx.fail(
                    msg(
                        "would produce a dimension larger than torch can index (2^63 - 1){where}",
                        where=_at_output(spec, port, len(outputs)),
                    )
                )
            smallest = min(out.shape) if out.shape else 1
            if smallest < 1:
                # Spatial size below 1 is an error. torch sometimes returns an empty tensor
                # instead (a transposed convolution, batch of two or more) but refuses the same
                # layer for a batch of one, and an empty tensor carries nothing to learn from.
                where = _at_output(spec, port, len(outputs))
                size = msg("a negative size") if smallest < 0 else msg("an empty output")
                raise ctx.fail(
                    msg(
                        "would produce {size} {shape}{where}; the input is too small for these "
                        "settings",
                        size=size,
                        shape=format_shape(out.shape),
                        where=where,
                    )
                )
        count = spec.count_params(params, inputs)
    except ShapeError as exc:
        result.problems.append(
            Problem("error", exc.code, exc.message, node.id, exc.port, exc.param, line=exc.line)
        )
        return
    except Exception as exc:  # a bug in a shape rule must not take the editor (or CLI) down
        result.problems.append(
            Problem(
                "error",
                ProblemCode.INTERNAL,
                msg(
                    "{node} could not be checked: Netwright's rule for {type} failed "
                    "({error}); please report this",
                    node=title(node),
                    type=spec.type,
                    error=type(exc).__name__,
                ),
                node.id,
            )
        )
        return
    result.outputs = list(outputs)
    result.resolved = params
    result.params = count
    for message, param in zip(ctx.warnings, ctx.warning_params, strict=True):
        result.problems.append(
            Problem("warning", ProblemCode.ADVICE, message, node.id, None, param)
        )


def dtype_problem(
    node: Node, spec: LayerSpec, tensor: TensorType, source: str, port: int
) -> Problem:
    """Floats reaching a layer that looks up ids, or ids reaching one that computes on floats."""
    if spec.dtype == "int":
        message = msg(
            "{node} looks up whole-number ids (int64) but receives floating-point values from "
            "{source}; feed it from an Input with dtype int64",
            node=title(node),
            source=source,
        )
    else:
        message = msg(
            "{node} works on floating-point numbers but receives whole-number ids (int64) from "
            "{source}; turn ids into vectors with an Embedding first",
            node=title(node),
            source=source,
        )
    return Problem("error", ProblemCode.DTYPE, message, node.id, port)


def _at_output(spec: LayerSpec, port: int, outputs: int) -> str:
    """` at its hidden output` for a layer with several outputs; nothing for one output."""
    if outputs < 2:
        return ""
    names = spec.outputs if spec.ports is None else ()
    if port >= len(names):  # ports that follow from the params: named by number
        return msg(" at its output {number}", number=port)
    return msg(" at its {output} output", output=term(names[port]))
