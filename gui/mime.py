"""MIME types shared by the palette (drag source) and the canvas (drop target)."""

LAYER_MIME = "application/x-netwright-layer"  # payload: the layer type, UTF-8 ("Conv2d")
FRAGMENT_MIME = "application/x-netwright-fragment"  # payload: Document.fragment() JSON
# A block of the user's block library in the palette and its drags: "library:BasicBlock".
LIBRARY_PREFIX = "library:"


def library_name(layer_type: str) -> str | None:
    """The library block a palette type names, or None for a layer or a project block."""
    return (
        layer_type.removeprefix(LIBRARY_PREFIX) if layer_type.startswith(LIBRARY_PREFIX) else None
    )
