"""The node editor: a CanvasView showing a Document's project as nodes and wires."""

from gui.canvas.pyside_guard import protect_none

protect_none()  # before any painting: see pyside_guard for the PySide6 6.12 / Python 3.11 bug

from gui.canvas.view import CanvasView  # noqa: E402

__all__ = ["CanvasView"]
