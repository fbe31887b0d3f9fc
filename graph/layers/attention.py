"""Attention: self-attention (MultiheadAttention on one input) and TransformerEncoderLayer."""

from __future__ import annotations

from graph.arithmetic import Arith, counted, last_dim, unchanged, with_parameters
from graph.cost import attention_macs
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _sequence_input(ctx: ShapeContext, dim_name: str, heads_name: str, weights_wired: bool) -> int:
    """Check [sequence, embed] input, infer the embedding size, and say what torch will do."""
    t = ctx.need_rank((1, 2), msg("[sequence, embedding]"))
    ctx.resolve(dim_name, t.shape[-1], msg("embedding features"))
    dim, heads = ctx.params[dim_name], ctx.params[heads_name]
    if dim % heads:
        raise ctx.fail(
            msg(
                "has {heads_name}={heads}, but its {dim} embedding features do not split "
                "evenly into {heads} heads",
                heads_name=heads_name,
                heads=heads,
                dim=dim,
            ),
            0,
            heads_name,
        )
    if t.rank == 1:
        # torch reads [N, embed] as one unbatched sequence of N tokens.
        if weights_wired:
            raise ctx.fail(
                msg(
                    "receives {shape} from {source} without a sequence dim, so torch attends "
                    "across the batch and the weights would have no batch dim; give it "
                    "[sequence, embedding]",
                    shape=format_shape(t.shape),
                    source=ctx.sources[0],
                ),
                0,
            )
        ctx.warn(
            msg(
                "receives {shape} from {source} without a sequence dim, so torch attends "
                "across the whole batch as one sequence; give it [sequence, embedding]",
                shape=format_shape(t.shape),
                source=ctx.sources[0],
            )
        )
    elif not ctx.params["batch_first"]:
        if weights_wired:
            raise ctx.fail(
                msg(
                    "has batch_first=False, so torch reads the batch as the sequence and the "
                    "attention weights would come out per position, not per sample; set "
                    "batch_first=True"
                ),
                0,
                "batch_first",
            )
        ctx.warn(
            msg(
                "has batch_first=False, so torch reads the batch dim as the sequence and "
                "attends across samples; set batch_first=True"
            )
        )
    return t.rank


def _mha(ctx: ShapeContext) -> list[TensorType]:
    p = ctx.params
    t = ctx.inputs[0]
    _sequence_input(ctx, "embed_dim", "num_heads", 1 in ctx.wired_outputs)
    embed = p["embed_dim"]
    for name in ("kdim", "vdim"):
        if p[name] is not None and p[name] != embed:
            raise ctx.fail(
                msg(
                    "has {name}={p}, but in self-attention the keys and values are its own "
                    "input with {embed} features; leave {name} unset",
                    name=name,
                    p=p[name],
                    embed=embed,
                ),
                0,
                name,
            )
    length = t.shape[0] if t.rank == 2 else 1
    extra = int(p["add_bias_kv"]) + int(p["add_zero_attn"])
    return [t, TensorType((length, length + extra))]


def _mha_macs(a: Arith) -> int:
    p = a.params
    length = a.inp[0] if len(a.inp) == 2 else 1
    keys = length + int(p["add_bias_kv"]) + int(p["add_zero_attn"])
    return attention_macs(p["embed_dim"], length, keys)


def _encoder_layer_macs(a: Arith) -> int:
    d, length = a.params["d_model"], a.inp[0] if len(a.inp) == 2 else 1
    return attention_macs(d, length, length) + 2 * length * d * a.params["dim_feedforward"]


def _mha_count(p: dict, inputs: list[TensorType]) -> int:
    e = p["embed_dim"]
    total = 4 * e * e  # q, k, v and output projections (kdim = vdim = embed_dim here)
    if p["bias"]:
        total += 4 * e
    if p["add_bias_kv"]:
        total += 2 * e
    return total


_DROPOUT = ParamSpec("dropout", "float", 0.0, "dropout on the attention weights", 0, 1)
_BATCH_FIRST = ParamSpec(
    "batch_first", "bool", False, "the batch comes first (Netwright's layout): keep True"
)

register(
    LayerSpec(
        "MultiheadAttention",
        "Attention",
        "Self-attention over [sequence, embedding]; outputs the result and the attention weights.",
        _mha,
        params=(
            ParamSpec("embed_dim", "int", None, "features per token", 1, inferred=True),
            ParamSpec(
                "num_heads",
                "int",
                None,
                "parallel heads (must divide embed_dim)",
                1,
                required=True,
            ),
            _DROPOUT,
            ParamSpec("bias", "bool", True, "learn biases in the projections"),
            ParamSpec("add_bias_kv", "bool", False, "learn an extra key and value token"),
            ParamSpec("add_zero_attn", "bool", False, "add a zero key and value token"),
            ParamSpec(
                "kdim",
                "int",
                None,
                "features of the keys (self-attention: embed_dim)",
                1,
                optional=True,
            ),
            ParamSpec(
                "vdim",
                "int",
                None,
                "features of the values (self-attention: embed_dim)",
                1,
                optional=True,
            ),
            _BATCH_FIRST,
        ),
        count_params=_mha_count,
        outputs=("output", "weights"),
        torch_class="MultiheadAttention",
        arithmetic=with_parameters(last_dim("features", "embed_dim"), counted),
        macs=_mha_macs,
        palette={"num_heads": 4, "batch_first": True},
        summary=lambda p: f"{p.get('num_heads', '?')} heads",
    )
)


def _encoder_layer(ctx: ShapeContext) -> list[TensorType]:
    _sequence_input(ctx, "d_model", "nhead", False)
    return [ctx.inputs[0]]


def _encoder_layer_count(p: dict, inputs: list[TensorType]) -> int:
    d, ff, bias = p["d_model"], p["dim_feedforward"], p["bias"]
    attention = 4 * d * d + (4 * d if bias else 0)
    feedforward = 2 * d * ff + ((ff + d) if bias else 0)
    norms = 2 * (2 * d if bias else d)
    return attention + feedforward + norms


register(
    LayerSpec(
        "TransformerEncoderLayer",
        "Attention",
        "Self-attention then a feed-forward block, each with a residual and LayerNorm.",
        _encoder_layer,
        params=(
            ParamSpec("d_model", "int", None, "features per token", 1, inferred=True),
            ParamSpec(
                "nhead", "int", None, "attention heads (must divide d_model)", 1, required=True
            ),
            ParamSpec("dim_feedforward", "int", 2048, "width of the feed-forward block", 1),
            ParamSpec("dropout", "float", 0.1, "dropout probability", 0, 1),
            ParamSpec(
                "activation", "enum", "relu", "feed-forward activation", choices=("relu", "gelu")
            ),
            ParamSpec("layer_norm_eps", "float", 1e-5, "eps of the LayerNorms", 0),
            _BATCH_FIRST,
            ParamSpec("norm_first", "bool", False, "LayerNorm before each block (pre-norm)"),
            ParamSpec("bias", "bool", True, "learn biases in linear layers and LayerNorms"),
        ),
        count_params=_encoder_layer_count,
        torch_class="TransformerEncoderLayer",
        arithmetic=with_parameters(unchanged, counted),
        macs=_encoder_layer_macs,
        palette={"nhead": 4, "batch_first": True, "dim_feedforward": 256},
        summary=lambda p: f"{p.get('nhead', '?')} heads",
    )
)
