"""Mouse gestures on the canvas, each turned into Document calls (so each is undoable).

- MoveNodes: dragging selected nodes; every step is `Document.move_nodes` with one merge key, so
  the whole drag is one undo step. Dropping a single unwired node onto a wire inserts it there.
- DrawWire: dragging from a port. Ports that would accept the wire light up, the others refuse
  and say why (`Project.connection_problem`); dropping on empty canvas offers the layers that fit.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPointF, QRectF

from graph import Edge
from graph.problem_codes import ProblemCode
from gui.canvas.grid import SnapGrid
from gui.canvas.hint_item import HintItem
from gui.canvas.node_item import NodeItem
from gui.canvas.offers import LayerOffers
from gui.canvas.port_item import PortItem, PortState
from gui.canvas.quick_add import fitting_layers, layers_with_outputs
from gui.canvas.scene import CanvasScene
from gui.canvas.selection import CanvasSelection
from gui.canvas.style import NODE_WIDTH
from gui.canvas.wire_item import WireItem
from gui.document import Document
from i18n import localize

translate = QCoreApplication.translate

_drag_keys = itertools.count(1)


class MoveNodes:
    """Dragging `items` (the first is the one under the mouse) from the scene point `press`.

    A single unwired node dragged over a wire lights that wire and outlines the node (the insert
    target); releasing there puts the node on the wire.
    """

    def __init__(
        self,
        document: Document,
        scene: CanvasScene,
        grid: SnapGrid,
        items: list[NodeItem],
        press: QPointF,
    ) -> None:
        self.document = document
        self.scene = scene
        self.grid = grid
        self.press = press
        self.start = {item.node_id: QPointF(item.pos()) for item in items}
        self.key = ("canvas-drag", next(_drag_keys))
        self.moved = False
        self.single = items[0] if len(items) == 1 else None
        self.target_wire: WireItem | None = None

    def move(self, scene_pos: QPointF) -> None:
        delta = scene_pos - self.press
        if not self.moved and abs(delta.x()) + abs(delta.y()) < 2:
            return
        self.moved = True
        moves: dict[str, tuple[float, float]] = {}
        for node_id, origin in self.start.items():
            moves[node_id] = self.grid.place(origin.x() + delta.x(), origin.y() + delta.y())
        self.document.move_nodes(moves, merge_key=self.key)
        self._track_wire(scene_pos)

    def _track_wire(self, scene_pos: QPointF) -> None:
        wire = None
        if self.single is not None and self._insertable(self.single):
            wire = self.scene.wire_at(scene_pos, exclude=self.single)
        if wire is not self.target_wire:
            self._light(False)
            self.target_wire = wire
            self._light(True)

    def _light(self, on: bool) -> None:
        """Light (or unlight) the target wire and the dragged node's insert outline."""
        if self.target_wire is None:
            return
        self.target_wire.set_highlighted(on)
        if self.single is not None:
            self.single.set_insert_target(on)

    def _insertable(self, item: NodeItem) -> bool:
        return not item.wires and bool(item.inputs) and bool(item.outputs)

    def finish(self, scene_pos: QPointF) -> None:
        wire = self.target_wire
        if wire is None or self.single is None or wire.edge is None:
            return
        self._light(False)
        edge, node_id = wire.edge, self.single.node_id
        document = self.document
        with document.macro(
            translate("Canvas", "Insert '{node_id}' on wire").format(node_id=node_id)
        ):
            document.disconnect(edge)
            document.connect(Edge(edge.source, node_id, edge.source_port, 0))
            document.connect(Edge(node_id, edge.target, 0, edge.target_port))

    def cancel(self) -> None:
        self._light(False)


