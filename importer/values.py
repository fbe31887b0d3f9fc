"""The values an import tracks while it turns an fx trace into a drawing: a node's output port,
the batch size read from a shape, what the drawing cannot hold (and why), and the drawing being
built with what the import learns on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph import Project
from i18n import msg
from importer.code_nodes import KnownShapes


@dataclass(frozen=True)
class Port:
    node: str
    port: int = 0


class Batch(int):
    """The batch size read from a shape: still a number, but known to be the batch."""


@dataclass
class Unmapped:
    """A value the drawing cannot hold; the message names the operation and its line."""

    message: str


@dataclass
class ModelTensor(Unmapped):
    """A tensor the traced module owns (`self.class_token`): a Parameter node where it is
    used as one is (added elementwise, or expanded over the batch), unmapped elsewhere."""

    target: str = ""


@dataclass
class LayerFirst(Unmapped):
    """An RNN's h_n or c_n as torch gives it, [layers, batch, features]; the drawing's `port`
    has it batch first. A layer picked (`h_n[-1]`), or the first two dims swapped, is a tensor
    the drawing holds (importer.indexing); any other use is refused with the message."""

    port: Port = field(default_factory=lambda: Port(""))
    state: str = ""


@dataclass
class Drawing:
    project: Project
    inferred: dict[str, dict[str, Any]] = field(default_factory=dict)  # node -> module values
    module_nodes: dict[str, str] = field(default_factory=dict)  # module path -> node id
    owned_unused: list[str] = field(default_factory=list)  # modules with weights never called
    left_out: set[str] = field(default_factory=set)  # training-only functions, identity in eval
    known: KnownShapes = field(default_factory=KnownShapes)  # the Code nodes' traced shapes


def result_ports(layer_type: str, node_id: str, outputs: int) -> Any:
    if outputs == 1:
        return Port(node_id)
    if layer_type in ("RNN", "GRU", "LSTM"):  # h_n and c_n: the batch second, as torch has it
        states = [layer_first(node_id, i, state) for i, state in enumerate(("h_n", "c_n"), 1)]
        if layer_type == "LSTM":
            return (Port(node_id), tuple(states))
        return (Port(node_id), states[0])
    return tuple(Port(node_id, i) for i in range(outputs))


def layer_first(node_id: str, port: int, state: str) -> LayerFirst:
    why = msg(
        "{state} of '{node}' is used as torch gives it, [layers, batch, features], but the "
        "drawing keeps the batch first: pick one layer of it (as {state}[-1]) or swap its first "
        "two dims (transpose(0, 1)) first",
        state=state,
        node=node_id,
    )
    return LayerFirst(why, Port(node_id, port), state)


def is_plain(value: Any) -> bool:
    return not isinstance(value, Port | Unmapped | tuple | list)
