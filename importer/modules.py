"""torch.nn modules -> layer nodes: the spec whose `torch_class` is the module's exact class,
with the module's constructor arguments read back from its attributes.

Subclasses do not match (torchvision's LayerNorm2d overrides `forward`): they are traced through.
Arguments that follow from the input shape are left for the checker to infer; `pin_inferred`
pins any whose inferred value differs from the module's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph import LayerSpec, all_specs
from graph.params import ParamBoundsError, ParamSpec, ParamTypeError

Getter = Callable[[Any], Any]


def spec_for_module(module: Any) -> LayerSpec | None:
    """The layer spec for exactly this module's class, if the library has one."""
    import torch.nn as nn

    for spec in all_specs():
        if spec.torch_class and type(module) is getattr(nn, spec.torch_class, None):
            return spec
    return None


def module_arguments(spec: LayerSpec, module: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(params to store, inferred values to compare): the module's constructor arguments.

    Stored params are those that differ from torch's defaults and are not inferred. Raises
    ValueError naming the argument when a value does not fit the spec.
    """
    special = _SPECIAL.get(spec.type, {})
    stored: dict[str, Any] = {}
    inferred: dict[str, Any] = {}
    for param in spec.params:
        getter = special.get(param.name) or _GENERIC.get(param.name)
        if getter is not None:
            value = getter(module)
        elif hasattr(module, param.name):
            value = getattr(module, param.name)
        else:
            continue
        value = _normalise(param, value)
        if param.inferred:
            inferred[param.name] = value
        elif not same_value(value, param.default):
            stored[param.name] = drawing_value(param, value)
    kernel = stored.get("kernel_size")
    stride = spec.param_index.get("stride")
    if stride is not None and stride.default is None and stored.get("stride", 0) == kernel:
        del stored["stride"]  # what torch's stride=None means for a pool
    return stored, inferred


def _normalise(param: ParamSpec, value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = tuple(value)
    try:
        return param.check(value)
    except (ParamTypeError, ParamBoundsError) as exc:
        raise ValueError(str(exc)) from None


def same_value(value: Any, default: Any) -> bool:
    if isinstance(value, tuple) and default is not None and not isinstance(default, tuple):
        return all(v == default for v in value) and len(value) > 0
    return value == default


def drawing_value(param: ParamSpec, value: Any) -> Any:
    """A value as a person types it in the inspector: 3 for (3, 3), lists for tuples."""
    if param.kind in ("int_or_tuple", "float_or_tuple") and isinstance(value, tuple):
        uniform = value and all(v is not None and v == value[0] for v in value)
        if uniform and (param.arity != 0 or len(value) == 1):
            return value[0]
    return list(value) if isinstance(value, tuple) else value


def _has(name: str) -> Getter:
    return lambda m: getattr(m, name, None) is not None


def _mha_bias(m: Any) -> bool:
    return m.in_proj_bias is not None


def _encoder_activation(m: Any) -> str:
    import torch.nn.functional as F

    act = m.activation
    if act is F.relu or type(act).__name__ == "ReLU":
        return "relu"
    if act is F.gelu or type(act).__name__ == "GELU":
        return "gelu"
    raise ValueError("its activation is neither relu nor gelu")


_GENERIC: dict[str, Getter] = {"bias": lambda m: getattr(m, "bias", None) is not None}

_SPECIAL: dict[str, dict[str, Getter]] = {
    "MultiheadAttention": {
        "bias": _mha_bias,
        "add_bias_kv": _has("bias_k"),
        "dropout": lambda m: float(m.dropout),
        "kdim": lambda m: None if m.kdim == m.embed_dim else m.kdim,
        "vdim": lambda m: None if m.vdim == m.embed_dim else m.vdim,
    },
    # the decoder layer keeps the encoder layer's attributes, and a cross-attention besides
    **{
        layer: {
            "d_model": lambda m: m.self_attn.embed_dim,
            "nhead": lambda m: m.self_attn.num_heads,
            "dim_feedforward": lambda m: m.linear1.out_features,
            "dropout": lambda m: m.dropout.p,
            "activation": _encoder_activation,
            "layer_norm_eps": lambda m: m.norm1.eps,
            "batch_first": lambda m: m.self_attn.batch_first,
            "bias": lambda m: m.linear1.bias is not None,
        }
        for layer in ("TransformerEncoderLayer", "TransformerDecoderLayer")
    },
    "PReLU": {"num_parameters": lambda m: m.weight.numel(), "init": lambda m: 0.25},
    # BatchNorm's `bias` argument only matters with affine=True; torch keeps no attribute for it.
    **{
        t: {"bias": lambda m: (m.bias is not None) if m.affine else True}
        for t in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm2d", "GroupNorm")
    },
    "LayerNorm": {
        "bias": lambda m: (m.bias is not None) if m.elementwise_affine else True,
    },
}
