"""Split and Chunk: one tensor in, several pieces out along a dim, one output port per piece."""

from __future__ import annotations

from math import ceil

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers._rules import full_dim
from graph.op_calls import Arg, OpCall
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg

_CATEGORY = "Tensor operations"
_DIM = ParamSpec("dim", "int", 1, "dim to cut along (batch is 0)")


def _pieces(count: int) -> tuple[str, ...]:
    return tuple(f"piece {i}" for i in range(count))


def _cut(ctx: ShapeContext, sizes: list[int], d: int) -> list[TensorType]:
    t = ctx.inputs[0]
    for port in ctx.wired_outputs:
        if port >= len(sizes):
            raise ctx.fail(
                msg(
                    "cuts dim {dim} of {shape} from {source} into {count} pieces, but something "
                    "is wired to piece {port}",
                    dim=d + 1,
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                    count=len(sizes),
                    port=port,
                ),
                0,
            )
    return [t.with_shape((*t.shape[:d], size, *t.shape[d + 1 :])) for size in sizes]


def _split(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    d = full_dim(ctx, ctx.params["dim"], t.rank)
    size, sections = t.shape[d], ctx.params["split_size_or_sections"]
    if isinstance(sections, tuple):
        if sum(sections) != size:
            raise ctx.fail(
                msg(
                    "cuts dim {dim} into sections {sections}, which add up to {total}, but that "
                    "dim has size {size} ({shape} from {source})",
                    dim=d + 1,
                    sections=list(sections),
                    total=sum(sections),
                    size=size,
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                ),
                0,
                "split_size_or_sections",
            )
        return _cut(ctx, list(sections), d)
    count = ceil(size / sections)
    return _cut(ctx, [min(sections, size - i * sections) for i in range(count)], d)


def _split_ports(p: dict) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    sections = p["split_size_or_sections"]
    # A list names the pieces; one size gives as many pieces as the input holds.
    return ("input",), _pieces(len(sections)) if isinstance(sections, list | tuple) else None


register(
    LayerSpec(
        "Split",
        _CATEGORY,
        "Cuts dim into pieces of split_size (the last may be smaller) or of the listed sizes.",
        _split,
        params=(
            ParamSpec(
                "split_size_or_sections",
                "int_or_tuple",
                None,
                "size of each piece, or a list of the piece sizes",
                1,
                arity=0,
                required=True,
            ),
            _DIM,
        ),
        outputs=_pieces(2),
        dtype="any",
        palette={"split_size_or_sections": [2, 2]},
        summary=lambda p: f"{p.get('split_size_or_sections')} on dim {p.get('dim', 1)}",
        ports=_split_ports,
        tuple_result=True,
        expression=lambda p, n: OpCall(
            "torch.split", (Arg(0), _sizes(p["split_size_or_sections"])), (("dim", p["dim"]),)
        ),
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)


def _sizes(value: int | tuple[int, ...]) -> int | list[int]:
    return list(value) if isinstance(value, tuple) else value


def _chunk(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    width, dim = t.rank + 1, ctx.params["dim"]
    if ctx.params["chunks"] == 1 and -width <= dim < width:
        ctx.warn(msg("with chunks=1 gives its input back unchanged"))
        return [t]
    d = full_dim(ctx, dim, t.rank)
    size, chunks = t.shape[d], ctx.params["chunks"]
    step = ceil(size / chunks)
    count = ceil(size / step)
    if count != chunks:
        # torch.chunk quietly returns fewer pieces; code unpacking `chunks` of them would fail.
        raise ctx.fail(
            msg(
                "cuts dim {dim} of size {size} ({shape} from {source}) into pieces of {step}, "
                "which makes {count} pieces, not chunks={chunks}; use Split for uneven pieces",
                dim=d + 1,
                size=size,
                shape=format_shape(t.shape),
                source=ctx.sources[0],
                step=step,
                count=count,
                chunks=chunks,
            ),
            0,
            "chunks",
        )
    return _cut(ctx, [min(step, size - i * step) for i in range(count)], d)


register(
    LayerSpec(
        "Chunk",
        _CATEGORY,
        "Cuts dim into `chunks` pieces of equal size (the last may be smaller).",
        _chunk,
        params=(ParamSpec("chunks", "int", None, "how many pieces", 1, required=True), _DIM),
        outputs=_pieces(2),
        dtype="any",
        palette={"chunks": 2},
        summary=lambda p: f"{p.get('chunks')} on dim {p.get('dim', 1)}",
        ports=lambda p: (("input",), _pieces(p["chunks"])),
        tuple_result=True,
        expression=lambda p, n: OpCall("torch.chunk", (Arg(0), p["chunks"]), (("dim", p["dim"]),)),
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)
