"""The Project: nodes, wires and training settings, edited only through methods that notify."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.analysis import Analyzer
from graph.blocks import BlockDef, Blocks
from graph.connection import connection_problem
from graph.dataset_fit import DatasetCheck
from graph.events import (
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
    ProjectRenamed,
    TrainingChanged,
)
from graph.instances import block_spec
from graph.model_types import FROZEN_KEY, UNSET, Edge, Node
from graph.param_check import spec_of
from i18n import msg

if TYPE_CHECKING:
    from graph.code_runs import CodeRunner
    from graph.datasets import DatasetInfo
    from graph.report import Problem, Report
    from graph.spec import LayerSpec

Listener = Callable[[ProjectEvent], None]


class ProjectError(ValueError):
    """An edit that the model refuses outright (unknown node, duplicate id, ...)."""


class Project:
    """A network drawing. Views observe it through `subscribe`; every change goes through a method.

    Order is part of the state: nodes and edges keep the order they were added in (or the index
    given), so undo can put things back exactly where they were and output is deterministic.
    """

    def __init__(
        self,
        name: str = "Untitled",
        nodes: Iterable[Node] = (),
        edges: Iterable[Edge] = (),
        training: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        blocks: Iterable[BlockDef] = (),
    ) -> None:
        self._name = name
        self._nodes: list[Node] = []
        self._by_id: dict[str, Node] = {}
        self._edges: list[Edge] = []
        self._edge_set: set[Edge] = set()  # membership in O(1): a merge may have 10,000 wires
        self._in: dict[str, list[Edge]] = {}
        self._out: dict[str, list[Edge]] = {}
        self._training: dict[str, Any] = dict(training or {})
        self.extra: dict[str, Any] = dict(extra or {})  # unknown top-level keys, kept on save
        self._listeners: list[Listener] = []
        # Block definitions, shared with every block's own drawing (see attach_blocks).
        self._blocks = Blocks(self._emit)
        self._block_name: str | None = None
        for block in blocks:
            self._blocks.add(block)
        for node in nodes:
            self.add_node(node)
        for edge in edges:
            self.add_edge(edge)
        self._analyzer = Analyzer(self)
        self._dataset_check = DatasetCheck(self)

    # --- reading -------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def nodes(self) -> list[Node]:
        """The nodes in order. Treat as read-only: edit through the Project's methods."""
        return self._nodes

    @property
    def edges(self) -> list[Edge]:
        return self._edges

    @property
    def blocks(self) -> Blocks:
        """The project's block definitions (the same object for the top level and all bodies)."""
        return self._blocks

    @property
    def block_name(self) -> str | None:
        """The block this drawing defines; None for the top level."""
        return self._block_name

    def attach_blocks(self, blocks: Blocks, block_name: str) -> None:
        """Make this drawing the body of block `block_name` in the project owning `blocks`."""
        self._blocks = blocks
        self._block_name = block_name

    @property
    def training(self) -> dict[str, Any]:
        return dict(self._training)

    def spec(self, node_type: str) -> LayerSpec | None:
        """The spec of a layer type, or of one of the project's blocks (its ports and params)."""
        spec = spec_of(node_type)
        if spec is None and node_type in self._blocks:
            return block_spec(self._blocks, node_type)
        return spec

    def node(self, node_id: str) -> Node:
        try:
            return self._by_id[node_id]
        except KeyError:
            raise ProjectError(msg("there is no node '{node_id}'", node_id=node_id)) from None

    def has_node(self, node_id: str) -> bool:
        return node_id in self._by_id

    def wires_in(self, node_id: str) -> Sequence[Edge]:
        """The wires into a node, live and uncopied (the checker's hot path): do not modify."""
        return self._in[node_id]

    def wires_out(self, node_id: str) -> Sequence[Edge]:
        """The wires out of a node, live and uncopied (the checker's hot path): do not modify."""
        return self._out[node_id]

    @property
    def adjacency(self) -> tuple[Mapping[str, Sequence[Edge]], Mapping[str, Sequence[Edge]]]:
        """Node id -> wires in, node id -> wires out; live and uncopied, for the checker."""
        return self._in, self._out

    def in_edges(self, node_id: str) -> list[Edge]:
        return list(self._in.get(node_id, ()))

    def out_edges(self, node_id: str) -> list[Edge]:
        return list(self._out.get(node_id, ()))

    def new_id(self, stem: str) -> str:
        """A fresh node id: `conv1`, `conv2`, ... from a stem such as `conv`."""
        stem = stem or "node"
        i = 1
        while f"{stem}{i}" in self._by_id:
            i += 1
        return f"{stem}{i}"

    # --- listening -----------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def _emit(self, event: ProjectEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    # --- editing -------------------------------------------------------------------------------

    def add_node(self, node: Node, index: int | None = None) -> None:
        if node.id in self._by_id:
            raise ProjectError(msg("a node with id '{id}' already exists", id=node.id))
        if not isinstance(node.id, str) or not node.id:
            raise ProjectError(msg("a node id must be a non-empty string"))
        index = len(self._nodes) if index is None else index
        self._nodes.insert(index, node)
        self._by_id[node.id] = node
        self._in[node.id] = []
        self._out[node.id] = []
        self._emit(NodeAdded(node, index))

    def remove_node(self, node_id: str) -> tuple[Node, int]:
        """Remove an unwired node; returns it and where it stood, for undo."""
        node = self.node(node_id)
        if self._in[node_id] or self._out[node_id]:
            raise ProjectError(
                msg("node '{node_id}' still has wires; remove them first", node_id=node_id)
            )
        index = self._nodes.index(node)
        del self._nodes[index]
        del self._by_id[node_id], self._in[node_id], self._out[node_id]
        self._emit(NodeRemoved(node, index))
        return node, index

    def add_edge(self, edge: Edge, index: int | None = None) -> None:
        for end in (edge.source, edge.target):
            if end not in self._by_id:
                raise ProjectError(msg("a wire refers to '{end}', which is not a node", end=end))
        if edge.source_port < 0 or edge.target_port < 0:
            raise ProjectError(msg("port numbers cannot be negative"))
        if edge in self._edge_set:
            raise ProjectError(msg("that wire already exists"))
        index = len(self._edges) if index is None else index
        self._edges.insert(index, edge)
        self._edge_set.add(edge)
        self._out[edge.source].append(edge)
        self._in[edge.target].append(edge)
        self._emit(EdgeAdded(edge, index))

    def remove_edge(self, edge: Edge) -> int:
        if edge not in self._edge_set:
            raise ProjectError(msg("that wire does not exist"))
        index = _last_index(self._edges, edge)
        del self._edges[index]
        self._edge_set.discard(edge)
        outs, ins = self._out[edge.source], self._in[edge.target]
        del outs[_last_index(outs, edge)]
        del ins[_last_index(ins, edge)]
        self._emit(EdgeRemoved(edge, index))
        return index

    def set_param(self, node_id: str, name: str, value: Any) -> Any:
        """Set a param (UNSET restores torch's default). Returns the old value, UNSET if none."""
        node = self.node(node_id)
        old = node.params.get(name, UNSET)
        if value is UNSET:
            node.params.pop(name, None)
        else:
            node.params[name] = value
        self._emit(ParamChanged(node_id, name, value))
        return old

    def set_init(self, node_id: str, init: dict[str, Any]) -> dict[str, Any]:
        """Set how the node's tensors start (graph/init.py); returns the old setting, for undo.

        Announced as a change of the pseudo-param "init", so every view and the checker react.
        """
        node = self.node(node_id)
        old = node.init
        node.init = dict(init)
        self._emit(ParamChanged(node_id, "init", node.init))
        return old

    def set_repeat(self, node_id: str, repeat: int | str | None) -> int | str | None:
        """Set how many copies of the node run in sequence (None or 1: one). Returns the old."""
        node = self.node(node_id)
        old = node.repeat
        node.repeat = repeat
        self._emit(NodeOptionChanged(node_id, "repeat", repeat))
        return old

    def set_shares(self, node_id: str, shares: str | None) -> str | None:
        """Make the node call the layer object of node `shares` (None: its own). Returns the old."""
        node = self.node(node_id)
        old = node.shares
        node.shares = shares or None
        self._emit(NodeOptionChanged(node_id, "shares", node.shares))
        return old

    def add_block(self, block: BlockDef, index: int | None = None) -> None:
        self._blocks.add(block, index)

    def remove_block(self, name: str) -> tuple[BlockDef, int]:
        """Remove a block definition (its instances stay, and are reported); for undo."""
        return self._blocks.remove(name)

    def set_label(self, node_id: str, label: str | None) -> str | None:
        node = self.node(node_id)
        old = node.label
        node.label = label or None
        self._emit(NodeRelabeled(node_id, node.label))
        return old

    def set_frozen(self, node_id: str, frozen: bool) -> bool:
        """Freeze a node (its parameters get no gradient) or thaw it; returns the old state."""
        node = self.node(node_id)
        old = node.frozen
        if frozen:
            node.extra[FROZEN_KEY] = True
        else:
            node.extra.pop(FROZEN_KEY, None)
        self._emit(NodeFrozen(node_id, frozen))
        return old

    def set_pos(self, node_id: str, pos: tuple[float, float] | None) -> tuple[float, float] | None:
        node = self.node(node_id)
        old = node.pos
        node.pos = None if pos is None else (float(pos[0]), float(pos[1]))
        self._emit(NodeMoved(node_id, node.pos))
        return old

    def set_name(self, name: str) -> str:
        old = self._name
        self._name = name
        self._emit(ProjectRenamed(name))
        return old

    @property
    def code_runner(self) -> CodeRunner | None:
        """What runs the Code nodes (shared with the blocks' drawings); None: not trusted."""
        return self._blocks.code_runner

    def set_code_runner(self, runner: CodeRunner | None) -> None:
        """Trust the project's code (a runner) or stop trusting it (None); Code nodes re-check."""
        self._blocks.code_runner = runner
        self.code_runs_changed()

    def code_runs_changed(self) -> None:
        """A Code node's run finished in the background: its node (and who reads it) re-check."""
        self._blocks.runs.clear()
        self._emit(CodeRunsChanged(self._blocks.code_runner is not None))

    @property
    def has_code(self) -> bool:
        """Whether any drawing of the project (blocks included) holds a Code node."""
        drawings = [self, *(b.body for b in self._blocks)]
        return any(n.type == "Code" for d in drawings for n in d.nodes)

    def set_training(self, training: dict[str, Any]) -> dict[str, Any]:
        old = dict(self._training)
        self._training = dict(training)
        self._emit(TrainingChanged(dict(training)))
        return old

    # --- checking ------------------------------------------------------------------------------

    def validate(self) -> Report:
        """The validation report; only what an edit touched since last time is recomputed.

        With a dataset in the training settings, the network is checked against it too.
        """
        return self._dataset_check.apply(self._analyzer.report())

    @property
    def shape_rule_runs(self) -> int:
        """How many times a layer's shape rule has run so far: what incremental validation
        saves is measured by it (benchmarks, tests)."""
        return self._analyzer.evaluations

    def dataset_info(self) -> DatasetInfo | None:
        """What the training settings' dataset holds (shapes, classes), read without loading it."""
        return self._dataset_check.info()

    def connection_problem(self, edge: Edge) -> Problem | None:
        """Why `edge` may not be drawn (a loop, a taken port, a shape that does not fit)."""
        return connection_problem(self, edge)


def _last_index(items: list[Edge], edge: Edge) -> int:
    """Where `edge` is in `items` (it is there), looking from the end first: undo and deletion
    take away recent wires, and a scan of 10,000 wires for each of 10,000 removals took minutes."""
    for i in range(len(items) - 1, max(len(items) - 32, 0) - 1, -1):
        if items[i] == edge:
            return i
    return items.index(edge)
