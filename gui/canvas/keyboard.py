"""The canvas without a mouse: moving between nodes and wiring them from the keyboard.

Arrow keys select the nearest node in that direction, Tab and Shift+Tab go through the nodes in
the drawing's order. W starts a wire from the selected node's output; while it hangs, the arrow
keys and Tab move its end from node to node (the ports light up as for the mouse), Enter connects
it to the node it points at and Escape drops it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt

from graph import Project
from gui.canvas.interactions import DrawWire
from gui.canvas.navigator import Navigator
from gui.canvas.node_item import NodeItem
from gui.canvas.pointer import PointerInteractions
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection

# Direction of each arrow key in scene coordinates (y grows downwards).
ARROWS: dict[Qt.Key, tuple[int, int]] = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


def _centre(item: NodeItem) -> QPointF:
    return item.mapToScene(item.body_rect().center())


def nearest_in_direction(
    origin: NodeItem, items: list[NodeItem], direction: tuple[int, int]
) -> NodeItem | None:
    """The node a person means by "the next one that way": ahead within a 45° cone first, nearest
    along the direction, with sideways distance counting double."""
    start = _centre(origin)
    dx, dy = direction
    best: tuple[float, NodeItem] | None = None
    for item in items:
        if item is origin:
            continue
        offset = _centre(item) - start
        ahead = offset.x() * dx + offset.y() * dy
        aside = abs(offset.x() * dy) + abs(offset.y() * dx)
        if ahead <= 0 or aside > ahead * 1.0 + 1:
            continue
        score = ahead + 2 * aside
        if best is None or score < best[0]:
            best = (score, item)
    return best[1] if best is not None else None


class KeyboardNavigator:
    def __init__(
        self,
        scene: CanvasScene,
        project: Callable[[], Project],
        selection: CanvasSelection,
        navigator: Navigator,
        pointer: PointerInteractions,
        read_only: Callable[[], bool],
    ) -> None:
        self._scene = scene
        self._project = project
        self._selection = selection
        self._navigator = navigator
        self._pointer = pointer
        self._read_only = read_only
        self._wire: DrawWire | None = None
        self._target: NodeItem | None = None

    def _items(self) -> list[NodeItem]:
        nodes = self._scene.nodes
        return [nodes[n.id] for n in self._project().nodes if n.id in nodes]

    def _current(self) -> NodeItem | None:
        if self.wiring():
            return self._target or (self._wire.origin.node_item if self._wire else None)
        ids = self._selection.node_ids()
        return self._scene.nodes.get(ids[-1]) if ids else None

    def wiring(self) -> bool:
        """A wire started from the keyboard still hangs (the mouse may have taken over)."""
        if self._wire is not None and self._pointer.gesture is not self._wire:
            self._wire = self._target = None
        return self._wire is not None

    # --- moving ------------------------------------------------------------------------------

    def arrow(self, key: Qt.Key) -> bool:
        """Go to the nearest node in the arrow's direction; True if the key was used."""
        items = self._items()
        if not items:
            return False
        current = self._current()
        if current is None:
            self._go(items[0])
            return True
        target = nearest_in_direction(current, items, ARROWS[key])
        if target is not None:
            self._go(target)
        return True

    def step(self, forward: bool) -> bool:
        """Tab / Shift+Tab: the next or previous node; False past the last (focus moves on)."""
        items = self._items()
        if not items:
            return False
        current = self._current()
        if current is None:
            self._go(items[0] if forward else items[-1])
            return True
        index = items.index(current) + (1 if forward else -1)
        if not 0 <= index < len(items):
            if self.wiring():
                index %= len(items)  # a hanging wire keeps the focus on the canvas
            else:
                return False
        self._go(items[index])
        return True

    def _go(self, item: NodeItem) -> None:
        self._navigator.reveal(item)
        if self.wiring():
            assert self._wire is not None
            self._target = item
            self._wire.move(_centre(item))
        else:
            self._selection.select([item.node_id])

    # --- wiring ------------------------------------------------------------------------------

    def start_wire(self) -> bool:
        """W: a wire from the selected node's first output, its end on the nearest node below."""
        ids = self._selection.node_ids()
        if len(ids) != 1 or self._read_only():
            return False
        item = self._scene.nodes.get(ids[0])
        if item is None or not item.outputs:
            return False
        self._wire = self._pointer.draw_wire(item.outputs[0])
        self._target = None
        below = nearest_in_direction(item, self._items(), (0, 1))
        if below is not None:
            self._go(below)
        return True

    def connect(self) -> bool:
        """Enter: connect the hanging wire to the node it points at."""
        if not self.wiring() or self._target is None:
            return False
        wire, target = self._wire, self._target
        assert wire is not None
        self._pointer.gesture = None
        self._wire = self._target = None
        wire.finish(_centre(target))
        self._selection.select([target.node_id])
        return True
