"""The canvas's editing actions, as the window's menus and the canvas's keys call them: copy,
cut, paste, duplicate, delete, rename, select all and auto-layout. Each is one Document step.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from graph.grouping import GroupError
from gui.canvas.clipboard import CanvasClipboard
from gui.canvas.layout import layered_positions
from gui.canvas.navigator import Navigator
from gui.canvas.rename_editor import InlineRenamer
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection
from gui.canvas.style import GRID
from gui.document import Document
from i18n import localize

translate = QCoreApplication.translate


class CanvasActions:
    def __init__(
        self,
        document: Document,
        scene: CanvasScene,
        selection: CanvasSelection,
        clipboard: CanvasClipboard,
        renamer: InlineRenamer,
        navigator: Navigator,
    ) -> None:
        self._document = document
        self._scene = scene
        self._selection = selection
        self._clipboard = clipboard
        self._renamer = renamer
        self._navigator = navigator

    def copy(self) -> None:
        self._clipboard.copy(self._selection.node_ids())

    def cut(self) -> None:
        if self._selection.node_ids():
            self.copy()
            self.delete()

    def paste(self) -> None:
        ids = self._clipboard.paste()
        if ids:
            self._selection.select(ids)

    def duplicate(self) -> None:
        ids = self._clipboard.duplicate(self._selection.node_ids())
        if ids:
            self._selection.select(ids)

    def delete(self) -> None:
        ids = self._selection.node_ids()
        edges = [w.edge for w in self._scene.selected_wires() if w.edge is not None]
        if ids or edges:
            self._document.remove(ids, edges)

    def group(self) -> str | None:
        """Group the selection into a new block and select its instance; the reason (one
        sentence) when it cannot be grouped."""
        try:
            instance = self._document.group(self._selection.node_ids())
        except GroupError as exc:
            return localize(exc.args[0])
        if instance:
            self._selection.select([instance])
        return None

    def ungroup(self) -> str | None:
        """Put the selected instance's nodes in its place and select them; or the reason not."""
        ids = self._selection.node_ids()
        if len(ids) != 1:
            return QCoreApplication.translate("Canvas", "Select one block instance to ungroup")
        try:
            inner = self._document.ungroup(ids[0])
        except GroupError as exc:
            return localize(exc.args[0])
        self._selection.select(inner)
        return None

    def rename(self) -> None:
        """Edit the label of the (first) selected node in place."""
        ids = self._selection.node_ids()
        if ids:
            self._renamer.open(ids[0])

    def toggle_freeze(self) -> None:
        """Freeze the selected layers (their parameters get no gradient), or thaw them if all
        are frozen already; one undo step."""
        ids = self._selection.node_ids()
        if ids:
            project = self._document.drawing
            frozen = not all(project.node(nid).frozen for nid in ids)
            self._document.freeze(ids, frozen)

    def select_all(self) -> None:
        self._selection.select([n.id for n in self._document.drawing.nodes])

    def auto_layout(self) -> None:
        """Arrange every node in layers (one undoable step), then fit the view to them."""
        project = self._document.drawing
        if not project.nodes:
            return
        shown = self._scene.shown_positions()
        dx = round(min(x for x, _ in shown.values()) / GRID) * GRID
        dy = round(min(y for _, y in shown.values()) / GRID) * GRID
        target = layered_positions(project)
        left = min(x for x, _ in target.values())
        top = min(y for _, y in target.values())
        moves = {nid: (x - left + dx, y - top + dy) for nid, (x, y) in target.items()}
        moves = {nid: p for nid, p in moves.items() if project.node(nid).pos != p}
        if moves:
            with self._document.macro(translate("Canvas", "Auto-layout")):
                self._document.move_nodes(moves)
        self._navigator.fit()
