"""The layer library: importing this package registers every LayerSpec, in palette order."""

from graph.layers import (  # noqa: F401  (imported for their registrations)
    activation,
    conv,
    io,
    linear,
    merge,
    pooling,
    shape_ops,
)
