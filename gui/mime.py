"""MIME types shared by the palette (drag source) and the canvas (drop target)."""

LAYER_MIME = "application/x-netwright-layer"  # payload: the layer type, UTF-8 ("Conv2d")
FRAGMENT_MIME = "application/x-netwright-fragment"  # payload: Document.fragment() JSON
