"""The decoder side of the transformer: TransformerDecoderLayer and the whole Transformer.

Both take two sequences: the one being produced (tgt) and the one attended to (memory, or the
encoder's src); the output has tgt's shape.
"""

from __future__ import annotations

from graph.arithmetic import Arith, counted, unchanged, with_parameters
from graph.cost import attention_macs
from graph.layers.attention import _BATCH_FIRST, _encoder_layer_count, _sequence_input
from graph.params import ParamSpec
from graph.spec import LayerSpec, ShapeContext, ShapeError, register
from graph.tensor import TensorType, format_shape
from i18n import msg


def _decoder_layer(ctx: ShapeContext) -> list[TensorType]:
    _sequence_input(ctx, "d_model", "nhead", False)
    _second_sequence_memory(ctx)
    return [ctx.inputs[0]]


def _second_sequence_memory(ctx: ShapeContext) -> None:
    tgt, memory = ctx.inputs
    d = ctx.params["d_model"]
    if memory.rank != tgt.rank or memory.shape[-1] != d:
        raise ctx.fail(
            msg(
                "needs its {second} shaped [sequence, {d}] like its {first} {shape} from "
                "{source}, but receives {shape2} from {source2}",
                second="memory",
                first="tgt",
                d=d,
                shape=format_shape(tgt.shape),
                source=ctx.sources[0],
                shape2=format_shape(memory.shape),
                source2=ctx.sources[1],
            ),
            1,
        )
    if tgt.rank == 2 and not ctx.params["batch_first"] and tgt.shape[0] != memory.shape[0]:
        raise _batch_first_error(ctx, tgt.shape[0], memory.shape[0])


def _batch_first_error(ctx: ShapeContext, a: int, b: int) -> ShapeError:
    """batch_first=False reads dim 1 (here the sequence) as the batch: the two must agree."""
    return ctx.fail(
        msg(
            "has batch_first=False, so torch reads the sequence lengths {a} and {b} as batch "
            "sizes, which differ; set batch_first=True",
            a=a,
            b=b,
        ),
        0,
        "batch_first",
    )


def _decoder_layer_count(p: dict, inputs: list[TensorType] | None = None) -> int:
    d, bias = p["d_model"], p["bias"]
    cross_attention = 4 * d * d + (4 * d if bias else 0)
    third_norm = 2 * d if bias else d
    return _encoder_layer_count(p, inputs or []) + cross_attention + third_norm


def _decoder_macs(p: dict, length: int, memory: int) -> int:
    """Self-attention over the target, attention over the memory (q and out projections of the
    target, k and v of the memory), then the feed-forward block."""
    d = p["d_model"]
    cross = 2 * length * d * d + 2 * memory * d * d + 2 * length * memory * d
    return attention_macs(d, length, length) + cross + 2 * length * d * p["dim_feedforward"]


def _length(t: TensorType) -> int:
    return t.shape[0] if t.rank == 2 else 1


def _decoder_layer_macs(a: Arith) -> int:
    return _decoder_macs(a.params, _length(a.inputs[0]), _length(a.inputs[1]))


def _transformer_macs(a: Arith) -> int:
    p, src, tgt = a.params, _length(a.inputs[0]), _length(a.inputs[1])
    d, feedforward = p["d_model"], p["dim_feedforward"]
    encoder = attention_macs(d, src, src) + 2 * src * d * feedforward
    return p["num_encoder_layers"] * encoder + p["num_decoder_layers"] * _decoder_macs(p, tgt, src)


def _layer_params(d_model: ParamSpec, nhead: ParamSpec) -> tuple[ParamSpec, ...]:
    return (
        d_model,
        nhead,
        ParamSpec("dim_feedforward", "int", 2048, "width of the feed-forward block", 1),
        ParamSpec("dropout", "float", 0.1, "dropout probability", 0, 1),
        ParamSpec(
            "activation", "enum", "relu", "feed-forward activation", choices=("relu", "gelu")
        ),
        ParamSpec("layer_norm_eps", "float", 1e-5, "eps of the LayerNorms", 0),
        _BATCH_FIRST,
        ParamSpec("norm_first", "bool", False, "LayerNorm before each block (pre-norm)"),
        ParamSpec("bias", "bool", True, "learn biases in linear layers and LayerNorms"),
    )


_D_MODEL = ParamSpec("d_model", "int", None, "features per token", 1, inferred=True)

register(
    LayerSpec(
        "TransformerDecoderLayer",
        "Attention",
        "Self-attention, attention over memory, then a feed-forward block (each with a residual "
        "and LayerNorm).",
        _decoder_layer,
        params=_layer_params(
            _D_MODEL,
            ParamSpec(
                "nhead", "int", None, "attention heads (must divide d_model)", 1, required=True
            ),
        ),
        count_params=_decoder_layer_count,
        inputs=("tgt", "memory"),
        torch_class="TransformerDecoderLayer",
        palette={"nhead": 4, "batch_first": True, "dim_feedforward": 256},
        summary=lambda p: f"{p.get('nhead', '?')} heads",
        arithmetic=with_parameters(unchanged, counted),
        macs=_decoder_layer_macs,
    )
)


def _transformer(ctx: ShapeContext) -> list[TensorType]:
    _sequence_input(ctx, "d_model", "nhead", False)
    src, tgt = ctx.inputs
    d = ctx.params["d_model"]
    if tgt.rank != src.rank or tgt.shape[-1] != d:
        raise ctx.fail(
            msg(
                "needs its {second} shaped [sequence, {d}] like its {first} {shape} from "
                "{source}, but receives {shape2} from {source2}",
                second="tgt",
                first="src",
                d=d,
                shape=format_shape(src.shape),
                source=ctx.sources[0],
                shape2=format_shape(tgt.shape),
                source2=ctx.sources[1],
            ),
            1,
        )
    if src.rank == 2 and not ctx.params["batch_first"] and src.shape[0] != tgt.shape[0]:
        raise _batch_first_error(ctx, src.shape[0], tgt.shape[0])
    return [tgt]


def _transformer_count(p: dict, inputs: list[TensorType]) -> int:
    final_norm = 2 * p["d_model"] if p["bias"] else p["d_model"]
    encoder = p["num_encoder_layers"] * _encoder_layer_count(p, inputs) + final_norm
    decoder = p["num_decoder_layers"] * _decoder_layer_count(p, inputs) + final_norm
    return encoder + decoder


_transformer_params = list(
    _layer_params(
        ParamSpec(
            "d_model", "int", None, "features per token (torch defaults to 512)", 1, inferred=True
        ),
        ParamSpec("nhead", "int", 8, "attention heads (must divide d_model)", 1),
    )
)
_transformer_params[2:2] = [
    ParamSpec("num_encoder_layers", "int", 6, "encoder layers", 1),
    ParamSpec("num_decoder_layers", "int", 6, "decoder layers", 1),
]

register(
    LayerSpec(
        "Transformer",
        "Attention",
        "The encoder-decoder transformer: encodes src, decodes tgt attending to it.",
        _transformer,
        params=tuple(_transformer_params),
        count_params=_transformer_count,
        inputs=("src", "tgt"),
        torch_class="Transformer",
        palette={
            "nhead": 4,
            "num_encoder_layers": 2,
            "num_decoder_layers": 2,
            "dim_feedforward": 256,
            "batch_first": True,
        },
        summary=lambda p: f"{p.get('nhead', 8)} heads",
        arithmetic=with_parameters(unchanged, counted),
        macs=_transformer_macs,
    )
)
