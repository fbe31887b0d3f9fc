"""The open document: one Project, its undo stack, its file, and the edits a person can make.

Every edit goes through here as one undoable step (a macro when it takes several commands).
Views hold a Document, never mutate the Project themselves, and subscribe to the Project's
notifications; `projectReplaced` tells them when a different Project is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoStack

from codegen.containers import INIT_ORDER_KEY, MEMBER_KEY
from graph import (
    Edge,
    Node,
    Project,
    Report,
    get_spec,
    grouping,
    project_from_dict,
    project_to_dict,
)
from graph.block_library import BlockLibrary
from graph.fixes import Fix
from gui.commands import (
    AddEdgeCommand,
    AddNodeCommand,
    ApplyFixCommand,
    EditLogCommand,
    FreezeCommand,
    MoveNodesCommand,
    RemoveEdgeCommand,
    RemoveNodeCommand,
    RenameProjectCommand,
    SetInitCommand,
    SetLabelCommand,
    SetNodeOptionCommand,
    SetParamCommand,
    SetTrainingCommand,
)
from gui.drawing_stack import DrawingStack

translate = QCoreApplication.translate


def id_stem(layer_type: str) -> str:
    """`conv` for Conv2d, `fc` for Linear, `relu` for ReLU: short ids as people write them."""
    special = {"Linear": "fc", "Input": "x", "Output": "out", "Flatten": "flatten"}
    if layer_type in special:
        return special[layer_type]
    stem = layer_type.lower()
    for suffix in ("1d", "2d", "3d"):
        stem = stem.removesuffix(suffix)
    return {"conv": "conv", "maxpool": "pool", "avgpool": "pool"}.get(stem, stem)


class Document(QObject):
    projectReplaced = Signal(object)  # the new Project
    drawingChanged = Signal(object)  # the drawing shown and edited (the project or a block's)
    pathChanged = Signal(object)  # Path | None
    readOnlyChanged = Signal(bool)

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._project = project or Project()
        self._path: Path | None = None
        self._read_only = False
        self.library: BlockLibrary | None = None  # the user's block library (the window's)
        # The drawing edits go to: the project, or a block opened from an instance.
        self.stack = DrawingStack(self._project, self)
        self.stack.changed.connect(self.drawingChanged)

    # --- state ---------------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self._project

    @property
    def drawing(self) -> Project:
        """The drawing shown and edited: the project, or the body of an opened block."""
        return self.stack.drawing

    def drawing_report(self) -> Report:
        """The shown drawing's report, with the shapes of the instance it was opened from."""
        return self.stack.report()

    def open_block(self, instance_id: str) -> bool:
        """Show the block of an instance in the drawing shown; False if it is not one."""
        return self.stack.open(instance_id)

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def read_only(self) -> bool:
        """True while a training run uses the drawing: edits are refused."""
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        if read_only != self._read_only:
            self._read_only = read_only
            self.readOnlyChanged.emit(read_only)

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def replace_project(self, project: Project, path: Path | None = None) -> None:
        """Swap in another project (New, Open); the undo history starts afresh."""
        self.undo_stack.clear()
        self._project = project
        self.stack.replace(project)
        self.projectReplaced.emit(project)
        self.set_path(path)
        self.undo_stack.setClean()

    def set_path(self, path: Path | None) -> None:
        self._path = path
        self.pathChanged.emit(path)

    # --- plumbing ------------------------------------------------------------------------------

    def _push(self, command: Any) -> bool:
        if self._read_only:
            return False
        self.undo_stack.push(command)
        return True

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Group several commands into one undo step."""
        self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    # --- edits ---------------------------------------------------------------------------------

    def add_node(
        self,
        layer_type: str,
        pos: tuple[float, float] | None = None,
        params: dict[str, Any] | None = None,
        after: str | None = None,
    ) -> str | None:
        """Add a layer (with its palette defaults); wire it after `after` when given."""
        if self._read_only:
            return None
        spec = self.drawing.spec(layer_type)  # a layer, or one of the project's blocks
        defaults = dict(spec.palette) if spec else {}
        defaults.update(params or {})
        node = Node(self.drawing.new_id(id_stem(layer_type)), layer_type, defaults, pos)
        if after is None:
            self._push(AddNodeCommand(self.drawing, node))
            return node.id
        with self.macro(
            translate("Document", "Add {layer_type} after '{name}'").format(
                layer_type=layer_type, name=self.drawing.node(after).name
            )
        ):
            self._push(AddNodeCommand(self.drawing, node))
            if spec is not None and spec.inputs:
                self._push(AddEdgeCommand(self.drawing, Edge(after, node.id)))
        return node.id

    def add_from_library(
        self, name: str, pos: tuple[float, float] | None = None, after: str | None = None
    ) -> str | None:
        """Copy library block `name` (and the blocks it uses) into the project and add an
        instance of it, as one undo step. LibraryError (one line) when the file cannot be read:
        nothing is changed then."""
        if self._read_only or self.library is None:
            return None
        library, project = self.library, self._project
        library.read(name)  # refuse a broken file before anything is pushed
        added: list[str] = []

        def run() -> grouping.EditLog:
            log, block = library.insert(project, name)
            added.append(block)
            return log

        with self.macro(self.tr("Add {name} from My blocks").format(name=name)):
            self._push(EditLogCommand(self.tr("Copy block {name}").format(name=name), run))
            return self.add_node(added[0], pos, after=after) if added else None

    def connect(self, edge: Edge) -> bool:
        return self._push(AddEdgeCommand(self.drawing, edge))

    def disconnect(self, edge: Edge) -> bool:
        return self._push(RemoveEdgeCommand(self.drawing, edge))

    def freeze(self, node_ids: Iterable[str], frozen: bool) -> bool:
        """Freeze (or thaw) nodes: one undo step."""
        return self._push(FreezeCommand(self.project, list(node_ids), frozen))

    def remove(self, node_ids: Iterable[str] = (), edges: Iterable[Edge] = ()) -> None:
        """Delete nodes (with all their wires) and wires, as one step."""
        if self._read_only:
            return
        ids = [n for n in node_ids if self.drawing.has_node(n)]
        doomed: list[Edge] = [e for e in edges if e in self.drawing.edges]
        for node_id in ids:
            for e in self.drawing.in_edges(node_id) + self.drawing.out_edges(node_id):
                if e not in doomed:
                    doomed.append(e)
        if not ids and not doomed:
            return
        with self.macro(translate("Document", "Delete")):
            for e in doomed:
                self._push(RemoveEdgeCommand(self.drawing, e))
            for node_id in ids:
                self._push(RemoveNodeCommand(self.drawing, node_id))

    def set_param(self, node_id: str, name: str, value: Any) -> bool:
        return self._push(SetParamCommand(self.drawing, node_id, name, value))

    def group(self, node_ids: Iterable[str]) -> str:
        """Group the nodes into a new block (one undo step); the instance's id. GroupError (one
        sentence) when the selection cannot be grouped: the model is then unchanged."""
        ids = list(node_ids)
        project, drawing = self._project, self.drawing
        grouping.check_group(project, drawing, ids)  # refuse before anything is pushed
        made: list[str] = []

        def run() -> grouping.EditLog:
            log, instance = grouping.group(project, drawing, ids)
            made.append(instance)
            return log

        self._push(EditLogCommand(self.tr("Group into Block"), run))
        return made[0] if made else ""

    def ungroup(self, node_id: str) -> list[str]:
        """Replace a block instance by its nodes (one undo step); their ids. GroupError if not."""
        project, drawing = self._project, self.drawing
        grouping.check_ungroup(project, drawing, node_id)
        made: list[str] = []

        def run() -> grouping.EditLog:
            log, ids = grouping.ungroup(project, drawing, node_id)
            made.extend(ids)
            return log

        self._push(EditLogCommand(self.tr("Ungroup"), run))
        return made

    def set_repeat(self, node_id: str, repeat: int | str | None) -> bool:
        return self._push(SetNodeOptionCommand(self.drawing, node_id, "repeat", repeat))

    def set_shares(self, node_id: str, shares: str | None) -> bool:
        return self._push(SetNodeOptionCommand(self.drawing, node_id, "shares", shares))

    def set_label(self, node_id: str, label: str | None) -> bool:
        return self._push(SetLabelCommand(self.drawing, node_id, label))

    def move_nodes(self, moves: dict[str, tuple[float, float]], merge_key: object = None) -> bool:
        """Move nodes; pass the same `merge_key` during one drag to make it one undo step."""
        old = {nid: self.drawing.node(nid).pos for nid in moves}
        return self._push(
            MoveNodesCommand(
                self.drawing, {nid: (old[nid], pos) for nid, pos in moves.items()}, merge_key
            )
        )

    def rename_project(self, name: str) -> bool:
        return self._push(RenameProjectCommand(self._project, name))

    def set_init(self, node_id: str, init: dict[str, Any]) -> bool:
        return self._push(SetInitCommand(self.drawing, node_id, init))

    def apply_fix(self, fix: Fix) -> bool:
        return self._push(ApplyFixCommand(self._project, fix))  # fixes are the project's

    def set_training(self, training: dict[str, Any]) -> bool:
        return self._push(SetTrainingCommand(self._project, training))

    def insert_on_wire(
        self, layer_type: str, edge: Edge, pos: tuple[float, float] | None = None
    ) -> str | None:
        """Drop a layer onto a wire: source → new → target, as one step."""
        if self._read_only:
            return None
        spec = get_spec(layer_type)
        node = Node(
            self.drawing.new_id(id_stem(layer_type)),
            layer_type,
            dict(spec.palette) if spec else {},
            pos,
        )
        with self.macro(translate("Document", "Insert {layer_type}").format(layer_type=layer_type)):
            self._push(RemoveEdgeCommand(self.drawing, edge))
            self._push(AddNodeCommand(self.drawing, node))
            self._push(AddEdgeCommand(self.drawing, Edge(edge.source, node.id, edge.source_port)))
            self._push(
                AddEdgeCommand(self.drawing, Edge(node.id, edge.target, 0, edge.target_port))
            )
        return node.id

    # --- clipboard -----------------------------------------------------------------------------

    def fragment(self, node_ids: Iterable[str]) -> str:
        """JSON for the given nodes and the wires among them (what Copy puts on the clipboard)."""
        ids = set(node_ids)
        data = project_to_dict(self.drawing)
        data["nodes"] = [n for n in data["nodes"] if n["id"] in ids]
        data["edges"] = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
        data.pop("training", None)
        return json.dumps(data)

    def paste(self, fragment: str, offset: tuple[float, float] = (40.0, 40.0)) -> list[str]:
        """Add a copied fragment with fresh ids, shifted by `offset`; internal wires kept."""
        if self._read_only:
            return []
        piece = project_from_dict(json.loads(fragment))  # validates like a file would
        renamed: dict[str, str] = {}
        taken = {n.id for n in self.drawing.nodes}
        new_nodes = []
        for node in piece.nodes:
            stem = node.id.rstrip("0123456789") or id_stem(node.type)
            i, new_id = 1, node.id
            while new_id in taken:
                new_id = f"{stem}{i}"
                i += 1
            taken.add(new_id)
            renamed[node.id] = new_id
            pos = None if node.pos is None else (node.pos[0] + offset[0], node.pos[1] + offset[1])
            extra = dict(node.extra)
            if new_id != node.id:  # a copy is a layer of its own, in no container of the model
                for key in (MEMBER_KEY, INIT_ORDER_KEY):
                    extra.pop(key, None)
            new_nodes.append(Node(new_id, node.type, dict(node.params), pos, node.label, extra))
        with self.macro(
            translate("Document", "Paste {count} node(s)").format(count=len(new_nodes))
        ):
            for node in new_nodes:
                self._push(AddNodeCommand(self.drawing, node))
            for e in piece.edges:
                edge = Edge(renamed[e.source], renamed[e.target], e.source_port, e.target_port)
                self._push(AddEdgeCommand(self.drawing, edge))
        return [n.id for n in new_nodes]

    def duplicate(self, node_ids: Iterable[str]) -> list[str]:
        return self.paste(self.fragment(node_ids))
