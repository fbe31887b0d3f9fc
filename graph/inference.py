"""Running a layer's shape rule on the tensors that reach it: output types, params, problems."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.messages import title
from graph.model_types import Node
from graph.problem_codes import ProblemCode
from graph.report import NodeReport, Problem
from graph.spec import LayerSpec, ShapeContext, ShapeError
from graph.tensor import FLOAT, INT, TensorType, format_shape

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
) -> None:
    """Run the spec's shape rule; fill `result` with outputs, resolved params, count, problems.

    `wired_outputs` are the output ports that feed something (rules may refuse one, e.g. h_n).
    """
    if spec.dtype != "any":
        wanted = FLOAT if spec.dtype == "float" else INT
        for port, tensor in enumerate(inputs):
            if tensor.dtype != wanted:
                result.problems.append(dtype_problem(node, spec, tensor, sources[port], port))
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
        result.problems.append(
            Problem("error", ProblemCode.SHAPE, exc.message, node.id, exc.port, exc.param)
        )
        return
    except Exception as exc:  # a bug in a shape rule must not take the editor (or CLI) down
        result.problems.append(
            Problem(
                "error",
                ProblemCode.INTERNAL,
                f"{title(node)} could not be checked: Netwright's rule for {spec.type} failed "
                f"({type(exc).__name__}); please report this",
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
        message = (
            f"{title(node)} looks up whole-number ids (int64) but receives floating-point "
            f"values from {source}; feed it from an Input with dtype int64"
        )
    else:
        message = (
            f"{title(node)} works on floating-point numbers but receives whole-number ids "
            f"(int64) from {source}; turn ids into vectors with an Embedding first"
        )
    return Problem("error", ProblemCode.DTYPE, message, node.id, port)
