"""Notifications a Project sends to whoever listens (the canvas, the code preview, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.model_types import Edge, Node

if TYPE_CHECKING:
    from graph.blocks import BlockDef


@dataclass(frozen=True, slots=True)
class NodeAdded:
    node: Node
    index: int


@dataclass(frozen=True, slots=True)
class NodeRemoved:
    node: Node
    index: int


@dataclass(frozen=True, slots=True)
class EdgeAdded:
    edge: Edge
    index: int


@dataclass(frozen=True, slots=True)
class EdgeRemoved:
    edge: Edge
    index: int


@dataclass(frozen=True, slots=True)
class ParamChanged:
    node_id: str
    name: str
    value: Any  # UNSET when the param went back to torch's default


@dataclass(frozen=True, slots=True)
class NodeFrozen:
    """A node was frozen (its parameters get no gradient) or thawed."""

    node_id: str
    frozen: bool


@dataclass(frozen=True, slots=True)
class NodeOptionChanged:
    """A node's `repeat` or `shares` changed."""

    node_id: str
    option: str  # "repeat" or "shares"
    value: Any  # None when the option was cleared


@dataclass(frozen=True, slots=True)
class NodeMoved:
    node_id: str
    pos: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class NodeRelabeled:
    node_id: str
    label: str | None


@dataclass(frozen=True, slots=True)
class ProjectRenamed:
    name: str


@dataclass(frozen=True, slots=True)
class TrainingChanged:
    training: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BlockAdded:
    block: BlockDef
    index: int


@dataclass(frozen=True, slots=True)
class BlockRemoved:
    block: BlockDef
    index: int


@dataclass(frozen=True, slots=True)
class BlockEdited:
    """Something inside block `name` changed (its drawing or its params).

    `event` is the body's own notification (None for a change of the params); `affected` is
    `name` and every block that contains it, directly or through others: the instances of these
    blocks are what needs checking again.
    """

    name: str
    event: Any
    affected: frozenset[str]


@dataclass(frozen=True, slots=True)
class CodeRunsChanged:
    """Code nodes have new answers: the project was trusted (or not), or a run finished."""

    trusted: bool


ProjectEvent = (
    NodeAdded
    | NodeRemoved
    | EdgeAdded
    | EdgeRemoved
    | ParamChanged
    | NodeFrozen
    | NodeOptionChanged
    | NodeMoved
    | NodeRelabeled
    | ProjectRenamed
    | TrainingChanged
    | BlockAdded
    | BlockRemoved
    | BlockEdited
    | CodeRunsChanged
)
