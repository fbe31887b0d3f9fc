"""Layers kept in an `nn.ModuleList` or `nn.ModuleDict`, and the order `__init__` defines layers in.

A model that walks a ModuleList (`for layer in self.layers: x = layer(x)`) or indexes a
ModuleDict (`self.heads["a"](x)`) has state_dict keys `layers.0.weight`, `heads.a.weight`. The
importer marks each such node with the container it sits in (MEMBER_KEY); the generated class
then builds the container with every member in its place (`self.layers = nn.ModuleList([...])`)
and calls `self.layers[0](x)`, so the keys are the model's. The node keeps a readable id
(`layers_0`) on the canvas; its attribute path in codegen's maps is the module's path
(`layers.0`), which `module_at` resolves on a built network.

INIT_ORDER_KEY is the place the model registered a node's module (or tensor) in: a state_dict
lists the modules in that order, which need not be the order forward calls them (swin's
PatchMerging defines `reduction` before the `norm` it calls first). `__init__` takes the nodes
that have one in that order, in the places the call order gives such nodes; others stay put.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from codegen.emitters import string_literal
from codegen.layout import Expr, Keyword, item_lines

# A node's file entry: {"of": "layers", "type": "ModuleList", "index": 0} or
# {"of": "heads", "type": "ModuleDict", "key": "a", "index": 0}; index: its place in the container
MEMBER_KEY = "member"
INIT_ORDER_KEY = "init_order"  # a node's file entry: where the model registered its module
LIST, DICT = "ModuleList", "ModuleDict"
# Names an nn.ModuleDict refuses as keys (its own methods) besides nn.Module's
_DICT_METHODS = frozenset({"clear", "items", "keys", "pop", "update", "values"})

T = TypeVar("T")


@dataclass(frozen=True)
class Member:
    """Where a node's module sits: container attribute `of`, of type `kind`, under `key`
    (a ModuleDict's) at place `index`."""

    of: str
    kind: str
    index: int
    key: str = ""


def read_member(extra: dict[str, Any], reserved: frozenset[str]) -> Member | None:
    """The node's container, or None where its entry is absent or cannot be written (the node
    then gets an attribute of its own). `reserved`: names no ModuleDict key may take."""
    entry = extra.get(MEMBER_KEY)
    if not isinstance(entry, dict):
        return None
    of, kind, index, key = entry.get("of"), entry.get("type"), entry.get("index"), entry.get("key")
    if not isinstance(of, str) or not of.isidentifier() or of.startswith("_"):
        return None
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    if kind == LIST:
        return Member(of, kind, index)
    if kind != DICT or not isinstance(key, str) or not key or "." in key:
        return None
    if key.startswith("_") or key in reserved or key in _DICT_METHODS:
        return None
    return Member(of, kind, index, key)


@dataclass
class Container:
    """One container of a class: its attribute and its members' node ids in order."""

    attribute: str
    kind: str
    members: list[tuple[str, Member]]

    def path(self, place: int) -> str:
        """The member's module path (`layers.0`, `heads.a`): its state_dict prefix."""
        member = self.members[place][1]
        return f"{self.attribute}.{member.key if self.kind == DICT else place}"

    def access(self, place: int) -> str:
        """The member's module in source, after `self.`: `layers[0]`, `heads["a"]`."""
        member = self.members[place][1]
        index = string_literal(member.key) if self.kind == DICT else str(place)
        return f"{self.attribute}[{index}]"

    def lines(self, items: list[Expr], indent: int) -> list[list[str]]:
        """`self.layers = nn.ModuleList(`, `[`, each item's lines, `]`, `)`, each item apart
        (a trailing comma keeps it so), so an error building one names its node."""
        pad, inner = " " * indent, indent + 8
        brackets = "[]" if self.kind == LIST else "{}"
        parts = [[f"{pad}self.{self.attribute} = nn.{self.kind}(", f"{pad}    {brackets[0]}"]]
        for (_, member), item in zip(self.members, items, strict=True):
            if self.kind == DICT:
                parts.append(
                    item_lines(Keyword(string_literal(member.key), item), inner, ",", ": ")
                )
            else:
                parts.append(item_lines(item, inner, ","))
        parts.append([f"{pad}    {brackets[1]}", f"{pad})"])
        return parts


def containers_of(
    members: dict[str, Member], attribute: Callable[[str], str]
) -> dict[str, Container]:
    """node id -> its Container, for the nodes of one class, members ordered by index. A place
    taken twice (a ModuleDict key, a ModuleList index: a layer called twice) or a container name
    used with two kinds leaves the later nodes out, with attributes of their own, as a second
    module in one place would shift the keys after it. `attribute`: a fresh attribute name."""
    by_name: dict[str, Container] = {}
    found: dict[str, Container] = {}
    ordered = sorted(members.items(), key=lambda item: (item[1].of, item[1].index, item[0]))
    for node_id, member in ordered:
        container = by_name.get(member.of)
        if container is None:
            container = by_name[member.of] = Container(attribute(member.of), member.kind, [])
        if container.kind != member.kind or any(
            _place(m) == _place(member) for _, m in container.members
        ):
            continue
        container.members.append((node_id, member))
        found[node_id] = container
    return found


def _place(member: Member) -> str | int:
    return member.key if member.kind == DICT else member.index


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
