"""A tensor's indexing (`x[:, :2]`, `out[:, -1, :]`, `x[..., 1:]`, `x[:, None]`) as a chain of
layers.

Basic indexing after the batch maps exactly: an int picks one position (Index, torch.select),
a slice with a positive step keeps positions (Slice), None inserts a size-1 dim (Unsqueeze),
`:` and `...` keep dims as they are. Applied one after another, left to right, each at the dim
where the result so far has it (an Index removes its dim, an Unsqueeze adds one), the layers
give what torch gives in one go. The batch (dim 0) is kept whole, as every node keeps it: an
index of the batch, or a bound that is not a number, is refused in one line naming the
indexing and its line. A list or tensor as an index (advanced indexing, `x[:, [2, 1, 0]]`)
is a Code node whose forward makes the same indexing, where it acts on each sample alone.
An RNN's h_n and c_n come from torch as [layers, batch, features] while the drawing has them
batch first (`LayerFirst`): a layer picked (`h_n[-1]`) is an Index of dim 1, and the first
two dims swapped is the drawing's port itself.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from i18n import msg
from importer.code_nodes import NoCodeNode
from importer.code_ops import Upstream, check_batch_free
from importer.functions import OpRule
from importer.tracing import Facts, source_line
from importer.values import Port, Unmapped


class NoLayers(ValueError):
    """Why an indexing has no chain of layers (one line, without where it is)."""

    def __init__(self, why: str, advanced: bool = False) -> None:
        super().__init__(why)
        self.advanced = advanced  # a tensor or list as an index: a Code node may hold it


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
    advanced = False
    for item in items:
        bounds = (item.start, item.stop, item.step) if isinstance(item, slice) else (item,)
        if any(_read_off_batch(v) for v in bounds):
            raise NoLayers(msg("it uses the batch size as a position"))
        if isinstance(item, slice):
            if not all(v is None or type(v) is int for v in bounds):
                raise NoLayers(msg("a bound of its slice is not a plain number"))
        elif item is not None and item is not Ellipsis and type(item) is not int:
            advanced = True
    ellipses = sum(1 for item in items if item is Ellipsis)
    if ellipses:
        taken = sum(1 for item in items if item is not None and item is not Ellipsis)
        if rank is None or ellipses > 1 or taken > rank:
            raise NoLayers(msg("the dims its ... stands for are not known"))
        at = items.index(Ellipsis)
        items[at : at + 1] = [slice(None)] * (rank - taken)
    if items and not _whole(items[0]):
        raise NoLayers(msg("it indexes the batch (dim 0), which every node keeps whole"))
    if advanced:
        raise NoLayers(msg("it indexes with a tensor or a list (advanced indexing)"), True)
    while items and _whole(items[-1]):
        items.pop()  # `out[:, -1, :]`: the trailing `:` keep what is left
    steps: list[IndexStep] = []
    dim = 0  # where the next component's dim is in the result so far
    for item in items:
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
    (importer.values.Batch; a bool is an int too, but a mask)."""
    return isinstance(value, int) and type(value) not in (int, bool)


def _whole(item: Any) -> bool:
    """`:` (or `0:`, `::1`): all of a dim, as it is."""
    return (
        isinstance(item, slice)
        and item.start in (None, 0)
        and item.stop is None
        and item.step in (None, 1)
    )


