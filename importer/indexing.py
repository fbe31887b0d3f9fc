"""A tensor's indexing (`x[:, :2]`, `out[:, -1, :]`, `x[..., 1:]`, `x[:, None]`) as a chain of
layers.

Basic indexing after the batch maps exactly: an int picks one position (Index, torch.select),
a slice with a positive step keeps positions (Slice), None inserts a size-1 dim (Unsqueeze),
`:` and `...` keep dims as they are. Applied one after another, left to right, each at the dim
where the result so far has it (an Index removes its dim, an Unsqueeze adds one), the layers
give what torch gives in one go. The batch (dim 0) is kept whole, as every node keeps it; an
index of the batch, a tensor or list as an index (advanced indexing) or a bound that is not a
number is refused in one line naming the indexing and its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from i18n import msg
from importer.functions import OpRule
from importer.tracing import source_line


class NoLayers(ValueError):
    """Why an indexing has no chain of layers (one line, without where it is)."""


@dataclass(frozen=True)
class IndexStep:
    layer: str  # Index, Slice or Unsqueeze
    params: dict[str, Any]


_ARGUMENTS = {
    "Index": ("dim", "index"),
    "Slice": ("dim", "start", "stop", "step"),
    "Unsqueeze": ("dim",),
}


def index_steps(index: Any, rank: int | None) -> list[IndexStep]:
    """The layers doing `x[index]` on a tensor of `rank` dims (batch included), in order;
    NoLayers saying why there are none."""
    items = list(index) if isinstance(index, tuple) else [index]
    for item in items:
        bounds = (item.start, item.stop, item.step) if isinstance(item, slice) else (item,)
        if any(_read_off_batch(v) for v in bounds):
            raise NoLayers(msg("it uses the batch size as a position"))
        if isinstance(item, slice):
            if not all(v is None or type(v) is int for v in bounds):
                raise NoLayers(msg("a bound of its slice is not a plain number"))
        elif item is not None and item is not Ellipsis and type(item) is not int:
            raise NoLayers(msg("it indexes with a tensor or a list (advanced indexing)"))
    ellipses = sum(1 for item in items if item is Ellipsis)
    if ellipses:
        taken = sum(1 for item in items if item is not None and item is not Ellipsis)
        if rank is None or ellipses > 1 or taken > rank:
            raise NoLayers(msg("the dims its ... stands for are not known"))
        at = items.index(Ellipsis)
        items[at : at + 1] = [slice(None)] * (rank - taken)
    while items and _whole(items[-1]):
        items.pop()  # `out[:, -1, :]`: the trailing `:` keep what is left
    steps: list[IndexStep] = []
    dim = 0  # where the next component's dim is in the result so far
    for item in items:
        if dim == 0 and not _whole(item):
            raise NoLayers(msg("it indexes the batch (dim 0), which every node keeps whole"))
        if item is None:
            steps.append(IndexStep("Unsqueeze", {"dim": dim}))
            dim += 1
        elif isinstance(item, int):
            steps.append(IndexStep("Index", {"dim": dim, "index": int(item)}))
        else:
            if not _whole(item):
                start, stop, step = item.start, item.stop, 1 if item.step is None else item.step
                if step < 1:
                    raise NoLayers(msg("its slice has a step below 1"))
                steps.append(
                    IndexStep("Slice", {"dim": dim, "start": start, "stop": stop, "step": step})
                )
            dim += 1
    return steps


def _read_off_batch(value: Any) -> bool:
    """`x.size(0)`: a number that is the example's batch size, not a position of every batch
    (the builder's `_Batch`; a bool is an int too, but a mask)."""
    return isinstance(value, int) and type(value) not in (int, bool)


def _whole(item: Any) -> bool:
    return isinstance(item, slice) and item in (slice(None), slice(None, None, 1))


class Indexing:
    """The builder's mapping of getitem on a tensor; it needs its trace and `_op`."""

    trace: Any

    def _op(self, n: Any, rule: OpRule, args: tuple, kwargs: dict) -> Any: ...  # the builder's

    def indexed(self, n: Any, value: Any, index: Any) -> Any:
        """`value[index]` at fx node `n` (value a tensor's port) as a chain of layers; Unmapped
        naming the indexing, its line and why where it cannot be one."""
        from importer.build import Port, Unmapped

        for item in index if isinstance(index, tuple) else (index,):
            if isinstance(item, Unmapped):
                return item
            if isinstance(item, slice):
                for bound in (item.start, item.stop, item.step):
                    if isinstance(bound, Unmapped):
                        return bound
        source = self.trace.facts.get(n.args[0])
        shape = getattr(source, "shape", None)
        try:
            steps = index_steps(index, len(shape) if shape is not None else None)
        except NoLayers as exc:
            return Unmapped(
                msg(
                    "the indexing [{index}] at {line} has no layer: {why}",
                    index=index_text(index),
                    line=source_line(n),
                    why=exc,
                )
            )
        result = value
        for step in steps:
            names = _ARGUMENTS[step.layer]
            args = (result, *(step.params[k] for k in names))
            result = self._op(n, OpRule(step.layer, names), args, {})
            if not isinstance(result, Port):
                return result
        return result


def index_text(index: Any) -> str:
    """`:, :2`, `..., None`: the indexing as the code wrote it, for messages."""
    from importer.build import Port

    items = index if isinstance(index, tuple) else (index,)
    out = []
    for s in items:
        if isinstance(s, slice):
            parts = ["" if v is None else _text(v, Port) for v in (s.start, s.stop, s.step)]
            out.append(":".join(parts[:2] if s.step is None else parts))
        else:
            out.append("..." if s is Ellipsis else _text(s, Port))
    return ", ".join(out)


def _text(value: Any, port: type) -> str:
    return "tensor" if isinstance(value, port) else str(value)
