"""Layers kept in an `nn.ModuleList` or `nn.ModuleDict`, and the order `__init__` defines layers in.

A model that walks a ModuleList (`for layer in self.layers: x = layer(x)`) or indexes a
ModuleDict (`self.heads["a"](x)`) has state_dict keys `layers.0.weight`, `heads.a.weight`. The
importer marks each such node with the container it sits in (MEMBER_KEY); the generated class
then builds the container with every member in its place (`self.layers = nn.ModuleList([...])`)
and calls `self.layers[0](x)`, so the keys are the model's. The node keeps a readable id
(`layers_0`) on the canvas; its attribute path in codegen's maps is the module's path
(`layers.0`), which `module_at` resolves on a built network. Containers nest
(`self.stages[0][1]`, keys `stages.0.1.weight`), and a Parameter node's tensor can sit in an
`nn.ParameterList` or `nn.ParameterDict` (`self.scales[0]`, key `scales.0`).

INIT_ORDER_KEY is the place the model registered a node's module (or tensor) in: a state_dict
lists the modules in that order, which need not be the order forward calls them (swin's
PatchMerging defines `reduction` before the `norm` it calls first). `__init__` takes the nodes
that have one in that order, in the places the call order gives such nodes; others stay put.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from codegen.emitters import string_literal
from codegen.layout import Expr, Keyword, item_lines

# A node's file entry: {"of": "layers", "type": "ModuleList", "index": 0} or
# {"of": "heads", "type": "ModuleDict", "key": "a", "index": 0}; index: its place in the container.
# A container inside a container (`self.stages[0][1]`) adds the inner places, outermost first:
# {"of": "stages", "type": "ModuleList", "index": 0, "nested": [{"type": "ModuleList", "index": 1}]}
MEMBER_KEY = "member"
NESTED = "nested"
INIT_ORDER_KEY = "init_order"  # a node's file entry: where the model registered its module
LIST, DICT = "ModuleList", "ModuleDict"
# a Parameter node's tensor in an nn.ParameterList / nn.ParameterDict (`self.scales[0]`); such a
# place is always the last of a member's places, as these hold tensors, not containers
PARAMETER_LIST, PARAMETER_DICT = "ParameterList", "ParameterDict"
LISTS, DICTS = frozenset({LIST, PARAMETER_LIST}), frozenset({DICT, PARAMETER_DICT})
TENSOR_KINDS = frozenset({PARAMETER_LIST, PARAMETER_DICT})
# Names an nn.ModuleDict or nn.ParameterDict refuses as keys (its own methods) besides nn.Module's
_DICT_METHODS = frozenset(
    {"clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault"}
    | {"update", "values"}
)
MAX_DEPTH = 8  # containers in containers a file may describe

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """One place in one container: index `index` of a ModuleList, or key `key` (at place
    `index`) of a ModuleDict."""

    kind: str
    index: int
    key: str = ""

    @property
    def place(self) -> str | int:
        return self.key if self.kind in DICTS else self.index


@dataclass(frozen=True)
class Member:
    """Where a node's module sits: in the container attribute `of`, at `steps[0]`, and, where
    that place holds a container again, at `steps[1]` inside it, and so on."""

    of: str
    steps: tuple[Step, ...]

    @property
    def kind(self) -> str:
        return self.steps[0].kind

    @property
    def holds_tensor(self) -> bool:
        """Whether the place is in a ParameterList or ParameterDict (a Parameter node's)."""
        return self.steps[-1].kind in TENSOR_KINDS


def read_member(extra: dict[str, Any], reserved: frozenset[str]) -> Member | None:
    """The node's container, or None where its entry is absent or cannot be written (the node
    then gets an attribute of its own). `reserved`: names no ModuleDict key may take."""
    entry = extra.get(MEMBER_KEY)
    if not isinstance(entry, dict):
        return None
    of = entry.get("of")
    if not isinstance(of, str) or not of.isidentifier() or of.startswith("_"):
        return None
    nested = entry.get(NESTED, [])
    if not isinstance(nested, list) or len(nested) >= MAX_DEPTH:
        return None
    steps = [_read_step(item, reserved) for item in [entry, *nested]]
    if any(step is None for step in steps):
        return None
    if any(step is not None and step.kind in TENSOR_KINDS for step in steps[:-1]):
        return None  # a ParameterList holds tensors, not containers
    return Member(of, tuple(step for step in steps if step is not None))


def _read_step(entry: Any, reserved: frozenset[str]) -> Step | None:
    if not isinstance(entry, dict):
        return None
    kind, index, key = entry.get("type"), entry.get("index"), entry.get("key")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    if kind in LISTS:
        return Step(kind, index)
    if kind not in DICTS or not isinstance(key, str) or not key or "." in key:
        return None
    if key.startswith("_") or key in reserved or key in _DICT_METHODS:
        return None
    return Step(kind, index, key)


@dataclass
class _Level:
    """One ModuleList or ModuleDict: its children by place, each a node id or a _Level."""

    kind: str
    children: dict[str | int, tuple[Step, _Level | str]] = field(default_factory=dict)

    def ordered(self) -> list[tuple[str, _Level | str]]:
        """(name, child) in the container's order; a ModuleList's names are its positions, so
        places left empty close up, as they would in the model."""
        entries = sorted(self.children.values(), key=lambda entry: (entry[0].index, entry[0].key))
        return [
            (step.key if self.kind in DICTS else str(rank), child)
            for rank, (step, child) in enumerate(entries)
        ]

    def fits(self, steps: tuple[Step, ...]) -> bool:
        """Whether a node can take the place `steps` leads to: every container on the way is
        of the step's kind, and the place is free."""
        level = self
        for depth, step in enumerate(steps):
            if step.kind != level.kind:
                return False
            entry = level.children.get(step.place)
            if entry is None:
                return True  # a free place, or the way to one through containers yet to come
            if depth == len(steps) - 1 or not isinstance(entry[1], _Level):
                return False  # taken, by a layer or by a container
            level = entry[1]
        return True

    def add(self, node_id: str, steps: tuple[Step, ...]) -> None:
        level = self
        for step, inner in itertools.pairwise(steps):
            if step.place not in level.children:
                level.children[step.place] = (step, _Level(inner.kind))
            found = level.children[step.place][1]
            assert isinstance(found, _Level)
            level = found
        level.children[steps[-1].place] = (steps[-1], node_id)


@dataclass
class Container:
    """One container attribute of a class and the nodes whose modules it holds, at any depth."""

    attribute: str
    root: _Level
    members: list[str] = field(default_factory=list)  # node ids in the order they are built
    _paths: dict[str, str] = field(default_factory=dict)
    _access: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.root.kind

    def index(self) -> None:
        """Record the order members are built in, and each member's module path and source
        (both read on the way down)."""
        self.members, self._paths, self._access = [], {}, {}

        def walk(level: _Level, path: str, access: str) -> None:
            for name, child in level.ordered():
                here = string_literal(name) if level.kind in DICTS else name
                if isinstance(child, _Level):
                    walk(child, f"{path}.{name}", f"{access}[{here}]")
                else:
                    self.members.append(child)
                    self._paths[child] = f"{path}.{name}"
                    self._access[child] = f"{access}[{here}]"

        walk(self.root, self.attribute, self.attribute)

    def path(self, node_id: str) -> str:
        """The member's module path (`layers.0`, `heads.a`, `stages.0.1`): its state_dict
        prefix."""
        return self._paths[node_id]

    def access(self, node_id: str) -> str:
        """The member's module in source, after `self.`: `layers[0]`, `heads["a"]`,
        `stages[0][1]`."""
        return self._access[node_id]

    def lines(self, items: dict[str, Expr], indent: int) -> list[tuple[list[str], str | None]]:
        """`self.layers = nn.ModuleList(`, `[`, each item's lines, `]`, `)`, with each item
        apart (a trailing comma keeps it so) and paired with its node id, so an error building
        one names its node; an inner container opens and closes on lines of its own."""
        pad = " " * indent
        parts: list[tuple[list[str], str | None]] = [
            ([f"{pad}self.{self.attribute} = nn.{self.kind}("], None)
        ]
        _level_lines(self.root, items, indent + 4, parts)
        parts.append(([f"{pad})"], None))
        return parts


def _level_lines(
    level: _Level,
    items: dict[str, Expr],
    indent: int,
    parts: list[tuple[list[str], str | None]],
) -> None:
    """`[` (or `{`) at `indent`, the children one level in, then the closing bracket."""
    pad, inner = " " * indent, indent + 4
    opening, closing = "[]" if level.kind in LISTS else "{}"
    parts.append(([f"{pad}{opening}"], None))
    for name, child in level.ordered():
        prefix = f"{string_literal(name)}: " if level.kind in DICTS else ""
        if isinstance(child, _Level):
            parts.append(([f"{' ' * inner}{prefix}nn.{child.kind}("], None))
            _level_lines(child, items, inner + 4, parts)
            parts.append(([f"{' ' * inner}),"], None))
        elif level.kind in DICTS:
            parts.append(
                (item_lines(Keyword(string_literal(name), items[child]), inner, ",", ": "), child)
            )
        else:
            parts.append((item_lines(items[child], inner, ","), child))
    parts.append(([f"{pad}{closing}"], None))


def containers_of(
    members: dict[str, Member], attribute: Callable[[str], str]
) -> dict[str, Container]:
    """node id -> its Container, for the nodes of one class. A place taken twice (a ModuleDict
    key, a ModuleList index: a layer called twice), a place that is a layer for one node and a
    container for another, or a container of two kinds leaves the later nodes out, with
    attributes of their own, as a second module in one place would shift the keys after it.
    `attribute`: a fresh attribute name."""
    by_name: dict[str, Container] = {}
    found: dict[str, Container] = {}
    # stable: of two nodes claiming one place, the first in `members` (call order) keeps it
    ordered = sorted(members.items(), key=lambda item: item[1].of)
    for node_id, member in ordered:
        container = by_name.get(member.of)
        if container is None:
            container = by_name[member.of] = Container(attribute(member.of), _Level(member.kind))
        if not container.root.fits(member.steps):
            continue
        container.root.add(node_id, member.steps)
        found[node_id] = container
    for container in by_name.values():
        container.index()
    return found


def in_init_order(entries: list[T], order_of: Callable[[T], int | None]) -> list[T]:
    """`entries` (in call order) sorted by their init order (`order_of`), each one without
    one (a ReLU drawn for `F.relu`) kept right after the entry it follows in call order."""
    groups: list[tuple[int, list[T]]] = []
    for entry in entries:
        order = order_of(entry)
        if order is not None or not groups:
            groups.append((order if order is not None else -1, [entry]))
        else:
            groups[-1][1].append(entry)
    groups.sort(key=lambda group: group[0])  # stable: ties keep call order
    return [entry for _, group in groups for entry in group]


def module_at(owner: Any, path: str) -> Any:
    """The module at an attribute path of codegen's maps (`conv1`, `layers.0`, `heads.a`, `0`)
    in a built network, or None."""
    for part in path.split("."):
        owner = getattr(owner, part, None)
        if owner is None:
            return None
    return owner
