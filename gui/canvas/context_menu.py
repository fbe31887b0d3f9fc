"""The canvas's right-click menu: what can be done with the node, wire or empty spot clicked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu

from gui.canvas.offers import offer_any_layer, offer_insert

if TYPE_CHECKING:
    from gui.canvas.view import CanvasView


def canvas_menu(view: CanvasView, scene_pos: QPointF) -> QMenu:
    """A menu for the spot at `scene_pos`; a node clicked outside the selection is selected."""
    scene = view.canvas_scene
    menu = QMenu(view)
    editable = not view.document.read_only
    node = scene.node_at(scene_pos)
    wire = scene.wire_at(scene_pos) if node is None else None
    if node is not None:
        if node.node_id not in view.selected_node_ids():
            view.select_nodes([node.node_id])
        count = len(view.selected_node_ids())
        several = f" {count} layers" if count > 1 else ""
        menu.addAction("Rename", view.rename_selected).setEnabled(editable and count == 1)
        menu.addAction(f"Duplicate{several}", view.duplicate_selection).setEnabled(editable)
        menu.addSeparator()
        menu.addAction(f"Cut{several}", view.cut_selection).setEnabled(editable)
        menu.addAction(f"Copy{several}", view.copy_selection)
        menu.addAction(f"Delete{several}", view.delete_selection).setEnabled(editable)
    elif wire is not None and wire.edge is not None:
        edge = wire.edge
        menu.addAction(
            "Insert a layer here…", lambda: offer_insert(view, edge, scene_pos)
        ).setEnabled(editable)
        menu.addAction("Delete wire", lambda: view.document.disconnect(edge)).setEnabled(editable)
    else:
        menu.addAction("Add a layer here…", lambda: offer_any_layer(view, scene_pos)).setEnabled(
            editable
        )
        menu.addAction("Paste", view.paste).setEnabled(editable)
        menu.addSeparator()
        menu.addAction("Auto-layout", view.auto_layout).setEnabled(editable)
        menu.addAction("Fit to view", view.fit_to_view)
        snap = menu.addAction("Snap to grid", lambda: view.set_snap_to_grid(not view.snap_to_grid))
        snap.setCheckable(True)
        snap.setChecked(view.snap_to_grid)
    return menu
