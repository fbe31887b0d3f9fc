"""Notifications a Project sends to whoever listens (the canvas, the code preview, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.model_types import Edge, Node


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


ProjectEvent = (
    NodeAdded
    | NodeRemoved
    | EdgeAdded
    | EdgeRemoved
    | ParamChanged
    | NodeFrozen
    | NodeMoved
    | NodeRelabeled
    | ProjectRenamed
    | TrainingChanged
)
