"""Hypothesis strategies for random Netwright projects: chains, branches and merges of every layer.

`any_projects()` draws networks that may be wrong in every way a learner gets them wrong (kernels
larger than the input, groups that do not divide the channels, wrong ranks, pinned sizes that do
not match, ...). `valid_projects()` draws only networks the checker accepts (it retries a layer
whose params the checker rejects). Params are drawn with the incoming shape in mind, so most draws
are plausible and the rest are near misses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from graph import Edge, Node, Project, all_specs
from graph.tensor import INT

# Layers with two inputs are placed where branches join, with the merges.
TWO_INPUTS = (
    "Bilinear",
    "CosineSimilarity",
    "PairwiseDistance",
    "TransformerDecoderLayer",
    "Transformer",
    "MatMul",
    "Subtract",
    "Divide",
    "Power",
    "Maximum",
    "Minimum",
)
MERGE_TYPES = ("Add", "Multiply", "Concat", "Stack", *TWO_INPUTS)
# Every other registered layer: the chains draw from all of them (Input, Output and the merges
# are placed by the builder). Read from the registry so a new layer cannot escape these tests;
# one without a PARAMS drawer below fails loudly.
# Code is left out: its shapes come from running the user's class in a worker process, not
# from a rule (tests/code runs it for real).
LAYER_TYPES = tuple(
    spec.type
    for spec in all_specs()
    if spec.type not in ("Input", "Output", "Parameter", "Buffer", "Code")
    and spec.type not in MERGE_TYPES
)

Draw = Callable[[st.SearchStrategy], Any]
Shape = tuple[int, ...]


def _chance(draw: Draw, percent: int) -> bool:
    return draw(st.integers(0, 99)) < percent


def _maybe(draw: Draw, params: dict, name: str, strategy: st.SearchStrategy, percent=50) -> None:
    """Set params[name] from strategy some of the time (the rest it keeps torch's default)."""
    if _chance(draw, percent):
        params[name] = draw(strategy)


def _int_or_list(draw: Draw, n: int, lo: int, hi: int) -> Any:
    if n > 1 and _chance(draw, 30):
        return [draw(st.integers(lo, hi)) for _ in range(n)]
    return draw(st.integers(lo, hi))


def _dim(draw: Draw, rank: int) -> int:
    """A torch dim for a tensor of `rank` dims without the batch; now and then out of range."""
    full = rank + 1
    return draw(st.integers(-full - 1, full))


def _lead(shape: Shape) -> int:
    return shape[0] if shape else 1


def _last(shape: Shape) -> int:
    return shape[-1] if shape else 1


def _pin(draw: Draw, params: dict, name: str, actual: int) -> None:
    """Sometimes pin an inferred size: mostly to the right value, now and then to a wrong one."""
    if _chance(draw, 20):
        params[name] = actual if _chance(draw, 60) else draw(st.integers(1, 8))


def _conv(n: int, transpose: bool) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {
            "out_channels": draw(st.integers(1, 6)),
            "kernel_size": _int_or_list(draw, n, 1, 4),
        }
        _pin(draw, p, "in_channels", _lead(shape))
        _maybe(draw, p, "stride", st.integers(1, 3), 30)
        _maybe(draw, p, "dilation", st.integers(1, 2), 20)
        _maybe(draw, p, "groups", st.integers(1, 3), 20)
        _maybe(draw, p, "bias", st.booleans(), 20)
        if transpose:
            _maybe(draw, p, "padding", st.integers(0, 2), 30)
            _maybe(draw, p, "output_padding", st.integers(0, 2), 30)
        else:
            _maybe(draw, p, "padding", st.sampled_from([0, 1, 2, "same", "valid"]), 40)
            _maybe(
                draw,
                p,
                "padding_mode",
                st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
                25,
            )
        return p

    return params


def _pool(n: int, kind: str) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {"kernel_size": _int_or_list(draw, n, 1, 4)}
        _maybe(draw, p, "stride", st.one_of(st.none(), st.integers(1, 3)), 40)
        _maybe(draw, p, "padding", st.integers(0, 2), 30)
        _maybe(draw, p, "ceil_mode", st.booleans(), 30)
        if kind == "max":
            _maybe(draw, p, "dilation", st.integers(1, 2), 25)
            _maybe(draw, p, "return_indices", st.booleans(), 5)
        else:
            _maybe(draw, p, "count_include_pad", st.booleans(), 20)
            if n > 1:
                _maybe(draw, p, "divisor_override", st.integers(1, 4), 15)
        return p

    return params


def _adaptive(n: int) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        if n > 1 and _chance(draw, 30):
            size: Any = [draw(st.one_of(st.none(), st.integers(1, 4))) for _ in range(n)]
        else:
            size = draw(st.integers(1, 4))
        return {"output_size": size}

    return params


def _norm(name: str) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {}
        _pin(draw, p, name, _lead(shape))
        _maybe(draw, p, "eps", st.sampled_from([1e-5, 1e-3]), 10)
        _maybe(draw, p, "momentum", st.one_of(st.none(), st.just(0.2)), 10)
        _maybe(draw, p, "affine", st.booleans(), 30)
        _maybe(draw, p, "track_running_stats", st.booleans(), 30)
        _maybe(draw, p, "bias", st.booleans(), 15)
        return p

    return params


def _layer_norm(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {}
    if shape and _chance(draw, 40):
        k = draw(st.integers(1, len(shape)))
        tail = list(shape[-k:])
        if _chance(draw, 25):
            tail[0] += 1  # a near miss
        p["normalized_shape"] = tail[0] if k == 1 and _chance(draw, 50) else tail
    _maybe(draw, p, "elementwise_affine", st.booleans(), 25)
    _maybe(draw, p, "bias", st.booleans(), 25)
    return p


def _group_norm(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"num_groups": draw(st.sampled_from([1, 2, 3, _lead(shape)]))}
    _pin(draw, p, "num_channels", _lead(shape))
    _maybe(draw, p, "affine", st.booleans(), 25)
    _maybe(draw, p, "bias", st.booleans(), 15)
    return p


def _dropout(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {}
    _maybe(draw, p, "p", st.sampled_from([0.0, 0.25, 0.5, 1.0]), 50)
    _maybe(draw, p, "inplace", st.booleans(), 10)
    return p


def _activation(**choices: st.SearchStrategy) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {}
        for name, strategy in choices.items():
            _maybe(draw, p, name, strategy, 40)
        return p

    return params


def _prelu(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {}
    _maybe(draw, p, "num_parameters", st.sampled_from([1, _lead(shape), 3]), 40)
    _maybe(draw, p, "init", st.floats(0, 1), 20)
    return p


def _softmax(draw: Draw, shape: Shape) -> dict:
    return {"dim": None if _chance(draw, 10) else _dim(draw, len(shape))}


def _flatten(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {}
    _maybe(draw, p, "start_dim", st.integers(-len(shape) - 1, len(shape)), 40)
    _maybe(draw, p, "end_dim", st.integers(-len(shape) - 1, len(shape)), 40)
    return p


def _factor(draw: Draw, size: int) -> list[int]:
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    a = draw(st.sampled_from(divisors))
    sizes = [a, size // a]
    if _chance(draw, 30):
        sizes[draw(st.integers(0, 1))] = -1
    if _chance(draw, 15):
        sizes[0] += 1
    return sizes


def _unflatten(draw: Draw, shape: Shape) -> dict:
    if not shape:
        return {"dim": 1, "unflattened_size": [1, 1]}
    i = draw(st.integers(0, len(shape) - 1))
    dim = i + 1 if _chance(draw, 70) else -(len(shape) - i)
    if _chance(draw, 10):
        dim = 0
    return {"dim": dim, "unflattened_size": _factor(draw, shape[i])}


def _reshape(draw: Draw, shape: Shape) -> dict:
    total = 1
    for d in shape:
        total *= d
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return {"shape": [-1]}
    if choice == 1:
        return {"shape": _factor(draw, total)}
    if choice == 2:
        return {"shape": list(reversed(shape)) or [1]}
    return {"shape": [draw(st.integers(1, 6))]}


def _permute(draw: Draw, shape: Shape) -> dict:
    rest = draw(st.permutations(list(range(1, len(shape) + 1))))
    dims = [0, *rest]
    if _chance(draw, 15):
        dims = list(reversed(dims))
    elif _chance(draw, 10):
        dims = dims[:-1]
    return {"dims": dims}


def _index(draw: Draw, shape: Shape) -> dict:
    dim = _dim(draw, len(shape))
    size = shape[dim % (len(shape) + 1) - 1] if shape and dim % (len(shape) + 1) else 1
    return {"dim": dim, "index": draw(st.integers(-size - 1, size))}


def _upsample(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {}
    n = max(len(shape) - 1, 1)
    if _chance(draw, 50):
        p["scale_factor"] = draw(st.sampled_from([0.5, 1, 1.5, 2, 3]))
        if _chance(draw, 20):
            p["scale_factor"] = [p["scale_factor"]] * n
        _maybe(draw, p, "recompute_scale_factor", st.booleans(), 20)
    elif _chance(draw, 90):
        p["size"] = _int_or_list(draw, n, 1, 6)
    modes = ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear"]
    _maybe(draw, p, "mode", st.sampled_from(modes), 60)
    _maybe(draw, p, "align_corners", st.booleans(), 20)
    return p


def _embedding(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {
        "num_embeddings": draw(st.integers(2, 10)),  # ids 0 and 1 are always valid
        "embedding_dim": draw(st.integers(1, 6)),
    }
    _maybe(draw, p, "padding_idx", st.integers(-12, 12), 20)
    _maybe(draw, p, "max_norm", st.sampled_from([0.5, 1.0]), 10)
    _maybe(draw, p, "scale_grad_by_freq", st.booleans(), 10)
    return p


def _recurrent(kind: str) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {"hidden_size": draw(st.integers(1, 5))}
        p["batch_first"] = _chance(draw, 80)
        _pin(draw, p, "input_size", _last(shape))
        _maybe(draw, p, "num_layers", st.integers(1, 2), 40)
        _maybe(draw, p, "bidirectional", st.booleans(), 40)
        _maybe(draw, p, "dropout", st.sampled_from([0.0, 0.5]), 15)
        _maybe(draw, p, "bias", st.booleans(), 20)
        if kind == "RNN":
            _maybe(draw, p, "nonlinearity", st.sampled_from(["tanh", "relu"]), 30)
        if kind == "LSTM":
            _maybe(draw, p, "proj_size", st.integers(0, 5), 25)
        return p

    return params


def _heads(draw: Draw, size: int) -> int:
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    return draw(st.sampled_from(divisors)) if _chance(draw, 85) else draw(st.integers(1, 4))


def _mha(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"num_heads": _heads(draw, _last(shape)), "batch_first": _chance(draw, 80)}
    _pin(draw, p, "embed_dim", _last(shape))
    _maybe(draw, p, "bias", st.booleans(), 20)
    _maybe(draw, p, "add_bias_kv", st.booleans(), 25)
    _maybe(draw, p, "add_zero_attn", st.booleans(), 25)
    _maybe(draw, p, "kdim", st.sampled_from([_last(shape), 3]), 10)
    _maybe(draw, p, "vdim", st.sampled_from([_last(shape), 3]), 10)
    _maybe(draw, p, "dropout", st.sampled_from([0.0, 0.5]), 15)
    return p


def _encoder(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {
        "nhead": _heads(draw, _last(shape)),
        "dim_feedforward": draw(st.integers(1, 8)),
        "batch_first": _chance(draw, 80),
    }
    _pin(draw, p, "d_model", _last(shape))
    _maybe(draw, p, "activation", st.sampled_from(["relu", "gelu"]), 25)
    _maybe(draw, p, "norm_first", st.booleans(), 25)
    _maybe(draw, p, "bias", st.booleans(), 20)
    _maybe(draw, p, "dropout", st.sampled_from([0.0, 0.1]), 20)
    return p


def _linear(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"out_features": draw(st.integers(1, 6))}
    _pin(draw, p, "in_features", _last(shape))
    _maybe(draw, p, "bias", st.booleans(), 20)
    return p


def _padding(n: int, kind: str) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        pad: Any = draw(st.integers(0, 3))
        if _chance(draw, 30):
            pad = [draw(st.integers(0, 3)) for _ in range(2 * n)]
        p: dict[str, Any] = {"padding": pad}
        if kind == "Constant":
            # ids 0 and 1 are valid for every Embedding drawn, so padded ids stay valid
            p["value"] = draw(st.sampled_from([0.0, 0.5, 1]))
        return p

    return params


def _lp_pool(n: int) -> Callable[[Draw, Shape], dict]:
    pool = _pool(n, "avg")

    def params(draw: Draw, shape: Shape) -> dict:
        p = {
            k: v
            for k, v in pool(draw, shape).items()
            if k in ("kernel_size", "stride", "ceil_mode")
        }
        return {"norm_type": draw(st.sampled_from([1.0, 2.0, 3])), **p}

    return params


def _fractional(n: int) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {"kernel_size": _int_or_list(draw, n, 1, 3)}
        choice = draw(st.integers(0, 9))
        if choice < 5:
            p["output_size"] = _int_or_list(draw, n, 1, 4)
        elif choice < 9:
            p["output_ratio"] = draw(st.sampled_from([0.25, 0.5, 0.75]))
        else:
            p["output_size"], p["output_ratio"] = 2, 0.5
        _maybe(draw, p, "return_indices", st.booleans(), 5)
        return p

    return params


def _lrn(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"size": draw(st.integers(1, 4))}
    _maybe(draw, p, "alpha", st.sampled_from([1e-4, 0.01]), 20)
    _maybe(draw, p, "beta", st.sampled_from([0.5, 0.75]), 20)
    _maybe(draw, p, "k", st.sampled_from([1.0, 2.0]), 20)
    return p


def _rms_norm(draw: Draw, shape: Shape) -> dict:
    p = _layer_norm(draw, shape)
    p.pop("bias", None)
    _maybe(draw, p, "eps", st.one_of(st.none(), st.just(1e-6)), 20)
    return p


def _glu(draw: Draw, shape: Shape) -> dict:
    return {"dim": _dim(draw, len(shape))} if _chance(draw, 60) else {}


def _sliding(draw: Draw, fold: bool, shape: Shape) -> dict:
    p: dict[str, Any] = {"kernel_size": _int_or_list(draw, 2, 1, 3)}
    _maybe(draw, p, "dilation", st.integers(1, 2), 20)
    _maybe(draw, p, "padding", st.integers(0, 1), 25)
    _maybe(draw, p, "stride", st.integers(1, 2), 25)
    if fold:
        p["output_size"] = _int_or_list(draw, 2, 1, 5)
    return p


def _fold(draw: Draw, shape: Shape) -> dict:
    p = _sliding(draw, True, shape)
    if len(shape) == 2 and _chance(draw, 70):
        # Aim at the block count of the input: an output_size that fits it exactly.
        blocks = shape[1]
        side = draw(st.sampled_from([d for d in range(1, blocks + 1) if blocks % d == 0]))
        k = p["kernel_size"] if isinstance(p["kernel_size"], int) else p["kernel_size"][0]
        p = {"kernel_size": k, "output_size": [side + k - 1, blocks // side + k - 1]}
    return p


def _embedding_bag(draw: Draw, shape: Shape) -> dict:
    p = _embedding(draw, shape)
    _maybe(draw, p, "mode", st.sampled_from(["sum", "mean", "max"]), 40)
    _maybe(draw, p, "include_last_offset", st.booleans(), 10)
    return p


def _cell(kind: str) -> Callable[[Draw, Shape], dict]:
    def params(draw: Draw, shape: Shape) -> dict:
        p: dict[str, Any] = {"hidden_size": draw(st.integers(1, 5))}
        _pin(draw, p, "input_size", _last(shape))
        _maybe(draw, p, "bias", st.booleans(), 20)
        if kind == "RNNCell":
            _maybe(draw, p, "nonlinearity", st.sampled_from(["tanh", "relu"]), 30)
        return p

    return params


def _decoder(draw: Draw, shape: Shape) -> dict:
    p = _encoder(draw, shape)
    return p


def _transformer(draw: Draw, shape: Shape) -> dict:
    p = _encoder(draw, shape)
    p["num_encoder_layers"] = draw(st.integers(1, 2))
    p["num_decoder_layers"] = draw(st.integers(1, 2))
    return p


def _cosine(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {}
    _maybe(draw, p, "dim", st.integers(-len(shape) - 1, len(shape)), 60)
    return p


def _dims(draw: Draw, shape: Shape) -> Any:
    """One dim or a few for a reduction; now and then the batch, a repeat or out of range."""
    if _chance(draw, 60) or len(shape) < 2:
        return _dim(draw, len(shape))
    dims = draw(st.lists(st.integers(1, len(shape)), min_size=1, max_size=len(shape)))
    if _chance(draw, 30):
        dims = [d - len(shape) - 1 for d in dims]  # the same dims, counted from the end
    return dims


def _reduction(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"dim": _dims(draw, shape)}
    _maybe(draw, p, "keepdim", st.booleans(), 40)
    return p


def _squeeze(draw: Draw, shape: Shape) -> dict:
    return {} if _chance(draw, 40) else {"dim": _dims(draw, shape)}


def _slice(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"dim": _dim(draw, len(shape))}
    if p["dim"] % (len(shape) + 1) == 0:
        # Along the batch only positions 0 and 1 are sure to exist for every batch of two or more.
        _maybe(draw, p, "start", st.sampled_from([None, 0, 1, -1]), 50)
        _maybe(draw, p, "stop", st.sampled_from([None, 0, 1, -1]), 50)
        return p
    size = max(shape, default=1)
    _maybe(draw, p, "start", st.one_of(st.none(), st.integers(-size - 1, size + 1)), 60)
    _maybe(draw, p, "stop", st.one_of(st.none(), st.integers(-size - 1, size + 1)), 60)
    _maybe(draw, p, "step", st.integers(1, 3), 30)
    return p


def _expand(draw: Draw, shape: Shape) -> dict:
    sizes = [
        draw(st.sampled_from([-1, s, 3])) if s == 1 else draw(st.sampled_from([-1, s]))
        for s in shape
    ]
    if _chance(draw, 15):
        sizes.append(2)  # one size too many
    elif _chance(draw, 10) and sizes:
        sizes[0] = sizes[0] + 5 if sizes[0] > 0 else 2  # a dim that cannot grow
    return {"sizes": sizes}


def _split(draw: Draw, shape: Shape) -> dict:
    dim = _dim(draw, len(shape)) if _chance(draw, 30) else draw(st.integers(1, max(len(shape), 1)))
    size = shape[dim % (len(shape) + 1) - 1] if shape and dim % (len(shape) + 1) else 2
    if not shape or dim % (len(shape) + 1) == 0:
        # Along the batch a size of 1 or 2 is sure to cut every batch of two or more.
        return {"split_size_or_sections": draw(st.sampled_from([1, 2, [1, 1]])), "dim": dim}
    if _chance(draw, 50):
        sections: Any = draw(st.integers(1, max(size, 1) + 1))
    else:
        cut = draw(st.integers(0, size))
        sections = [cut, size - cut] if _chance(draw, 85) else [cut, size - cut + 1]
    return {"split_size_or_sections": sections, "dim": dim}


def _chunk(draw: Draw, shape: Shape) -> dict:
    p = _split(draw, shape)
    return {"chunks": draw(st.integers(1, 4)), "dim": p["dim"]}


def _parameter(draw: Draw, shape: Shape) -> dict:
    p: dict[str, Any] = {"shape": list(shape) or [1]}
    if shape and _chance(draw, 30):
        p["shape"][draw(st.integers(0, len(shape) - 1))] = 1  # broadcasts
    _maybe(draw, p, "init", st.sampled_from(["zeros", "ones", "randn", "rand"]), 50)
    _maybe(draw, p, "batch", st.booleans(), 30)
    return p


PARAMS: dict[str, Callable[[Draw, Shape], dict]] = {
    "Linear": _linear,
    "Identity": lambda draw, shape: {},
    **{f"Conv{n}d": _conv(n, False) for n in (1, 2, 3)},
    **{f"ConvTranspose{n}d": _conv(n, True) for n in (1, 2)},
    **{f"MaxPool{n}d": _pool(n, "max") for n in (1, 2, 3)},
    **{f"AvgPool{n}d": _pool(n, "avg") for n in (1, 2, 3)},
    "AdaptiveAvgPool1d": _adaptive(1),
    "AdaptiveAvgPool2d": _adaptive(2),
    "AdaptiveMaxPool2d": _adaptive(2),
    **{f"BatchNorm{n}d": _norm("num_features") for n in (1, 2, 3)},
    "InstanceNorm2d": _norm("num_features"),
    "LayerNorm": _layer_norm,
    "GroupNorm": _group_norm,
    "Dropout": _dropout,
    "Dropout2d": _dropout,
    "ReLU": _activation(inplace=st.booleans()),
    "LeakyReLU": _activation(negative_slope=st.floats(0, 0.5)),
    "ELU": _activation(alpha=st.floats(0.1, 2)),
    "GELU": _activation(approximate=st.sampled_from(["none", "tanh"])),
    "SiLU": _activation(),
    "Mish": _activation(),
    "PReLU": _prelu,
    "Sigmoid": _activation(),
    "Tanh": _activation(),
    "Hardswish": _activation(),
    "Softmax": _softmax,
    "LogSoftmax": _softmax,
    "Flatten": _flatten,
    "Unflatten": _unflatten,
    "Reshape": _reshape,
    "Permute": _permute,
    "Index": _index,
    "Upsample": _upsample,
    "PixelShuffle": lambda draw, shape: {"upscale_factor": draw(st.integers(1, 3))},
    "Embedding": _embedding,
    "RNN": _recurrent("RNN"),
    "LSTM": _recurrent("LSTM"),
    "GRU": _recurrent("GRU"),
    "MultiheadAttention": _mha,
    "TransformerEncoderLayer": _encoder,
    "ConvTranspose3d": _conv(3, True),
    **{f"Adaptive{k}Pool{n}d": _adaptive(n) for k in ("Avg", "Max") for n in (1, 2, 3)},
    **{f"LPPool{n}d": _lp_pool(n) for n in (1, 2, 3)},
    **{f"FractionalMaxPool{n}d": _fractional(n) for n in (2, 3)},
    **{
        f"{kind}Pad{n}d": _padding(n, kind)
        for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")
        for n in (1, 2, 3)
    },
    **{f"InstanceNorm{n}d": _norm("num_features") for n in (1, 2, 3)},
    "LocalResponseNorm": _lrn,
    "CrossMapLRN2d": _lrn,
    "RMSNorm": _rms_norm,
    **{k: _dropout for k in ("Dropout1d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")},
    "ReLU6": _activation(),
    "SELU": _activation(),
    "CELU": _activation(alpha=st.sampled_from([0.0, 0.5, 2.0])),
    "Hardsigmoid": _activation(),
    "Hardtanh": _activation(
        min_val=st.sampled_from([-2.0, 0.0, 1.0]), max_val=st.sampled_from([1.0, 3.0])
    ),
    "LogSigmoid": _activation(),
    "RReLU": _activation(lower=st.sampled_from([0.0, 0.1, 0.4]), upper=st.sampled_from([0.2, 0.5])),
    "Softplus": _activation(
        beta=st.sampled_from([0.5, 2.0]), threshold=st.sampled_from([1.0, 20.0])
    ),
    "Softshrink": _activation(lambd=st.sampled_from([0.0, 0.5, 1.0])),
    "Hardshrink": _activation(lambd=st.sampled_from([-0.5, 0.5])),
    "Softsign": _activation(),
    "Tanhshrink": _activation(),
    "Threshold": lambda draw, shape: {
        "threshold": draw(st.sampled_from([0.0, 0.5])),
        "value": draw(st.sampled_from([0.0, -1.0])),
    },
    "Softmin": _softmax,
    "Softmax2d": _activation(),
    "GLU": _glu,
    "PixelUnshuffle": lambda draw, shape: {"downscale_factor": draw(st.integers(1, 3))},
    "ChannelShuffle": lambda draw, shape: {
        "groups": draw(st.sampled_from([1, 2, 3, _lead(shape)]))
    },
    "Unfold": lambda draw, shape: _sliding(draw, False, shape),
    "Fold": _fold,
    "UpsamplingNearest2d": lambda draw, shape: {
        k: v for k, v in _upsample(draw, shape).items() if k in ("size", "scale_factor")
    },
    "UpsamplingBilinear2d": lambda draw, shape: {
        k: v for k, v in _upsample(draw, shape).items() if k in ("size", "scale_factor")
    },
    "EmbeddingBag": _embedding_bag,
    "RNNCell": _cell("RNNCell"),
    "LSTMCell": _cell("LSTMCell"),
    "GRUCell": _cell("GRUCell"),
    "TransformerDecoderLayer": _decoder,
    "Transformer": _transformer,
    "CosineSimilarity": _cosine,
    "PairwiseDistance": lambda draw, shape: {
        k: v
        for k, v in (
            ("p", draw(st.sampled_from([1.0, 2.0, 3.0]))),
            ("keepdim", draw(st.booleans())),
        )
        if _chance(draw, 50)
    },
    "Bilinear": lambda draw, shape: {"out_features": draw(st.integers(1, 4))},
    **{k: _reduction for k in ("Mean", "Sum", "Amax", "Amin")},
    "Transpose": lambda draw, shape: {
        "dim0": _dim(draw, len(shape)),
        "dim1": _dim(draw, len(shape)),
    },
    "Squeeze": _squeeze,
    "Unsqueeze": lambda draw, shape: {"dim": draw(st.integers(-len(shape) - 3, len(shape) + 2))},
    "Slice": _slice,
    "Expand": _expand,
    "Split": _split,
    "Chunk": _chunk,
    "Scale": lambda draw, shape: {"factor": draw(st.sampled_from([0.5, 2, -1.0]))},
    "Shift": lambda draw, shape: {"offset": draw(st.sampled_from([1.0, -0.5, 0]))},
    "Clamp": lambda draw, shape: {
        k: v
        for k, v in (
            ("min", draw(st.sampled_from([None, 0.0, -1]))),
            ("max", draw(st.sampled_from([None, 1.0]))),
        )
        if v is not None or _chance(draw, 20)
    },
    "Parameter": _parameter,
    **{
        k: (lambda draw, shape: {})
        for k in ("MatMul", "Subtract", "Divide", "Power", "Maximum", "Minimum")
    },
}
# The input ranks (batch left out) a layer is meant for; the builder prefers fitting layers so
# that deep chains stay plausible, but still draws misfits (the classic wrong-rank mistake).
FITS = {
    **{f"{k}1d": (1, 2) for k in ("MaxPool", "AvgPool", "AdaptiveAvgPool", "BatchNorm")},
    **{f"{k}2d": (3,) for k in ("Conv", "ConvTranspose", "MaxPool", "AvgPool", "BatchNorm")},
    **{f"{k}3d": (4,) for k in ("Conv", "MaxPool", "AvgPool", "BatchNorm")},
    "Conv1d": (2,),
    "ConvTranspose1d": (2,),
    "AdaptiveAvgPool2d": (3,),
    "AdaptiveMaxPool2d": (3,),
    "InstanceNorm2d": (3,),
    "Dropout2d": (3,),
    "Upsample": (2, 3, 4),
    "PixelShuffle": (3,),
    **{k: (2,) for k in ("RNN", "LSTM", "GRU", "MultiheadAttention", "TransformerEncoderLayer")},
    "ConvTranspose3d": (4,),
    "AdaptiveAvgPool3d": (4,),
    "AdaptiveMaxPool1d": (2,),
    "AdaptiveMaxPool3d": (4,),
    **{f"LPPool{n}d": (n, n + 1) for n in (1, 2, 3)},
    **{f"FractionalMaxPool{n}d": (n + 1,) for n in (2, 3)},
    **{
        f"{kind}Pad{n}d": (n, n + 1)
        for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")
        for n in (1, 2, 3)
    },
    "InstanceNorm1d": (2,),
    "InstanceNorm3d": (4,),
    "LocalResponseNorm": (2, 3, 4),
    "CrossMapLRN2d": (3,),
    "Dropout1d": (2,),
    "Dropout3d": (4,),
    "Softmax2d": (3,),
    "PixelUnshuffle": (3,),
    "ChannelShuffle": (2, 3),
    "Unfold": (3,),
    "Fold": (2,),
    "UpsamplingNearest2d": (3,),
    "UpsamplingBilinear2d": (3,),
    "EmbeddingBag": (1,),
    **{k: (1,) for k in ("RNNCell", "LSTMCell", "GRUCell")},
    **{k: (2,) for k in ("TransformerDecoderLayer", "Transformer")},
}
INT_FRIENDLY = (
    "Embedding",
    "EmbeddingBag",
    "Flatten",
    "Reshape",
    "Permute",
    "Index",
    "Identity",
    "Unflatten",
    "ZeroPad1d",
    "ConstantPad2d",
    "ChannelShuffle",
)


class _Builder:
    """Grows one project wire by wire, reading the checker's shapes to draw plausible params."""

    def __init__(self, draw: Draw, valid_only: bool) -> None:
        self.draw = draw
        self.valid_only = valid_only
        self.project = Project("random")

    def shape_of(self, end: tuple[str, int]) -> tuple[Shape, str] | None:
        report = self.project.validate().nodes[end[0]]
        outputs = report.outputs
        t = outputs[end[1]] if end[1] < len(outputs) else None
        return None if t is None else (t.shape, t.dtype)

    def add(self, node_type: str, params: dict, sources: list[tuple[str, int]]) -> str | None:
        """Add a node fed by `sources`; in valid-only mode undo it if the checker objects."""
        node_id = self.project.new_id(node_type.lower())
        self.project.add_node(Node(node_id, node_type, params))
        edges = [Edge(s, node_id, sp, i) for i, (s, sp) in enumerate(sources)]
        for edge in edges:
            self.project.add_edge(edge)
        if self.valid_only and self.project.validate().errors:
            for edge in edges:
                self.project.remove_edge(edge)
            self.project.remove_node(node_id)
            return None
        return node_id

    def layer(self, end: tuple[str, int]) -> tuple[str, int]:
        draw = self.draw
        known = self.shape_of(end)
        shape, dtype = known if known else ((4,), "float32")
        for _ in range(4 if self.valid_only else 1):
            if dtype == INT and _chance(draw, 85):
                node_type = draw(st.sampled_from(INT_FRIENDLY))
            else:
                node_type = draw(st.sampled_from(LAYER_TYPES))
                fits = FITS.get(node_type)
                if fits and len(shape) not in fits and _chance(draw, 75):
                    node_type = draw(st.sampled_from(LAYER_TYPES))
            params = PARAMS[node_type](draw, shape)
            node_id = self.add(node_type, params, [end])
            if node_id is not None:
                outputs = self.project.validate().nodes[node_id].outputs
                ports = max(len(outputs), 1)  # Split and Chunk: as many as their pieces
                port = draw(st.integers(0, ports - 1)) if _chance(draw, 30) else 0
                return node_id, port
        return end

    def merge(self, end: tuple[str, int]) -> tuple[str, int]:
        draw = self.draw
        other = end
        if _chance(draw, 10):
            # A learned tensor joins the branch (a positional embedding added, a token), or a
            # fixed one (a mean subtracted).
            known = self.shape_of(end)
            params = _parameter(draw, known[0] if known else (4,))
            # a fixed one where it starts at zeros: read off what was drawn, not drawn anew, so
            # the fixed examples every other property test replays stay the same
            kind = "Buffer" if params.get("init") == "zeros" else "Parameter"
            node_id = self.add(kind, params, [])
            other = end if node_id is None else (node_id, 0)
        for _ in range(draw(st.integers(0 if other != end else 1, 2))):
            other = self.layer(other)
        if other == end and _chance(draw, 50):
            return end
        merge_type = draw(st.sampled_from(MERGE_TYPES))
        params: dict[str, Any] = {}
        known = self.shape_of(end)
        if merge_type == "Concat":
            rank = max(len(known[0]), 1) if known else 1  # [N] samples have rank 0
            params["dim"] = draw(st.integers(1, rank)) if _chance(draw, 70) else _dim(draw, rank)
        elif merge_type == "Stack":  # joined along a new dim: it may follow the last one
            rank = (len(known[0]) if known else 0) + 1
            params["dim"] = draw(st.integers(1, rank)) if _chance(draw, 70) else _dim(draw, rank)
        elif merge_type in TWO_INPUTS:
            params = PARAMS[merge_type](draw, known[0] if known else (4,))
            if _chance(draw, 40):
                other = end  # the same tensor twice: shapes agree, as self-attention's do
        sources = [end, other]
        if merge_type in ("Add", "Multiply", "Concat", "Stack") and _chance(draw, 15):
            sources.append(end)
        node_id = self.add(merge_type, params, sources)
        return end if node_id is None else (node_id, 0)

    def build(self, max_layers: int) -> Project:
        draw = self.draw
        int_input = _chance(self.draw, 10)
        ranks = [1, 2] if int_input else [1, 2, 2, 3, 3, 3, 4]  # images are the common case
        rank = draw(st.sampled_from(ranks))
        shape = [draw(st.integers(1, 5 if rank > 2 else 8)) for _ in range(rank)]
        params = {"shape": shape, "dtype": "int64"} if int_input else {"shape": shape}
        end = (self.add("Input", params, []), 0)
        for _ in range(draw(st.integers(1, max_layers))):
            end = self.merge(end) if _chance(draw, 20) else self.layer(end)
        self.add("Output", {}, [end])
        return self.project


@st.composite
def any_projects(draw: Draw, max_layers: int = 5) -> Project:
    """Random networks, right or wrong: chains of any layers with branches and merges."""
    return _Builder(draw, valid_only=False).build(max_layers)


@st.composite
def valid_projects(draw: Draw, max_layers: int = 5) -> Project:
    """Random networks the checker accepts (warnings allowed), with branches and merges."""
    return _Builder(draw, valid_only=True).build(max_layers)
