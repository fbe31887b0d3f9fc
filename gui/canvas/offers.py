"""The quick-add list, opened where a layer could go: on empty canvas, on a wire, at a wire's
loose end. Each offer lists the layers that fit there and turns the pick into one Document step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF

from graph import Edge, all_specs, get_spec
from gui.canvas.quick_add import QuickAddPopup, fitting_layers
from gui.canvas.style import HEADER_HEIGHT, NODE_WIDTH

if TYPE_CHECKING:
    from gui.canvas.view import CanvasView


def offer_layers(
    view: CanvasView, layer_types: list[str], scene_pos: QPointF, on_chosen: Callable[[str], None]
) -> None:
    """Open the quick-add list at `scene_pos`; `on_chosen(layer_type)` runs on a pick."""
    if view.quick_add is not None:
        view.quick_add.close()
        view.quick_add.deleteLater()
    popup = QuickAddPopup(layer_types, view)
    view.quick_add = popup
    popup.chosen.connect(on_chosen)
    popup.popup_at(view.viewport().mapToGlobal(view.mapFromScene(scene_pos)))


def _node_pos(scene_pos: QPointF) -> tuple[float, float]:
    """A new node's corner, so that its header sits under the mouse."""
    return (scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - HEADER_HEIGHT / 2)


def offer_any_layer(view: CanvasView, scene_pos: QPointF) -> None:
    """Every layer, to add at `scene_pos` (double-click or right-click on empty canvas)."""
    pos = _node_pos(scene_pos)

    def add(layer_type: str) -> None:
        new_id = view.document.add_node(layer_type, pos)
        if new_id is not None:
            view.select_nodes([new_id])

    offer_layers(view, [s.type for s in all_specs()], scene_pos, add)


def offer_insert(view: CanvasView, edge: Edge, scene_pos: QPointF) -> None:
    """The layers that could sit on `edge` (they accept its shape and pass something on)."""
    report = view.document.project.validate().nodes.get(edge.source)
    outputs = report.outputs if report is not None else []
    incoming = outputs[edge.source_port] if edge.source_port < len(outputs) else None
    types = [t for t in fitting_layers(incoming) if (spec := get_spec(t)) and spec.outputs]
    pos = _node_pos(scene_pos)

    def insert(layer_type: str) -> None:
        if edge in view.document.project.edges:  # it may have gone while the list was open
            new_id = view.document.insert_on_wire(layer_type, edge, pos)
            if new_id is not None:
                view.select_nodes([new_id])

    offer_layers(view, types, scene_pos, insert)
