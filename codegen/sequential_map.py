"""Which node a module of a block emitted as `nn.Sequential` comes from, for naming the inner
node of an error raised there (torch's `Sequential.forward` runs it, not a generated line)."""

from __future__ import annotations

from codegen.layout import Expr, Repeat


def module_count(item: Expr) -> int | None:
    """How many modules an item of nn.Sequential(...) adds; None when only known at run time."""
    if not isinstance(item, Repeat):
        return 1
    return int(item.count) if item.count.isdigit() else None


def sequential_owner(items: dict[str, list[tuple[str, int | None]]], local: dict) -> str | None:
    """In a traceback frame of torch's `Sequential.forward` (`for module in self: ...`) for a
    block emitted as nn.Sequential: the node whose module was running. A count known only at
    run time is what the other items leave; with two such counts the node is not named."""
    owner_items = items.get(type(local.get("self")).__name__)
    module = local.get("module")
    if owner_items is None or module is None:
        return None
    children = list(local["self"])
    index = next((i for i, child in enumerate(children) if child is module), None)
    unknown = [count for _, count in owner_items if count is None]
    if index is None or len(unknown) > 1:
        return None
    rest = len(children) - sum(count or 0 for _, count in owner_items)
    start = 0
    for node_id, count in owner_items:
        start += rest if count is None else count
        if index < start:
            return node_id
    return None
