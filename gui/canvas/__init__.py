"""The node editor: a CanvasView showing a Document's project as nodes and wires."""

from gui.canvas.view import CanvasView

__all__ = ["CanvasView"]
