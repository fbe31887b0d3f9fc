"""Block definitions: a part drawn once (its own nodes and wires) and used as a node elsewhere.

A block's drawing is a Project of its own (its *body*), edited with the same methods and
notifications as the top level, so a canvas shows and edits it the same way. Its `Input` nodes
without a shape are its input ports (the k-th listed is port k), its `Output` nodes its output
ports. A node whose `type` is a block's name is an *instance*; its params set the block's params,
which inner params read as `"$planes"` or `"$planes * 4"` (graph/expressions.py).

The `Blocks` of a project are shared by the top level and every body, so an instance anywhere
finds its definition; an edit inside a body is passed on to the top level as `BlockEdited`,
naming every block that depends on the one edited.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.events import BlockAdded, BlockEdited, BlockRemoved, NodeMoved, ProjectEvent
from graph.params import ParamSpec
from graph.spec import get_spec
from i18n import msg

if TYPE_CHECKING:
    from graph.project import Project

BLOCK_PARAM_KINDS = ("int", "float", "bool")
_PARAM_KEYS = {"type", "default", "min", "max", "doc"}


class BlockError(ValueError):
    """A block definition the model refuses (a bad name, a duplicate, a bad param declaration)."""


def block_name_problem(name: Any) -> str | None:
    """Why `name` cannot name a block, or None: an ASCII identifier that is no layer type."""
    if not isinstance(name, str) or not name.isascii() or not name.isidentifier():
        return msg(
            "a block name must be an identifier (letters, digits, _), not {name}", name=repr(name)
        )
    if keyword.iskeyword(name):
        return msg("a block name cannot be the Python keyword '{name}'", name=name)
    if get_spec(name) is not None:
        return msg("the block name '{name}' is already a layer type", name=name)
    return None


def already_exists(name: str) -> str:
    return msg("a block called '{name}' already exists", name=name)


def param_from_json(name: str, raw: Any) -> ParamSpec:
    """A block param declared as `{"type": "int", "default": 64, "min": 1, "doc": "..."}`."""
    if not isinstance(name, str) or not name.isascii() or not name.isidentifier():
        raise BlockError(
            msg("a block parameter name must be an identifier, not {name}", name=repr(name))
        )
    if keyword.iskeyword(name):
        raise BlockError(msg("a block parameter cannot be called '{name}'", name=name))
    if not isinstance(raw, dict):
        raise BlockError(
            msg('parameter \'{name}\' must be an object such as {{"type": "int"}}', name=name)
        )
    unknown = sorted(set(raw) - _PARAM_KEYS)
    if unknown:
        raise BlockError(
            msg("parameter '{name}' has the unknown key '{key}'", name=name, key=unknown[0])
        )
    kind = raw.get("type", "int")
    if kind not in BLOCK_PARAM_KINDS:
        raise BlockError(
            msg(
                "parameter '{name}' has type {kind}; a block parameter is int, float or bool",
                name=name,
                kind=repr(kind),
            )
        )
    bounds = []
    for key in ("min", "max"):
        value = raw.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or kind == "bool"
        ):
            raise BlockError(
                msg("parameter '{name}': \"{key}\" must be a number", name=name, key=key)
            )
        bounds.append(value)
    doc = raw.get("doc", "")
    if not isinstance(doc, str):
        raise BlockError(msg("parameter '{name}': \"doc\" must be a string", name=name))
    default = raw.get("default")
    spec = ParamSpec(name, kind, default, doc, bounds[0], bounds[1], required=default is None)
    if default is not None:
        try:
            spec.check(default)
        except ValueError as exc:
            raise BlockError(
                msg("parameter '{name}': the default is wrong ({error})", name=name, error=exc)
            ) from None
    return spec


def param_to_json(param: ParamSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": param.kind}
    if param.default is not None:
        entry["default"] = param.default
    if param.minimum is not None:
        entry["min"] = param.minimum
    if param.maximum is not None:
        entry["max"] = param.maximum
    if param.doc:
        entry["doc"] = param.doc
    return entry


@dataclass(eq=False)
class BlockDef:
    """One block: its name, its own params (like a layer's schema) and its drawing."""

    name: str
    params: tuple[ParamSpec, ...]
    body: Project
    extra: dict[str, Any] = field(default_factory=dict)  # keys we do not know, kept on save

    @property
    def param_index(self) -> dict[str, ParamSpec]:
        return {p.name: p for p in self.params}

    @property
    def input_ids(self) -> list[str]:
        """The Input nodes that are ports (no shape of their own), in port order."""
        return [n.id for n in self.body.nodes if n.type == "Input" and "shape" not in n.params]

    @property
    def output_ids(self) -> list[str]:
        return [n.id for n in self.body.nodes if n.type == "Output"]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def uses(self) -> list[str]:
        """The block types instanced in this block's drawing, each once, in node order."""
        found: list[str] = []
        library = self.body.blocks
        for node in self.body.nodes:
            if node.type in library and node.type not in found:
                found.append(node.type)
        return found


class Blocks:
    """The block definitions of one project, in order; shared by the top level and all bodies.

    Every change is announced through `emit` (the top-level Project's notifier): additions,
    removals, and any edit inside a body as `BlockEdited`.
    """

    def __init__(self, emit: Callable[[ProjectEvent], None]) -> None:
        self._emit = emit
        self._defs: dict[str, BlockDef] = {}
        self._forwarders: dict[str, Callable[[ProjectEvent], None]] = {}
        # Worked out from the definitions, dropped when a block they depend on changes
        # (graph/instances.py fills them): runs by (block, params, inputs), specs by name.
        self.runs: dict[tuple, Any] = {}
        self.specs: dict[str, Any] = {}
        # Runs Code nodes for the top level and every body (graph/code_runs.py); None: untrusted.
        self.code_runner: Any = None
        self._cycles: dict[str, list[str] | None] | None = None

    # --- reading -------------------------------------------------------------------------------

    def __contains__(self, name: object) -> bool:
        return name in self._defs

    def __iter__(self) -> Iterator[BlockDef]:
        return iter(list(self._defs.values()))

    def __len__(self) -> int:
        return len(self._defs)

    def get(self, name: str) -> BlockDef | None:
        return self._defs.get(name)

    def names(self) -> list[str]:
        return list(self._defs)

    def index_of(self, name: str) -> int:
        return list(self._defs).index(name)

    def users(self, name: str) -> list[str]:
        """The blocks whose drawing has an instance of `name` (directly)."""
        return [b.name for b in self._defs.values() if name in b.uses()]

    def affected_by(self, name: str) -> frozenset[str]:
        """`name` and every block that contains it, directly or through others."""
        seen = {name}
        stack = [name]
        while stack:
            for user in self.users(stack.pop()):
                if user not in seen:
                    seen.add(user)
                    stack.append(user)
        return frozenset(seen)

    def cycle_of(self, name: str) -> list[str] | None:
        """`cycle_through`, remembered until the next change of any block."""
        if self._cycles is None:
            self._cycles = {}
        if name not in self._cycles:
            self._cycles[name] = self.cycle_through(name)
        return self._cycles[name]

    def cycle_through(self, name: str) -> list[str] | None:
        """`[A, B, A]` when block `name` contains itself through B; None when it does not."""
        path = [name]
        on_path = {name}
        done: set[str] = set()

        def visit(current: str) -> list[str] | None:
            defn = self._defs.get(current)
            if defn is None:
                return None
            for used in defn.uses():
                if used == name:
                    return [*path, name]
                if used in on_path or used in done:
                    continue
                path.append(used)
                on_path.add(used)
                found = visit(used)
                if found:
                    return found
                path.pop()
                on_path.discard(used)
                done.add(used)
            return None

        return visit(name)

    # --- editing -------------------------------------------------------------------------------

    def add(self, block: BlockDef, index: int | None = None) -> None:
        problem = block_name_problem(block.name)
        if problem:
            raise BlockError(problem)
        if block.name in self._defs:
            raise BlockError(already_exists(block.name))
        items = list(self._defs.items())
        index = len(items) if index is None else index
        items.insert(index, (block.name, block))
        self._defs = dict(items)
        block.body.attach_blocks(self, block.name)
        self._forget(self.affected_by(block.name))
        forward = self._forwarder(block.name)
        self._forwarders[block.name] = forward
        block.body.subscribe(forward)
        self._emit(BlockAdded(block, index))

    def remove(self, name: str) -> tuple[BlockDef, int]:
        block = self._defs.get(name)
        if block is None:
            raise BlockError(msg("there is no block '{name}'", name=name))
        index = self.index_of(name)
        block.body.unsubscribe(self._forwarders.pop(name))
        affected = self.affected_by(name)
        del self._defs[name]
        self._forget(affected)
        self._emit(BlockRemoved(block, index))
        return block, index

    def set_params(self, name: str, params: tuple[ParamSpec, ...]) -> tuple[ParamSpec, ...]:
        """Replace a block's param declarations; returns the old ones, for undo."""
        block = self._defs[name]
        old = block.params
        block.params = tuple(params)
        affected = self.affected_by(name)
        self._forget(affected)
        self._emit(BlockEdited(name, None, affected))
        return old

    def _forget(self, names: frozenset[str]) -> None:
        self._cycles = None
        for name in names:
            self.specs.pop(name, None)
        if self.runs:
            self.runs = {k: v for k, v in self.runs.items() if k[0] not in names}

    def _forwarder(self, name: str) -> Callable[[ProjectEvent], None]:
        def forward(event: ProjectEvent) -> None:
            if isinstance(event, NodeMoved):
                return  # positions mean nothing to a block's users
            affected = self.affected_by(name)
            self._forget(affected)
            self._emit(BlockEdited(name, event, affected))

        return forward