class DrawWire:
    """Dragging a wire from `origin`. An input that already has a wire picks that wire up."""

    def __init__(
        self,
        document: Document,
        scene: CanvasScene,
        visible_rect: Callable[[], QRectF],
        offers: LayerOffers,
        selection: CanvasSelection,
        status: Callable[[str], None],
        origin: PortItem,
    ) -> None:
        self.document = document
        self.scene = scene
        self._visible_rect = visible_rect
        self._offers = offers
        self._selection = selection
        self._status = status
        self.detached: Edge | None = None
        if not origin.is_output:
            wired = [
                e
                for e in document.drawing.in_edges(origin.node_id)
                if e.target_port == origin.index
            ]
            if wired:
                # Pick the wire up by its end: it now hangs from its source's output.
                self.detached = wired[0]
                origin = scene.nodes[wired[0].source].outputs[wired[0].source_port]
                scene.wires[wired[0]].hide()
        self.origin = origin
        self.draft = WireItem(None, scene.style)
        self.draft.setZValue(5)
        scene.addItem(self.draft)
        self.hint = HintItem(scene.style)
        scene.addItem(self.hint)
        self._verdicts: dict[tuple[str, int, bool], str | None] = {}
        self._states: list[PortItem] = []
        self.hover: PortItem | None = None
        self._judge_visible()

    # --- judging ports -------------------------------------------------------------------------

    def edge_to(self, port: PortItem) -> Edge:
        if self.origin.is_output:
            return Edge(self.origin.node_id, port.node_id, self.origin.index, port.index)
        return Edge(port.node_id, self.origin.node_id, port.index, self.origin.index)

    def verdict(self, port: PortItem) -> str | None:
        """None if a wire may end at `port`, else the reason it may not."""
        key = (port.node_id, port.index, port.is_output)
        if key not in self._verdicts:
            edge = self.edge_to(port)
            if edge == self.detached:
                problem = None
            else:
                project = self.document.drawing
                problem = project.connection_problem(edge)
                if (
                    problem is not None
                    and self.detached is not None
                    and problem.code == ProblemCode.DUPLICATE_WIRE
                    and edge.target == self.detached.target
                    and edge.target_port == self.detached.target_port
                ):
                    problem = None
            self._verdicts[key] = None if problem is None else localize(problem.message)
        return self._verdicts[key]

    def _candidate(self, port: PortItem) -> bool:
        return port.is_output != self.origin.is_output and port.node_item is not (
            self.origin.node_item
        )

    def _judge_visible(self) -> None:
        """Light up the ports on screen (only those: a 1,000-node scene stays quick)."""
        for port in self.scene.visible_ports(self._visible_rect()):
            if not self._candidate(port):
                continue
            if port.state == PortState.NORMAL:
                reason = self.verdict(port)
                port.set_state(
                    PortState.FITS if reason is None else PortState.REFUSES, reason or ""
                )
                self._states.append(port)

    # --- the gesture ---------------------------------------------------------------------------

    def move(self, scene_pos: QPointF) -> None:
        self._judge_visible()
        port = self._target_at(scene_pos)
        self.hover = port
        end = port.scenePos() if port is not None else scene_pos
        start = self.origin.scenePos()
        if self.origin.is_output:
            self.draft.set_ends(start, end)
        else:
            self.draft.set_ends(end, start)
        reason = self.verdict(port) if port is not None else None
        self.draft.draft_state = "" if port is None else ("refuses" if reason else "fits")
        self.draft.update()
        if port is not None and reason:
            self.hint.show_text(reason)
            self.hint.setPos(port.scenePos() + QPointF(12, 12))
        else:
            self.hint.hide()

    def _target_at(self, scene_pos: QPointF) -> PortItem | None:
        port = self.scene.port_at(scene_pos)
        if port is not None and self._candidate(port):
            return port
        node = self.scene.node_at(scene_pos)
        if node is None or node is self.origin.node_item:
            return None
        # Dropped on a node's body: its first port that fits (else its first port, to explain).
        ports = node.inputs if self.origin.is_output else node.outputs
        for p in ports:
            if self.verdict(p) is None:
                return p
        return ports[0] if ports else None

    def finish(self, scene_pos: QPointF) -> None:
        port = self._target_at(scene_pos)
        self._clear()
        document = self.document
        if port is not None:
            reason = self.verdict(port)
            if reason is not None:
                self._restore_detached()
                self._status(reason)
                return
            edge = self.edge_to(port)
            if edge == self.detached:
                self._restore_detached()
                return
            if self.detached is not None:
                with document.macro(translate("Canvas", "Reconnect wire")):
                    document.disconnect(self.detached)
                    document.connect(edge)
            else:
                document.connect(edge)
            return
        if self.scene.node_at(scene_pos) is not None:
            self._restore_detached()
            return
        if self.detached is not None:
            document.disconnect(self.detached)  # a wire pulled off into the void is deleted
            return
        self._offer_layers(scene_pos)

    def cancel(self) -> None:
        self._clear()
        self._restore_detached()

    def _restore_detached(self) -> None:
        if self.detached is not None and self.detached in self.scene.wires:
            self.scene.wires[self.detached].show()

    def _clear(self) -> None:
        for port in self._states:
            port.set_state(PortState.NORMAL)
        self._states.clear()
        self.scene.removeItem(self.draft)
        self.scene.removeItem(self.hint)

    def _offer_layers(self, scene_pos: QPointF) -> None:
        origin = self.origin
        document = self.document
        project = document.drawing
        if origin.is_output:
            report = project.validate().nodes.get(origin.node_id)
            incoming = None
            if report is not None and origin.index < len(report.outputs):
                incoming = report.outputs[origin.index]
            types = fitting_layers(incoming)
        else:
            types = layers_with_outputs()
        node_id, port, is_output = origin.node_id, origin.index, origin.is_output
        pos = (scene_pos.x() - NODE_WIDTH / 2, scene_pos.y() - (0 if is_output else 90))

        selection = self._selection

        def add(layer_type: str) -> None:
            if not document.drawing.has_node(node_id):
                return  # the node went away (undo, another file) while the list was open
            with document.macro(
                translate("Canvas", "Add {layer_type}").format(layer_type=layer_type)
            ):
                new_id = document.add_node(layer_type, pos)
                if new_id is None:
                    return
                if is_output:
                    document.connect(Edge(node_id, new_id, port, 0))
                else:
                    document.connect(Edge(new_id, node_id, 0, port))
            selection.select([new_id])

        self._offers.offer(types, scene_pos, add)
