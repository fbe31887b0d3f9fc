"""The canvas's right-click menu: what can be done with the node, wire or empty spot clicked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMenu, QWidget

from gui.canvas.actions import CanvasActions
from gui.canvas.grid import SnapGrid
from gui.canvas.offers import LayerOffers
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection
from gui.document import Document


class CanvasMenu:
    """Builds the menu for a spot; a node clicked outside the selection is selected first."""

    def __init__(
        self,
        document: Document,
        scene: CanvasScene,
        selection: CanvasSelection,
        actions: CanvasActions,
        offers: LayerOffers,
        grid: SnapGrid,
        fit: Callable[[], None],
    ) -> None:
        self._document = document
        self._scene = scene
        self._selection = selection
        self._actions = actions
        self._offers = offers
        self._grid = grid
        self._fit = fit

    def build(self, parent: QWidget, scene_pos: QPointF) -> QMenu:
        scene, selection, actions = self._scene, self._selection, self._actions
        document, offers, grid = self._document, self._offers, self._grid
        menu = QMenu(parent)
        editable = not document.read_only
        node = scene.node_at(scene_pos)
        wire = scene.wire_at(scene_pos) if node is None else None
        if node is not None:
            if node.node_id not in selection.node_ids():
                selection.select([node.node_id])
            count = len(selection.node_ids())
            several = f" {count} layers" if count > 1 else ""
            menu.addAction("Rename", actions.rename).setEnabled(editable and count == 1)
            menu.addAction(f"Duplicate{several}", actions.duplicate).setEnabled(editable)
            menu.addSeparator()
            menu.addAction(f"Cut{several}", actions.cut).setEnabled(editable)
            menu.addAction(f"Copy{several}", actions.copy)
            menu.addAction(f"Delete{several}", actions.delete).setEnabled(editable)
        elif wire is not None and wire.edge is not None:
            edge = wire.edge
            menu.addAction(
                "Insert a layer here…", lambda: offers.insert(edge, scene_pos)
            ).setEnabled(editable)
            menu.addAction("Delete wire", lambda: document.disconnect(edge)).setEnabled(editable)
        else:
            menu.addAction("Add a layer here…", lambda: offers.any_layer(scene_pos)).setEnabled(
                editable
            )
            menu.addAction("Paste", actions.paste).setEnabled(editable)
            menu.addSeparator()
            menu.addAction("Auto-layout", actions.auto_layout).setEnabled(editable)
            menu.addAction("Fit to view", self._fit)
            snap = menu.addAction("Snap to grid", lambda: setattr(grid, "on", not grid.on))
            snap.setCheckable(True)
            snap.setChecked(grid.on)
        return menu
