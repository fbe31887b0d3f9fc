"""Where data enters and leaves the network."""

from __future__ import annotations

from graph.arithmetic import Formula
from graph.cost import no_macs
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import DTYPES, TensorType, format_shape
from i18n import msg


def _input(ctx: ShapeContext) -> list[TensorType]:
    return [TensorType(tuple(ctx.params["shape"]), ctx.params["dtype"])]


def _output(ctx: ShapeContext) -> list[TensorType]:
    return []


register(
    LayerSpec(
        "Input",
        "Input / Output",
        "Feeds samples into the network; shape leaves out the batch ([1, 28, 28] for MNIST).",
        _input,
        params=(
            ParamSpec("shape", "ints", None, "sample shape, batch left out", 1, required=True),
            ParamSpec(
                "dtype",
                "enum",
                "float32",
                "float32 for values, int64 for token ids",
                choices=DTYPES,
            ),
        ),
        inputs=(),
        dtype="any",
        palette={"shape": [1, 28, 28]},
        summary=lambda p: "×".join(str(d) for d in p.get("shape") or ()),
        arithmetic=lambda a: [
            Formula("", msg("the shape it is given: {shape}", shape=format_shape(a.out)))
        ],
        macs=no_macs,
    )
)

register(
    LayerSpec(
        "Output",
        "Input / Output",
        "Marks a result of the network; several Outputs return a tuple in file order.",
        _output,
        outputs=(),
        arithmetic=lambda a: [Formula("", msg("returns what arrives"))],
        macs=no_macs,
        dtype="any",
    )
)
