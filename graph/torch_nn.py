"""How the layer library covers torch.nn: the `Lazy*` names it reads as aliases, and the few
public module classes it leaves out, each with the reason (shown in docs/layers.md)."""

from __future__ import annotations

from typing import Any

# torch's Lazy* modules infer their input size on the first call; Netwright infers every size
# anyway, so a Lazy name is read as its layer. Defaults that differ from that layer's come along.
_LAZY_INSTANCE_DEFAULTS = {"affine": True, "track_running_stats": True}
ALIASES: dict[str, tuple[str, dict[str, Any]]] = {
    "LazyLinear": ("Linear", {}),
    **{f"LazyConv{n}d": (f"Conv{n}d", {}) for n in (1, 2, 3)},
    **{f"LazyConvTranspose{n}d": (f"ConvTranspose{n}d", {}) for n in (1, 2, 3)},
    **{f"LazyBatchNorm{n}d": (f"BatchNorm{n}d", {}) for n in (1, 2, 3)},
    **{f"LazyInstanceNorm{n}d": (f"InstanceNorm{n}d", _LAZY_INSTANCE_DEFAULTS) for n in (1, 2, 3)},
}

_CONTAINER = "a container of other modules: Netwright's drawing (and its blocks) plays that part"
_STACK = (
    "a stack of num_layers copies of a layer module passed in: chain {layer} nodes, or use "
    "Transformer"
)

# Public torch.nn module classes that are not in the library, and why. Losses (every subclass of
# torch's _Loss, and AdaptiveLogSoftmaxWithLoss) are left out as a group: they belong to training.
EXCLUDED: dict[str, str] = {
    "Module": "the base class of every layer; write your own as a Code node",
    "Container": _CONTAINER,
    "Sequential": _CONTAINER,
    "ModuleList": _CONTAINER,
    "ModuleDict": _CONTAINER,
    "ParameterList": _CONTAINER,
    "ParameterDict": _CONTAINER,
    "RNNBase": "the shared base class of RNN, LSTM and GRU",
    "RNNCellBase": "the shared base class of RNNCell, LSTMCell and GRUCell",
    "TransformerEncoder": _STACK.format(layer="TransformerEncoderLayer"),
    "TransformerDecoder": _STACK.format(layer="TransformerDecoderLayer"),
    "DataParallel": "a wrapper that copies a model across GPUs, not a layer",
    "SyncBatchNorm": (
        "BatchNorm synchronised across processes; it needs a distributed process group, so draw "
        "BatchNorm (torch's SyncBatchNorm.convert_sync_batchnorm swaps it in for multi-GPU runs)"
    ),
    "AdaptiveLogSoftmaxWithLoss": "a loss: it takes the targets and returns the loss",
    **{
        f"MaxUnpool{n}d": (
            "needs the indices of a max pool's return_indices=True as a second input, which no "
            "node produces yet; use Upsample or ConvTranspose to enlarge"
        )
        for n in (1, 2, 3)
    },
}
LOSSES_REASON = "losses belong to the training settings, not the network"


def canonical(node_type: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The library's type for a node type as written (a Lazy alias becomes its layer)."""
    alias = ALIASES.get(node_type)
    if alias is None:
        return node_type, params
    target, defaults = alias
    return target, {**defaults, **params}
