"""The layer library: importing this package registers every LayerSpec, in palette order."""

from importlib import import_module

# Registration order is palette order, so the modules are imported in this order on purpose.
PALETTE_ORDER = (
    "io",
    "linear",
    "conv",
    "pooling",
    "norm",
    "dropout",
    "activation",
    "shape_ops",
    "resampling",
    "embedding",
    "recurrent",
    "attention",
    "merge",
)

for _module in PALETTE_ORDER:
    import_module(f"graph.layers.{_module}")
