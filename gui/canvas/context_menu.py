"""The canvas's right-click menu: what can be done with the node, wire or empty spot clicked."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPointF
from PySide6.QtWidgets import QMenu, QWidget

from gui.canvas.actions import CanvasActions
from gui.canvas.grid import SnapGrid
from gui.canvas.offers import LayerOffers
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection
from gui.document import Document

translate = QCoreApplication.translate


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

            def named(one: str, several: str) -> str:
                return one if count == 1 else several.format(count=count)

            node_id = node.node_id
            if count == 1 and document.drawing.node(node_id).type in document.project.blocks:
                menu.addAction(  # what a double-click does, for those who look in the menu
                    translate("Menu", "Open Block"), lambda: document.open_block(node_id)
                )
                menu.addSeparator()
            rename = menu.addAction(translate("Menu", "Rename"), actions.rename)
            rename.setEnabled(editable and count == 1)
            duplicate = named(
                translate("Menu", "Duplicate"), translate("Menu", "Duplicate {count} layers")
            )
            menu.addAction(duplicate, actions.duplicate).setEnabled(editable)
            project = document.drawing
            ids = selection.node_ids()
            thaw = all(project.node(nid).frozen for nid in ids if project.has_node(nid))
            freeze = (
                named(translate("Menu", "Unfreeze"), translate("Menu", "Unfreeze {count} layers"))
                if thaw
                else named(translate("Menu", "Freeze"), translate("Menu", "Freeze {count} layers"))
            )
            menu.addAction(freeze, actions.toggle_freeze).setEnabled(editable)
            menu.addSeparator()
            cut = named(translate("Menu", "Cut"), translate("Menu", "Cut {count} layers"))
            menu.addAction(cut, actions.cut).setEnabled(editable)
            menu.addAction(
                named(translate("Menu", "Copy"), translate("Menu", "Copy {count} layers")),
                actions.copy,
            )
            delete = named(translate("Menu", "Delete"), translate("Menu", "Delete {count} layers"))
            menu.addAction(delete, actions.delete).setEnabled(editable)
        elif wire is not None and wire.edge is not None:
            edge = wire.edge
            insert = menu.addAction(
                translate("Menu", "Insert a layer here…"), lambda: offers.insert(edge, scene_pos)
            )
            insert.setEnabled(editable)
            remove = menu.addAction(
                translate("Menu", "Delete wire"), lambda: document.disconnect(edge)
            )
            remove.setEnabled(editable)
        else:
            add = menu.addAction(
                translate("Menu", "Add a layer here…"), lambda: offers.any_layer(scene_pos)
            )
            add.setEnabled(editable)
            menu.addAction(translate("Menu", "Paste"), actions.paste).setEnabled(editable)
            menu.addSeparator()
            menu.addAction(translate("Menu", "Auto-layout"), actions.auto_layout).setEnabled(
                editable
            )
            menu.addAction(translate("Menu", "Fit to view"), self._fit)
            snap = menu.addAction(
                translate("Menu", "Snap to grid"), lambda: setattr(grid, "on", not grid.on)
            )
            snap.setCheckable(True)
            snap.setChecked(grid.on)
        return menu
