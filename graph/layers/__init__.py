"""The layer library: importing this package registers every LayerSpec, in palette order."""

from importlib import import_module

# Registration order is palette order, so the modules are imported in this order on purpose.
PALETTE_ORDER = (
    "io",
    "linear",
    "conv",
    "pooling",
    "pooling_special",
    "padding",
    "norm",
    "norm_local",
    "dropout",
    "dropout_variants",
    "activation",
    "pointwise",
    "shape_ops",
    "resampling",
    "rearrange",
    "embedding",
    "embedding_bag",
    "recurrent",
    "cells",
    "attention",
    "transformer",
    "merge",
    "distance",
    "arithmetic",
    "reductions",
    "tensor_ops",
    "split_ops",
    "parameter",
    "code",
)

for _module in PALETTE_ORDER:
    import_module(f"graph.layers.{_module}")
