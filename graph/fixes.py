"""Fixes: titled edits that make a problem go away, applied and reverted through Project methods.

A `Fix` is a list of small steps (set a param, insert a node into a wire). Applying it returns
the steps that undo it, so the editor's undo command is one `apply` and one `revert`, and the
command line applies the same objects. Which fixes a problem gets is graph/fix_finder.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.model_types import UNSET, Edge, Node
from graph.project import Project


class Step:
    """One edit of a project; `apply` makes it and returns the step that takes it back."""

    def apply(self, project: Project) -> Step:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class SetParam(Step):
    node_id: str
    name: str
    value: Any  # UNSET clears it (the default, or an inferred value, applies)

    def apply(self, project: Project) -> Step:
        old = project.set_param(self.node_id, self.name, self.value)
        return SetParam(self.node_id, self.name, old)


@dataclass(frozen=True)
class InsertNode(Step):
    """Put `node` into the wire `edge`: source → node → target."""

    node: Node
    edge: Edge
    node_index: int | None = None
    edge_index: int | None = None

    def apply(self, project: Project) -> Step:
        edge, node = self.edge, self.node.copy()
        if node.pos is None:
            node.pos = _between(project, edge)
        index = project.remove_edge(edge)
        # In file order just before the layer it feeds, so tables and code read in flow order.
        where = self.node_index
        if where is None:
            where = project.nodes.index(project.node(edge.target))
        project.add_node(node, where)
        project.add_edge(Edge(edge.source, node.id, edge.source_port, 0))
        project.add_edge(Edge(node.id, edge.target, 0, edge.target_port))
        return TakeOutNode(node.id, edge, index)


@dataclass(frozen=True)
class TakeOutNode(Step):
    """Undo of InsertNode: remove the node and its two wires, put the original wire back."""

    node_id: str
    edge: Edge
    edge_index: int

    def apply(self, project: Project) -> Step:
        for wire in project.in_edges(self.node_id) + project.out_edges(self.node_id):
            project.remove_edge(wire)
        node, node_index = project.remove_node(self.node_id)
        project.add_edge(self.edge, self.edge_index)
        return InsertNode(node, self.edge, node_index, self.edge_index)


@dataclass(frozen=True)
class InBlock(Step):
    """`step` made in the drawing of block `block` (every instance follows)."""

    block: str
    step: Step

    def apply(self, project: Project) -> Step:
        definition = project.blocks.get(self.block)
        if definition is None:
            raise KeyError(self.block)
        return InBlock(self.block, self.step.apply(definition.body))


@dataclass(frozen=True)
class Fix:
    """A titled edit that removes one problem ("Insert Flatten before 'fc1'")."""

    title: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def apply(self, project: Project) -> list[Step]:
        """Make the edit; returns the steps that revert it (pass them to `revert`)."""
        undo = [step.apply(project) for step in self.steps]
        undo.reverse()
        return undo

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title}


def revert(project: Project, undo: list[Step]) -> list[Step]:
    """Apply the steps `Fix.apply` returned; returns the steps that redo the fix."""
    redo = [step.apply(project) for step in undo]
    redo.reverse()
    return redo


def clone(project: Project) -> Project:
    """An independent copy to try edits on (no listeners, its own analyzer).

    With blocks, through the file form, so the copy has its own block definitions (a fix
    inside an instance's neighbourhood is then checked with the blocks it uses)."""
    if len(project.blocks) and project.block_name is None:
        from graph.fileio import project_from_dict, project_to_dict  # fileio builds Projects

        try:
            return project_from_dict(project_to_dict(project))
        except ValueError:
            pass  # a drawing the file form refuses is copied node by node, as without blocks
    return Project(
        project.name,
        [n.copy() for n in project.nodes],
        list(project.edges),
        project.training,
        dict(project.extra),
    )


def _between(project: Project, edge: Edge) -> tuple[float, float] | None:
    a, b = project.node(edge.source).pos, project.node(edge.target).pos
    if a is None or b is None:
        return a or b
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


__all__ = ["UNSET", "Fix", "InsertNode", "SetParam", "Step", "TakeOutNode", "clone", "revert"]