class Indexing:
    """The builder's mapping of getitem on a tensor; it needs its trace, names and `_op`, and
    CodeOperations' `_claim` and CodeFallback's `_code_node`."""

    trace: Any
    names: Any

    def _op(self, n: Any, rule: OpRule, args: tuple, kwargs: dict) -> Any: ...  # the builder's

    def _claim(self, call: Any) -> tuple[str, str]: ...  # CodeOperations'

    def _code_node(self, *args: Any) -> Any: ...  # CodeFallback's

    def indexed(self, n: Any, value: Any, index: Any) -> Any:
        """`value[index]` at fx node `n` (value a tensor's port) as a chain of layers; Unmapped
        naming the indexing, its line and why where it cannot be one."""

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
            why = msg(
                "the indexing [{index}] at {line} has no layer: {why}",
                index=index_text(index),
                line=source_line(n),
                why=exc,
            )
            if exc.advanced:  # `x[:, [2, 1, 0]]`: a Code node where it acts per sample
                return self._code_indexing(n, value, index, why)
            return Unmapped(why)
        return self._chain(n, value, steps)

    def _chain(self, n: Any, value: Any, steps: list[IndexStep]) -> Any:

        result = value
        for step in steps:
            names = _ARGUMENTS[step.layer]
            args = (result, *(step.params[k] for k in names))
            result = self._op(n, OpRule(step.layer, names), args, {})
            if not isinstance(result, Port):
                return result
        return result

    def layer_first(self, n: Any, state: Any, rest: tuple, kwargs: dict) -> Any:
        """A call at `n` on an RNN's h_n or c_n (`state`, torch's [layers, batch, features]):
        `h_n[-1]`, `h_n[-1, :, :4]` (a layer picked: Index of dim 1 of the drawing's batch-first
        port, then the rest as usual), `h_n.squeeze(0)` of one layer, `h_n.transpose(0, 1)` and
        `h_n.permute(1, 0, 2)` (the port itself); Unmapped for any other use."""

        shape = getattr(self.trace.facts.get(n.args[0]), "shape", None) or ()
        rank = len(shape)
        name = n.target if n.op == "call_method" else getattr(n.target, "__name__", "")
        if n.op == "call_function" and n.target is operator.getitem and rest:
            return self._state_item(n, state, rest[0], rank)
        dims = [d % rank if type(d) is int and rank else d for d in _dims(rest, kwargs)]
        if name == "transpose" and sorted(dims, key=str) == [0, 1]:
            return state.port
        if name == "permute" and dims == [1, 0, *range(2, rank)]:
            return state.port
        if name == "squeeze" and dims == [0] and shape[:1] == (1,):
            return self._chain(n, state.port, [IndexStep("Index", {"dim": 1, "index": 0})])
        return Unmapped(
            msg(
                "{call} at {line} takes {state} as torch gives it, [layers, batch, features], but "
                "the drawing keeps the batch first: pick one layer of it first (as {state}[-1])",
                call=_call_text(n),
                line=source_line(n),
                state=state.state,
            )
        )

    def _state_item(self, n: Any, state: Any, index: Any, rank: int) -> Any:

        items = index if isinstance(index, tuple) else (index,)
        where = msg(
            "the indexing [{index}] at {line} has no layer",
            index=index_text(index),
            line=source_line(n),
        )
        if not items or type(items[0]) is not int:
            return Unmapped(
                msg(
                    "{where}: it does not pick one layer of {state} ([layers, batch, features] "
                    "as torch gives it) first, as {state}[-1] does",
                    where=where,
                    state=state.state,
                )
            )
        try:  # what is left after the layer: the batch first, as any tensor of the drawing
            steps = index_steps(tuple(items[1:]), rank - 1 if rank else None)
        except NoLayers as exc:
            return Unmapped(msg("{where}: {why}", where=where, why=exc))
        layer = IndexStep("Index", {"dim": 1, "index": items[0]})
        return self._chain(n, state.port, [layer, *steps])

    def _code_indexing(self, n: Any, value: Any, index: Any, why: str) -> Any:

        try:
            call = _Subscript(index, n.args[1])
            name, source = self._claim(call)
            tensors, sources = [value, *call.tensors], [n.args[0], *call.sources]
            given = [self.trace.facts.get(a, Facts()) for a in sources]
            check_batch_free(source, name, call, given, self.trace.facts.get(n, Facts()))
            node_id = self.names.fresh(call.stem)
            return self._code_node(n, node_id, source, {}, 0, None, tensors, sources)
        except Upstream as unmapped:
            return unmapped.value
        except NoCodeNode as exc:
            return Unmapped(msg("{why}; no Code node either: {reason}", why=why, reason=exc))


class _Subscript:
    """`x[:, [2, 1, 0]]` as a Code node's class: the index is written into its forward from
    values checked to be ints, bools, None, `...` and slices of ints (no text of the model's
    reaches the source); tensors in it are the node's further inputs."""

    stem = "indexing"

    def __init__(self, index: Any, raw: Any) -> None:
        self.constants: dict[str, Any] = {}
        self.inputs = ["x"]
        self.tensors: list[Any] = []
        self.sources: list[Any] = []  # the fx nodes of the tensors
        if isinstance(index, tuple):
            self.text = ", ".join(self._item(v, r) for v, r in zip(index, raw, strict=True))
        else:
            self.text = self._item(index, raw)

    def _item(self, value: Any, raw: Any) -> str:

        if isinstance(value, Unmapped):
            raise Upstream(value)
        if value is None or value is Ellipsis:
            return "None" if value is None else "..."
        if type(value) in (int, bool):
            return repr(value)
        if _read_off_batch(value):
            raise NoCodeNode(msg("it uses the batch size as a position"))
        if isinstance(value, Port):
            local = f"x{len(self.inputs) + 1}"
            self.inputs.append(local)
            self.tensors.append(value)
            self.sources.append(raw)
            return local
        if isinstance(value, tuple | list):  # a sequence in an index picks what a list picks
            pieces = (self._item(v, r) for v, r in zip(value, raw, strict=True))
            return "[" + ", ".join(pieces) + "]"
        if isinstance(value, slice):
            bounds = (value.start, value.stop, value.step)
            if all(v is None or type(v) is int for v in bounds):
                return index_text(value)
        raise NoCodeNode(
            msg("its index holds {kind}, which a Code node cannot write", kind=type(value).__name__)
        )

    def source(self, name: str) -> str:
        return (
            f"class {name}(nn.Module):\n"
            f"    def forward(self, {', '.join(self.inputs)}):\n"
            f"        return x[{self.text}]\n"
        )


def _call_text(n: Any) -> str:
    if n.op == "call_module":
        return f"'{n.target}'"
    if n.op == "call_method":
        return f".{n.target}()"
    return f"{getattr(n.target, '__name__', n.target)}()"


def _dims(rest: tuple, kwargs: dict) -> list[Any]:
    """The dims a transpose, permute or squeeze was given, as one list."""
    given = [*rest, *kwargs.values()]
    if len(given) == 1 and isinstance(given[0], tuple | list):
        return list(given[0])
    return given


def index_text(index: Any) -> str:
    """`:, :2`, `..., None`: the indexing as the code wrote it, for messages."""

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
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_text(v, port) for v in value) + "]"
    return "tensor" if isinstance(value, port) else str(value)
