"""EmbeddingBag: the sum, mean or max of the embeddings of a bag of ids."""

from __future__ import annotations

from graph.arithmetic import counted, reshaped, with_parameters
from graph.cost import no_macs
from graph.layers.embedding import LOOKUP, SPARSE, VOCABULARY
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, TensorType
from i18n import msg


def _embedding_bag(ctx: ShapeContext) -> list[TensorType]:
    p = ctx.params
    ctx.need_rank((1,), msg("[bag of ids]"))
    n, pad = p["num_embeddings"], p["padding_idx"]
    if pad is not None and not -n <= pad < n:
        raise ctx.fail(
            msg(
                "has padding_idx={pad}, outside its {count} embeddings (valid: {low} to {high})",
                pad=pad,
                count=n,
                low=-n,
                high=n - 1,
            ),
            0,
            "padding_idx",
        )
    return [TensorType((p["embedding_dim"],), FLOAT)]


register(
    LayerSpec(
        "EmbeddingBag",
        "Embedding",
        "Looks up each id of a bag [L] and reduces them (mode) into one [embedding_dim] vector.",
        _embedding_bag,
        params=(
            *VOCABULARY,
            *LOOKUP,
            ParamSpec(
                "mode", "enum", "mean", "how a bag is reduced", choices=("sum", "mean", "max")
            ),
            SPARSE,
            ParamSpec(
                "include_last_offset",
                "bool",
                False,
                "only with offsets, which a [bag of ids] input does not use",
            ),
            ParamSpec("padding_idx", "int", None, "an id left out of every bag", optional=True),
        ),
        count_params=lambda p, inputs: p["num_embeddings"] * p["embedding_dim"],
        dtype="int",
        torch_class="EmbeddingBag",
        palette={"num_embeddings": 1000, "embedding_dim": 32},
        summary=lambda p: f"{p.get('num_embeddings', '?')} → {p.get('embedding_dim', '?')}",
        arithmetic=with_parameters(reshaped, counted),
        macs=no_macs,
    )
)
