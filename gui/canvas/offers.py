"""The quick-add list, opened where a layer could go: on empty canvas, on a wire, at a wire's
loose end. Each offer lists the layers that fit there and turns the pick into one Document step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtWidgets import QWidget

from graph import Edge, all_specs, get_spec
from gui.canvas.quick_add import QuickAddPopup, fitting_layers
from gui.canvas.selection import CanvasSelection
from gui.canvas.style import HEADER_HEIGHT, NODE_WIDTH
from gui.document import Document


def node_corner(scene_pos: QPointF) -> tuple[float, float]:
    """A new node's corner, so that its header sits under the mouse."""
    return (scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - HEADER_HEIGHT / 2)


class LayerOffers:
    """Opens one quick-add list at a time over `parent`; `to_global` maps scene to screen."""

    def __init__(
        self,
        document: Document,
        selection: CanvasSelection,
        parent: QWidget,
        to_global: Callable[[QPointF], QPoint],
    ) -> None:
        self._document = document
        self._selection = selection
        self._parent = parent
        self._to_global = to_global
        self.popup: QuickAddPopup | None = None

    def offer(
        self, layer_types: list[str], scene_pos: QPointF, on_chosen: Callable[[str], None]
    ) -> None:
        """Open the quick-add list at `scene_pos`; `on_chosen(layer_type)` runs on a pick."""
        if self.popup is not None:
            self.popup.close()
            self.popup.deleteLater()
        popup = QuickAddPopup(layer_types, self._parent)
        self.popup = popup
        popup.chosen.connect(on_chosen)
        popup.popup_at(self._to_global(scene_pos))

    def close(self) -> None:
        if self.popup is not None:
            self.popup.close()  # it would add to a project that is going away

    def any_layer(self, scene_pos: QPointF) -> None:
        """Every layer, to add at `scene_pos` (double-click or right-click on empty canvas)."""
        pos = node_corner(scene_pos)
        document, selection = self._document, self._selection

        def add(layer_type: str) -> None:
            new_id = document.add_node(layer_type, pos)
            if new_id is not None:
                selection.select([new_id])

        self.offer([s.type for s in all_specs()], scene_pos, add)

    def insert(self, edge: Edge, scene_pos: QPointF) -> None:
        """The layers that could sit on `edge` (they accept its shape and pass something on)."""
        document, selection = self._document, self._selection
        report = document.drawing_report().nodes.get(edge.source)
        outputs = report.outputs if report is not None else []
        incoming = outputs[edge.source_port] if edge.source_port < len(outputs) else None
        types = [t for t in fitting_layers(incoming) if (spec := get_spec(t)) and spec.outputs]
        pos = node_corner(scene_pos)

        def insert(layer_type: str) -> None:
            if edge in document.drawing.edges:  # it may have gone while the list was open
                new_id = document.insert_on_wire(layer_type, edge, pos)
                if new_id is not None:
                    selection.select([new_id])

        self.offer(types, scene_pos, insert)
