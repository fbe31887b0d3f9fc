"""Undoable edits. Each command calls Project methods and nothing else; views follow the model's
notifications, so undo and redo can never leave a view out of step. Inserts remember their index
so undo restores the exact order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from graph import UNSET, Edge, Node, Project
from graph.fixes import Fix, Step, revert
from graph.grouping import EditLog
from i18n import localize

translate = QCoreApplication.translate

_MOVE_ID = 1001
_PARAM_ID = 1002


class AddNodeCommand(QUndoCommand):
    def __init__(self, project: Project, node: Node, index: int | None = None) -> None:
        super().__init__(
            translate("Commands", "Add {type} '{name}'").format(type=node.type, name=node.name)
        )
        self.project, self.node, self.index = project, node, index

    def redo(self) -> None:
        self.project.add_node(self.node, self.index)

    def undo(self) -> None:
        _, self.index = self.project.remove_node(self.node.id)


class RemoveNodeCommand(QUndoCommand):
    """Removes an unwired node; remove its wires first (the Document does, in one macro)."""

    def __init__(self, project: Project, node_id: str) -> None:
        node = project.node(node_id)
        super().__init__(
            translate("Commands", "Delete {type} '{name}'").format(type=node.type, name=node.name)
        )
        self.project, self.node_id = project, node_id
        self.node: Node | None = None
        self.index = 0

    def redo(self) -> None:
        self.node, self.index = self.project.remove_node(self.node_id)

    def undo(self) -> None:
        assert self.node is not None
        self.project.add_node(self.node, self.index)


class AddEdgeCommand(QUndoCommand):
    def __init__(self, project: Project, edge: Edge, index: int | None = None) -> None:
        super().__init__(
            translate("Commands", "Connect '{source}' to '{target}'").format(
                source=edge.source, target=edge.target
            )
        )
        self.project, self.edge, self.index = project, edge, index

    def redo(self) -> None:
        self.project.add_edge(self.edge, self.index)

    def undo(self) -> None:
        self.index = self.project.remove_edge(self.edge)


class RemoveEdgeCommand(QUndoCommand):
    def __init__(self, project: Project, edge: Edge) -> None:
        super().__init__(
            translate("Commands", "Disconnect '{source}' from '{target}'").format(
                source=edge.source, target=edge.target
            )
        )
        self.project, self.edge, self.index = project, edge, 0

    def redo(self) -> None:
        self.index = self.project.remove_edge(self.edge)

    def undo(self) -> None:
        self.project.add_edge(self.edge, self.index)


class SetParamCommand(QUndoCommand):
    """Sets (or, with UNSET, clears) one param. Successive edits of the same param merge."""

    def __init__(self, project: Project, node_id: str, name: str, value: Any) -> None:
        super().__init__(
            translate("Commands", "Set {name} of '{node}'").format(
                name=name, node=project.node(node_id).name
            )
        )
        self.project, self.node_id, self.name, self.value = project, node_id, name, value
        self.old: Any = project.node(node_id).params.get(name, UNSET)

    def id(self) -> int:
        return _PARAM_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetParamCommand):
            return False
        if (other.node_id, other.name) != (self.node_id, self.name):
            return False
        self.value = other.value
        return True

    def redo(self) -> None:
        self.project.set_param(self.node_id, self.name, self.value)

    def undo(self) -> None:
        self.project.set_param(self.node_id, self.name, self.old)


class FreezeCommand(QUndoCommand):
    """Freezes (or thaws) the given nodes together."""

    def __init__(self, project: Project, node_ids: list[str], frozen: bool) -> None:
        verb = "Freeze" if frozen else "Unfreeze"
        super().__init__(f"{verb} {len(node_ids)} layer(s)")
        self.project, self.frozen = project, frozen
        self.old = {nid: project.node(nid).frozen for nid in node_ids}

    def redo(self) -> None:
        for node_id in self.old:
            self.project.set_frozen(node_id, self.frozen)

    def undo(self) -> None:
        for node_id, was in self.old.items():
            self.project.set_frozen(node_id, was)


class SetLabelCommand(QUndoCommand):
    def __init__(self, project: Project, node_id: str, label: str | None) -> None:
        super().__init__(
            translate("Commands", "Rename '{name}'").format(name=project.node(node_id).name)
        )
        self.project, self.node_id, self.label = project, node_id, label
        self.old = project.node(node_id).label

    def redo(self) -> None:
        self.project.set_label(self.node_id, self.label)

    def undo(self) -> None:
        self.project.set_label(self.node_id, self.old)


class SetNodeOptionCommand(QUndoCommand):
    """A node's `repeat` (copies in sequence) or `shares` (the node whose layer it calls)."""

    def __init__(self, project: Project, node_id: str, option: str, value: Any) -> None:
        super().__init__(f"Set {option} of '{project.node(node_id).name}'")
        self.project, self.node_id, self.option, self.value = project, node_id, option, value
        self.old = getattr(project.node(node_id), option)

    def _set(self, value: Any) -> None:
        if self.option == "repeat":
            self.project.set_repeat(self.node_id, value)
        else:
            self.project.set_shares(self.node_id, value)

    def redo(self) -> None:
        self._set(self.value)

    def undo(self) -> None:
        self._set(self.old)


