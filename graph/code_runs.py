"""What the checker asks of whoever runs Code nodes, and how it words what comes back.

The graph never runs user code: a project holds a `CodeRunner` only once its code is trusted
(runtime/code_runner.py supplies one; the CLI with --trust, the editor after the user says yes).
A runner answers a `CodeRequest` with a `CodeOutcome`, or with None while the answer is still
being worked out in the background (the project is told again when it arrives).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from graph.tensor import FLOAT, INT, TensorType
from i18n import msg

BATCH = 2  # the batch size a Code node is run with (its outputs must keep it first)
TensorSpec = tuple[tuple[int, ...], str]  # (shape without the batch, dtype name)


@dataclass(frozen=True)
class CodeRequest:
    """Run this class on inputs of these shapes: construct with `args`, call forward."""

    source: str
    args: dict[str, Any]
    outputs: int  # how many tensors forward returns (more than one: a tuple)
    inputs: tuple[TensorSpec, ...]

    def key(self) -> str:
        """What results are remembered by: the source, the arguments and the input shapes."""
        return json.dumps(
            [self.source, self.args, self.outputs, [[*list(s), d] for s, d in self.inputs]],
            sort_keys=True,
        )


# What went wrong, as the worker classifies it (the checker words it for a learner).
FAILURES = ("syntax", "construct", "forward", "not_tensor", "count", "batch", "timeout", "crash")


@dataclass(frozen=True)
class CodeOutcome:
    """The output shapes and parameter count, or the failure with the user's line number."""

    outputs: tuple[TensorSpec, ...] = ()
    params: int = 0
    failure: str | None = None  # one of FAILURES
    detail: str = ""  # the exception's type and text, or what was returned instead
    line: int | None = None  # the line of the user's source where it happened
    meta: bool = True  # shapes came from meta tensors (False: a small real batch)

    def to_json(self) -> dict[str, Any]:
        return {
            "outputs": [[list(s), d] for s, d in self.outputs],
            "params": self.params,
            "failure": self.failure,
            "detail": self.detail,
            "line": self.line,
            "meta": self.meta,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> CodeOutcome:
        return CodeOutcome(
            tuple((tuple(s), d) for s, d in data["outputs"]),
            data["params"],
            data["failure"],
            data["detail"],
            data["line"],
            data["meta"],
        )


class CodeRunner(Protocol):
    """Runs Code nodes for the checker (in another process, with a time limit)."""

    def run(self, request: CodeRequest) -> CodeOutcome | None:
        """The outcome; None while it is still being worked out (the project hears when done)."""
        ...


def tensor_spec(t: TensorType) -> TensorSpec:
    return (tuple(t.shape), t.dtype)


def tensor_type(spec: TensorSpec) -> TensorType:
    shape, dtype = spec
    return TensorType(tuple(shape), INT if dtype.startswith(("int", "uint")) else FLOAT)


def returned_words(what: str) -> str:
    """The worker's note of what forward returned (`tensor 2,3`, `tuple 2`, `type int`) in
    words: `a tensor of shape [2, 3] for a batch of 2`."""
    kind, _, rest = what.partition(" ")
    if kind == "tensor":
        shape = "[" + ", ".join(rest.split(",")) + "]" if rest else "[]"
        return msg("a tensor of shape {shape} for a batch of {batch}", shape=shape, batch=BATCH)
    if kind in ("tuple", "list"):
        return msg("a {kind} of {count} items", kind=kind, count=rest)
    return msg("a value of type {name}", name=rest or what)


def failure_message(outcome: CodeOutcome, class_name: str, outputs: int, limit: float) -> str:
    """The failure in a learner's words, with the line of their code where one is known."""
    where = msg(" (line {line})", line=outcome.line) if outcome.line else ""
    detail = outcome.detail
    if outcome.failure in ("not_tensor", "count", "batch"):
        detail = returned_words(detail)
    match outcome.failure:
        case "syntax":
            return msg("has a mistake in its code{where}: {error}", where=where, error=detail)
        case "construct":
            return msg(
                "could not be built: {name}(...) raised {error}{where}",
                name=class_name,
                error=detail,
                where=where,
            )
        case "forward":
            return msg(
                "failed when run on its input: forward raised {error}{where}",
                error=detail,
                where=where,
            )
        case "not_tensor":
            return msg("must return a tensor from forward, but returned {what}", what=detail)
        case "count":
            return msg(
                "returns {what} from forward, but the node has outputs={outputs}; set outputs "
                "to the number of tensors forward returns",
                what=detail,
                outputs=outputs,
            )
        case "batch":
            return msg(
                "must keep the batch as the first dimension of what forward returns, but "
                "returned {what}",
                what=detail,
            )
        case "timeout":
            return msg(
                "took longer than {seconds} s to run on a small input, so it was stopped; look "
                "for a loop that never ends",
                seconds=detail or f"{limit:g}",
            )
    return msg("stopped its worker process: {error}", error=detail or msg("it crashed"))
