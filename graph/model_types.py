"""The plain records a project is made of: nodes and the wires between their ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # a param that is not set in the file: torch's default (or inferred) applies
FROZEN_KEY = "frozen"  # a node's file entry: its parameters are not trained
# A node's file entry: a module the model owns (its weights are in the state_dict) but forward
# never calls, as googlenet's auxiliary heads in eval: built in __init__, not wired, not called.
NOT_CALLED_KEY = "not_called"


@dataclass(eq=False)
class Node:
    """A layer on the canvas. `params` holds only what the user set; the rest are defaults."""

    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] | None = None
    label: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys we do not know, kept on save
    # N copies in sequence, each with its own weights (an int, or a block-param expression).
    repeat: int | str | None = None
    shares: str | None = None  # the id of a node whose layer object this node calls again
    init: dict[str, Any] = field(default_factory=dict)  # tensor -> nn.init scheme (graph/init.py)

    @property
    def frozen(self) -> bool:
        """Marked frozen: its parameters get no gradient (saved in the file as "frozen": true)."""
        return self.extra.get(FROZEN_KEY) is True

    @property
    def not_called(self) -> bool:
        """Kept but not called (NOT_CALLED_KEY): only a Code node can be."""
        return self.extra.get(NOT_CALLED_KEY) is True and self.type == "Code"

    @property
    def name(self) -> str:
        """What the user calls this node: its label, or its id."""
        return self.label or self.id

    def copy(self) -> Node:
        init = {k: dict(v) if isinstance(v, dict) else v for k, v in self.init.items()}
        return Node(
            self.id,
            self.type,
            dict(self.params),
            self.pos,
            self.label,
            dict(self.extra),
            self.repeat,
            self.shares,
            init,
        )


@dataclass(frozen=True, slots=True)
class Edge:
    """A wire from an output port of `source` to an input port of `target`."""

    source: str
    target: str
    source_port: int = 0
    target_port: int = 0
    # Keys a file gave this wire that we do not know, kept on save; no part of its identity.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
