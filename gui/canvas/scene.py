"""The canvas scene: one NodeItem per node and one WireItem per wire, kept in step with a Project.

The scene listens to the Project's notifications in one place (`set_project`) and drops the
subscription when the project is swapped. Structure and positions follow each event at once;
validation results (shapes, counts, badges) are refreshed once per event-loop turn, and only for
nodes whose NodeReport changed, so a 1,000-node drawing stays fast.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from graph import Edge, Node, NodeReport, Project, Report, format_shape
from graph.events import (
    BlockAdded,
    BlockEdited,
    BlockRemoved,
    CodeRunsChanged,
    EdgeAdded,
    EdgeRemoved,
    NodeAdded,
    NodeFrozen,
    NodeMoved,
    NodeOptionChanged,
    NodeRelabeled,
    NodeRemoved,
    ParamChanged,
    ProjectEvent,
    TrainingChanged,
)
from graph.fix_finder import has_candidates
from gui.canvas.layout import layered_positions, place_new_node
from gui.canvas.node_item import NodeItem
from gui.canvas.overview_item import OverviewItem
from gui.canvas.port_item import PortItem
from gui.canvas.style import CanvasStyle
from gui.canvas.wire_item import WireItem
from i18n import localize


class CanvasScene(QGraphicsScene):
    refreshed = Signal()  # validation results are on the items
    styleChanged = Signal()  # a new CanvasStyle (the theme changed): pictures made apart repaint
    fixesRequested = Signal(str, object)  # a node's light bulb was clicked (node id, QPoint)

    def __init__(self, style: CanvasStyle, parent=None) -> None:
        super().__init__(parent)
        self.style = style
        self.project: Project | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.wires: dict[Edge, WireItem] = {}
        self._fallback: dict[str, tuple[float, float]] = {}  # shown positions of unplaced nodes
        self._reports: dict[str, NodeReport] = {}
        self._report_of: Callable[[], Report] | None = None  # see set_project
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.overview = OverviewItem(self)
        self.addItem(self.overview)
        self.overview_on = False
        self.selectionChanged.connect(self.selection_updated)

    # --- the one place the scene subscribes --------------------------------------------------

    def set_project(
        self, project: Project | None, report: Callable[[], Report] | None = None
    ) -> None:
        """Show `project` (the top level or a block's drawing). `report` gives its validation
        report (default: its own check); a block opened from an instance passes that
        instance's run, so the inner nodes show that instance's shapes."""
        if self.project is not None:
            self.project.unsubscribe(self._on_event)
        self.clearSelection()
        for item in list(self.nodes.values()) + list(self.wires.values()):
            self.removeItem(item)
        self.nodes.clear()
        self.wires.clear()
        self._reports.clear()
        self._fallback.clear()
        self.project = project
        if project is None:
            self._overview_changed()
            return
        self._report_of = report or project.validate
        if project.nodes and all(n.pos is None for n in project.nodes):
            self._fallback = layered_positions(project)
        for node in project.nodes:
            self._add_node_item(node)
        for edge in project.edges:
            self._add_wire_item(edge)
        project.subscribe(self._on_event)
        self.refresh()
        self._overview_changed()

    def _on_event(self, event: ProjectEvent) -> None:
        project = self.project
        assert project is not None
        if not shiboken6.isValid(self):
            # Qt deleted this scene but the project outlived it: stop listening, touch nothing.
            project.unsubscribe(self._on_event)
            return
        match event:
            case NodeAdded(node=node):
                self._add_node_item(node)
            case NodeRemoved(node=node):
                item = self.nodes.pop(node.id, None)
                if item is not None:
                    self.removeItem(item)
                self._reports.pop(node.id, None)
            case EdgeAdded(edge=edge):
                self._add_wire_item(edge)
                self._sync_node(edge.source)
                self._sync_node(edge.target)
            case EdgeRemoved(edge=edge):
                wire = self.wires.pop(edge, None)
                if wire is not None:
                    for end in (edge.source, edge.target):
                        if end in self.nodes:
                            self.nodes[end].wires.discard(wire)
                    self.removeItem(wire)
                self._sync_node(edge.source)
                self._sync_node(edge.target)
            case (
                ParamChanged(node_id=node_id)
                | NodeOptionChanged(node_id=node_id)
                | NodeFrozen(node_id=node_id)
            ):
                self._sync_node(node_id)
            case BlockEdited(affected=affected):
                # an instance shows its block's ports and params: follow the definition
                for node in project.nodes:
                    if node.type in affected:
                        self._sync_node(node.id)
            case BlockAdded(block=block) | BlockRemoved(block=block):
                for node in project.nodes:
                    if node.type == block.name:
                        self._sync_node(node.id)
            case NodeMoved(node_id=node_id, pos=pos):
                item = self.nodes.get(node_id)
                if item is not None:
                    item.setPos(self._shown_pos(node_id, pos))
                    self._reroute(item)
                    self._overview_changed()
                return  # positions take no part in validation
            case NodeRelabeled(node_id=node_id, label=_):
                if node_id in self.nodes:
                    self.nodes[node_id].set_name(project.node(node_id).name)
            case TrainingChanged() | CodeRunsChanged():
                pass  # checked against the dataset, or a Code node's run came in: re-check
            case _:
                return
        self._overview_changed()
        self.schedule_refresh()

    # --- items from the model ------------------------------------------------------------------

    def _shown_pos(self, node_id: str, pos: tuple[float, float] | None) -> QPointF:
        if pos is None:
            if node_id not in self._fallback:
                assert self.project is not None
                known = {nid: (it.pos().x(), it.pos().y()) for nid, it in self.nodes.items()}
                known.pop(node_id, None)
                self._fallback[node_id] = place_new_node(self.project, node_id, known)
            pos = self._fallback[node_id]
        return QPointF(pos[0], pos[1])

    def shown_positions(self) -> dict[str, tuple[float, float]]:
        """Where each node is drawn now (stored or worked-out position)."""
        return {nid: (it.pos().x(), it.pos().y()) for nid, it in self.nodes.items()}

    def _add_node_item(self, node: Node) -> None:
        item = NodeItem(node.id, self.style)
        self.nodes[node.id] = item
        item.setPos(self._shown_pos(node.id, node.pos))
        self._sync_node(node.id)
        item.set_overview(self.overview_on)
        self.addItem(item)

    def _add_wire_item(self, edge: Edge) -> None:
        wire = WireItem(edge, self.style)
        self.wires[edge] = wire
        self.nodes[edge.source].wires.add(wire)
        self.nodes[edge.target].wires.add(wire)
        self._place_wire(wire)
        self._label_wire(wire)
        wire.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self.overview_on)
        self.addItem(wire)

    def _sync_node(self, node_id: str) -> None:
        """Type, name, summary and ports of one node from the model."""
        item = self.nodes.get(node_id)
        if item is None or self.project is None:
            return
        node = self.project.node(node_id)
        wired_in = {e.target_port for e in self.project.in_edges(node_id)}
        wired_out = {e.source_port for e in self.project.out_edges(node_id)}
        if item.set_node(node, self.project.spec(node.type), wired_in, wired_out):
            self._reroute(item)

    def _place_wire(self, wire: WireItem) -> None:
        edge = wire.edge
        assert edge is not None
        start = self.nodes[edge.source].port_pos(True, edge.source_port)
        end = self.nodes[edge.target].port_pos(False, edge.target_port)
        wire.set_ends(start, end)

    def _reroute(self, item: NodeItem) -> None:
        for wire in item.wires:
            self._place_wire(wire)

    def _label_wire(self, wire: WireItem) -> None:
        edge = wire.edge
        assert edge is not None
        source = self._reports.get(edge.source)
        target = self._reports.get(edge.target)
        label = ""
        if source is not None and edge.source_port < len(source.outputs):
            tensor = source.outputs[edge.source_port]
            if tensor is not None:
                label = format_shape(tensor.shape)
                if tensor.dtype != "float32":
                    label += f" {tensor.dtype}"
        problem = ""
        if target is not None:
            for p in target.problems:
                if p.severity == "error" and p.port == edge.target_port:
                    problem = localize(p.message)
                    break
        wire.set_label(label, problem)

    # --- validation results, coalesced -------------------------------------------------------

    def schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def flush(self) -> None:
        """Apply pending validation results now (tests and benchmarks call this)."""
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self.refresh()

    def refresh(self) -> None:
        """Re-read the (cached, incremental) report; update only nodes whose report changed."""
        if self.project is None or not shiboken6.isValid(self):
            return
        self._refresh_timer.stop()
        report = self._report_of() if self._report_of is not None else self.project.validate()
        old = self._reports
        # Identity first (cheap for 1,000 nodes); equal content is not a change either.
        changed = [
            nid
            for nid, r in report.nodes.items()
            if old.get(nid) is not r and (nid not in old or not _same_report(old[nid], r))
        ]
        self._reports = dict(report.nodes)
        wires: set[WireItem] = set()
        for node_id in changed:
            item = self.nodes.get(node_id)
            # An item Qt already deleted (its view went away first) is skipped, not touched.
            if item is None or not shiboken6.isValid(item):
                continue
            # the light bulb; in a block, candidates come from the instance's run of it
            fixable = any(
                has_candidates(self.project, p, report) for p in self._reports[node_id].problems
            )
            try:
                height = item.height
                item.set_report(self._reports[node_id])
                item.badge.set_fixable(fixable)
                if item.height != height:
                    self._reroute(item)
            except RuntimeError:  # deleted meanwhile: a stale scene's timer after its view closed
                continue
            wires |= item.wires
        for wire in wires:
            if shiboken6.isValid(wire):  # a stale scene's wires may be gone (see above)
                self._label_wire(wire)
        if changed:
            self._overview_changed()
        try:
            self.refreshed.emit()
        except RuntimeError as exc:
            # A refresh queued just before Qt tears the view down finds PySide's sender gone;
            # nothing listens any more, so there is nothing to tell.
            if "deleted" not in str(exc):
                raise

    # --- level of detail ----------------------------------------------------------------------

    def set_overview(self, on: bool) -> None:
        """Zoomed far out: one batched overview paints instead of every node and wire."""
        if on == self.overview_on:
            return
        self.overview_on = on
        for item in self.nodes.values():
            item.set_overview(on)
        no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        for wire in self.wires.values():
            wire.setFlag(no_contents, on)
        self.overview.setVisible(on)
        self._overview_changed()

    def selection_updated(self) -> None:
        """The selection changed (also while signals were blocked): the overview shows it."""
        self._overview_changed()

    def _overview_changed(self) -> None:
        if self.overview_on:
            self.overview.refresh()

    def set_style(self, style: CanvasStyle) -> None:
        self.style = style
        for item in self.nodes.values():
            item.set_style(style)
        for wire in self.wires.values():
            wire.set_style(style)
        self._overview_changed()
        self.update()
        self.styleChanged.emit()

    def say_again(self) -> None:
        """The language changed: every node makes its texts again ("{count} params", its
        problems' tooltips); the cached pixmaps would keep the old language otherwise."""
        for item in self.nodes.values():
            if shiboken6.isValid(item):
                item.set_report(item.report)
        self.update()

    # --- lookups for interactions ------------------------------------------------------------

    def port_at(self, pos: QPointF) -> PortItem | None:
        for item in self.items(pos):
            if isinstance(item, PortItem):
                return item
        return None

    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
            parent = item.parentItem()
            if isinstance(parent, NodeItem):
                return parent
        return None

    def wire_at(self, pos: QPointF, exclude: NodeItem | None = None) -> WireItem | None:
        area = QRectF(pos.x() - 5, pos.y() - 5, 10, 10)
        for item in self.items(area):
            if isinstance(item, WireItem) and item.edge is not None:
                if exclude is not None and item in exclude.wires:
                    continue
                return item
        return None

    def selected_node_items(self) -> list[NodeItem]:
        return [i for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_wires(self) -> list[WireItem]:
        return [i for i in self.selectedItems() if isinstance(i, WireItem)]

    def nodes_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def visible_ports(self, rect: QRectF) -> list[PortItem]:
        return [i for i in self.items(rect) if isinstance(i, PortItem)]


def _same_report(a: NodeReport, b: NodeReport) -> bool:
    """Equal as far as the canvas shows it (reports with structural problems are rebuilt)."""
    return (
        a.params == b.params
        and a.problems == b.problems
        and [(t.shape, t.dtype) if t else None for t in a.inputs]
        == [(t.shape, t.dtype) if t else None for t in b.inputs]
        and [(t.shape, t.dtype) if t else None for t in a.outputs]
        == [(t.shape, t.dtype) if t else None for t in b.outputs]
    )
