"""What goes wrong in a run, said in one line and located at the node at fault when known."""

from __future__ import annotations

import torch

from graph import Project
from graph.messages import title
from i18n import msg
from runtime.divergence import first_non_finite
from runtime.network import Network, describe_failure, exception_line


class RunFailed(Exception):
    """Ends a run as `failed`; `node_id` is the node the canvas and Problems list mark, `path`
    (inside a block) the ids from it down to the inner node."""

    def __init__(self, message: str, node_id: str | None = None, path: tuple[str, ...] = ()):
        super().__init__(message)
        self.node_id = node_id
        self.path = tuple(path)


class Diverged(RunFailed):
    """The loss became NaN or infinite; where it started is worked out afterwards."""


def _inner(path: list[str]) -> tuple[str, ...]:
    """A path worth passing on: one that goes inside a block."""
    return tuple(path) if len(path) > 1 else ()


def is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    text = str(exc).lower()  # MPS and the CPU allocator raise plain RuntimeErrors
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate" in text)


class FailureNamer:
    """Turns an exception from forward, loss or backward into a RunFailed naming its node: the
    node whose generated line raised it, or for a loss that does not fit the output, the node
    that makes the output."""

    def __init__(self, project: Project, network: Network, device: torch.device, batch_size: int):
        self.project = project
        self.network = network
        self.device = device
        self.batch_size = batch_size

    def __call__(self, exc: Exception, in_loss: bool = False) -> RunFailed:
        node = self.network.node_for_exception(exc)
        if is_out_of_memory(exc):
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            where = ""
            if node is not None:
                culprit = self.project.node(node)
                where = msg(" in {type} '{name}'", type=culprit.type, name=culprit.name)
            return RunFailed(
                msg(
                    "out of memory{where} on {device} with batch size {batch_size}: try a "
                    "smaller batch size or a smaller network",
                    where=where,
                    device=self.device,
                    batch_size=self.batch_size,
                ),
                node,
            )
        if node is None and in_loss:
            return self._loss_failure(exc)
        path = self.network.path_for_exception(exc)
        return RunFailed(describe_failure(exc, node, self.project, path), node, _inner(path))

    def locate_divergence(self, failure: RunFailed, batch: torch.Tensor | None) -> RunFailed:
        """`failure` (a NaN loss) with the first layer whose output is not finite although its
        input is, found by running `batch` through the network once more."""
        if batch is None:
            return failure
        path = first_non_finite(self.network, batch)
        if not path:
            return failure
        node = self.project.node(path[0])
        where = ".".join(path)
        message = msg(
            "{failure}; the first values that are not finite come from {node}{at}",
            failure=str(failure),
            node=title(node),
            at=msg(" at {path}", path=where) if len(path) > 1 else "",
        )
        return RunFailed(message, path[0], _inner(path))

    def _loss_failure(self, exc: Exception) -> RunFailed:
        last = self.network.last_layer(self.project)
        text = exception_line(exc)
        shape = self.network.output_shape
        where = title(self.project.node(last)) if last is not None else msg("the output")
        hint = (
            msg("add a Flatten before the last Linear so that each sample gives one row of scores")
            if len(shape) > 1
            else msg("make the last layer give what the loss compares with")
        )
        return RunFailed(
            msg(
                "the loss cannot compare the output of {where} (shape {shape} per sample) with "
                "the targets ({text}): {hint}",
                where=where,
                shape=shape,
                text=text,
                hint=hint,
            ),
            last,
        )
