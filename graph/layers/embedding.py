"""Embedding: turns whole-number ids into learned vectors."""

from __future__ import annotations

from graph.arithmetic import last_dim, with_parameters
from graph.cost import no_macs
from graph.init import weight_and_bias
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import FLOAT, TensorType
from i18n import msg

# The parameters Embedding and EmbeddingBag share, as torch names them.
VOCABULARY = (
    ParamSpec("num_embeddings", "int", None, "how many ids (vocabulary size)", 1, required=True),
    ParamSpec("embedding_dim", "int", None, "size of each vector", 1, required=True),
)
LOOKUP = (
    ParamSpec(
        "max_norm",
        "float",
        None,
        "renormalise vectors longer than this",
        0,
        exclusive_minimum=True,
        optional=True,
    ),
    ParamSpec("norm_type", "float", 2.0, "the p of the p-norm for max_norm"),
    ParamSpec("scale_grad_by_freq", "bool", False, "scale gradients by inverse id frequency"),
)
SPARSE = ParamSpec("sparse", "bool", False, "sparse gradients (needs a sparse optimizer)")


def _embedding(ctx: ShapeContext) -> list[TensorType]:
    t = ctx.inputs[0]
    p = ctx.params
    n, pad = p["num_embeddings"], p["padding_idx"]
    if pad is not None and not -n <= pad < n:
        raise ctx.fail(
            msg(
                "has padding_idx={pad}, outside its {n} embeddings (valid: {low} to {high})",
                pad=pad,
                n=n,
                low=-n,
                high=n - 1,
            ),
            0,
            "padding_idx",
        )
    return [TensorType((*t.shape, p["embedding_dim"]), FLOAT)]


register(
    LayerSpec(
        "Embedding",
        "Embedding",
        "Looks up a learned vector for each whole-number id: ids [L] become [L, embedding_dim].",
        _embedding,
        params=(
            *VOCABULARY,
            ParamSpec("padding_idx", "int", None, "an id whose vector stays zero", optional=True),
            *LOOKUP,
            SPARSE,
        ),
        count_params=lambda p, inputs: p["num_embeddings"] * p["embedding_dim"],
        dtype="int",
        torch_class="Embedding",
        init_tensors=weight_and_bias(2, None),
        arithmetic=with_parameters(
            last_dim("features", "embedding_dim"),
            lambda a: f"{a.params['num_embeddings']} × {a.params['embedding_dim']}",
        ),
        macs=no_macs,
        palette={"num_embeddings": 1000, "embedding_dim": 32},
        summary=lambda p: f"{p.get('num_embeddings', '?')} → {p.get('embedding_dim', '?')}",
    )
)
