"""Which nodes are selected on the canvas, in project order, and selecting nodes by id."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6

from graph import Project
from gui.canvas.scene import CanvasScene


class CanvasSelection:
    """Reads and sets the scene's selection; `changed(ids)` hears every change, once."""

    def __init__(
        self,
        scene: CanvasScene,
        project: Callable[[], Project],
        changed: Callable[[list[str]], None],
    ) -> None:
        self._scene = scene
        self._project = project
        self._changed = changed
        scene.selectionChanged.connect(self.announce)

    def node_ids(self) -> list[str]:
        selected = {i.node_id for i in self._scene.selected_node_items()}
        return [n.id for n in self._project().nodes if n.id in selected]

    def select(self, ids: list[str]) -> None:
        scene = self._scene
        wanted = set(ids)
        scene.blockSignals(True)  # one announcement for the whole change, not one per item
        try:
            scene.clearSelection()
            for node_id in wanted:
                item = scene.nodes.get(node_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            scene.blockSignals(False)
        scene.selection_updated()
        self.announce()

    def announce(self) -> None:
        if shiboken6.isValid(self._scene):  # a scene being destroyed clears its selection
            self._changed(self.node_ids())