class MoveNodesCommand(QUndoCommand):
    """Moves nodes; a drag produces many of these and they merge into one step."""

    def __init__(
        self,
        project: Project,
        moves: dict[str, tuple[tuple[float, float] | None, tuple[float, float]]],
        merge_key: object = None,
    ) -> None:
        if len(moves) == 1:
            text = translate("Commands", "Move '{name}'").format(name=next(iter(moves)))
        else:
            text = translate("Commands", "Move")
        super().__init__(text)
        self.project, self.moves, self.merge_key = project, dict(moves), merge_key

    def id(self) -> int:
        return _MOVE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveNodesCommand) or other.merge_key != self.merge_key:
            return False
        if set(other.moves) != set(self.moves):
            return False
        for node_id, (_, new) in other.moves.items():
            self.moves[node_id] = (self.moves[node_id][0], new)
        return True

    def redo(self) -> None:
        for node_id, (_, new) in self.moves.items():
            self.project.set_pos(node_id, new)

    def undo(self) -> None:
        for node_id, (old, _) in self.moves.items():
            self.project.set_pos(node_id, old)


class RenameProjectCommand(QUndoCommand):
    def __init__(self, project: Project, name: str) -> None:
        super().__init__(translate("Commands", "Rename project"))
        self.project, self.name, self.old = project, name, project.name

    def redo(self) -> None:
        self.project.set_name(self.name)

    def undo(self) -> None:
        self.project.set_name(self.old)


class SetTrainingCommand(QUndoCommand):
    def __init__(self, project: Project, training: dict[str, Any]) -> None:
        super().__init__(translate("Commands", "Change training settings"))
        self.project, self.training, self.old = project, dict(training), project.training

    def redo(self) -> None:
        self.project.set_training(self.training)

    def undo(self) -> None:
        self.project.set_training(self.old)


class ApplyFixCommand(QUndoCommand):
    """One fix of a problem (graph/fixes.py), however many model edits it makes: one undo step."""

    def __init__(self, project: Project, fix: Fix) -> None:
        super().__init__(localize(fix.title))
        self.project, self.fix = project, fix
        self._undo: list[Step] = []

    def redo(self) -> None:
        self._undo = self.fix.apply(self.project)

    def undo(self) -> None:
        revert(self.project, self._undo)


class SetInitCommand(QUndoCommand):
    """Sets how a node's tensors start (graph/init.py)."""

    def __init__(self, project: Project, node_id: str, init: dict[str, Any]) -> None:
        super().__init__(f"Set initialisation of '{project.node(node_id).name}'")
        self.project, self.node_id, self.init = project, node_id, dict(init)
        self.old = dict(project.node(node_id).init)

    def redo(self) -> None:
        self.project.set_init(self.node_id, self.init)

    def undo(self) -> None:
        self.project.set_init(self.node_id, self.old)


class EditLogCommand(QUndoCommand):
    """A model operation made of many edits (group into a block, ungroup): it runs once, then
    undo and redo replay its EditLog, so the exact state comes back (graph/grouping.py)."""

    def __init__(self, text: str, run: Callable[[], EditLog]) -> None:
        super().__init__(text)
        self._run = run
        self._log: EditLog | None = None

    def redo(self) -> None:
        if self._log is None:
            self._log = self._run()
        else:
            self._log.redo()

    def undo(self) -> None:
        assert self._log is not None
        self._log.undo()
