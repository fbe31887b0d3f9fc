"""`nn.init` calls in a class's `__init__`: for a node's own layer, for every copy of a repeated
layer, and for the layers of a block emitted as `nn.Sequential` (reached by index).

A scheme's arguments are numbers or one of graph/init.py's CHOICES, never user text; the tensors
come from the layer spec with the node's checked params (block params filled in).
"""

from __future__ import annotations

from typing import Any

from codegen.layout import Atom, Call, Expr, Keyword, Repeat, statement
from graph.init import init_calls
from graph.model_types import Node

INDENT = 8


def init_lines(
    node: Node, spec: Any, params: dict[str, Any], target: str, copies: bool
) -> list[str]:
    """The calls for a node whose module is `target` (`self.fc1`, `self[2]`); with `copies`,
    `target` holds the copies of a repeated layer."""
    if not node.init or spec is None:
        return []
    calls = init_calls(node, spec, params)
    if not calls:
        return []
    if not copies:
        return _calls(calls, target, INDENT)
    # every copy starts the same way: the copies are the items of an nn.Sequential
    return [f"{' ' * INDENT}for layer in {target}:", *_calls(calls, "layer", INDENT + 4)]


def _calls(
    calls: list[tuple[str, str, list[tuple[str, str]]]], owner: str, indent: int
) -> list[str]:
    lines = []
    for func, tensor, args in calls:
        keywords = tuple(Keyword(name, Atom(value)) for name, value in args)
        lines += statement(Call(func, (Atom(f"{owner}.{tensor}"), *keywords)), indent)
    return lines


def frozen_lines(target: str, copies: bool) -> list[str]:
    """`self[2].requires_grad_(False)` for a frozen node of a block emitted as nn.Sequential."""
    pad = " " * INDENT
    if not copies:
        return [f"{pad}{target}.requires_grad_(False)  # frozen"]
    return [f"{pad}for layer in {target}:", f"{pad}    layer.requires_grad_(False)  # frozen"]


class SequentialIndex:
    """Where each node's modules sit in a block emitted as `nn.Sequential(a, *[b ...], c)`:
    `self[2]` for one module, `list(self)[1 : n + 1]` for a repeat (a count may be a param)."""

    def __init__(self) -> None:
        self._known = 0  # modules counted as a number
        self._counts: list[str] = []  # repeat counts only known as source (`convs - 1`)

    def _offset(self) -> str:
        terms = [*self._counts]
        if self._known or not terms:
            terms.append(str(self._known))
        return " + ".join(terms)

    def take(self, items: list[Expr]) -> tuple[str, bool]:
        """The target for a node's items and whether it holds copies; then move past them."""
        start = self._offset()
        for item in items:
            if isinstance(item, Repeat):
                if item.count.isdigit():
                    self._known += int(item.count)
                else:
                    count = item.count
                    self._counts.append(count if count.isidentifier() else f"({count})")
            else:
                self._known += 1
        if len(items) == 1 and not isinstance(items[0], Repeat):
            return f"self[{start}]", False
        # a slice of an nn.Sequential subclass would call its constructor: slice a list
        return f"list(self)[{start} : {self._offset()}]", True
