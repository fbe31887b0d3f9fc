"""Group nodes into a block, ungroup an instance back into its nodes: model operations.

Each operation is a sequence of the Project's own edits, recorded in an `EditLog` with the index
each thing had, so undoing replays the inverse edits in reverse order and restores the exact
state (order included), and redoing replays the edits. The editor's undo commands wrap an
EditLog; tests use it headless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.blocks import BlockDef, already_exists, block_name_problem
from graph.expressions import ExpressionError, evaluate, is_expression, names, parse
from graph.messages import printable, quoted
from graph.model_types import Edge, Node
from graph.params import ParamSpec
from graph.project import Project
from graph.topology import reaches
from i18n import msg


class GroupError(ValueError):
    """The selection cannot be grouped, or the node cannot be ungrouped; one sentence why."""


@dataclass
class EditLog:
    """Edits done to one or more drawings, with their inverses, for undo and redo."""

    _undo: list[Callable[[], Any]] = field(default_factory=list)
    _redo: list[Callable[[], Any]] = field(default_factory=list)

    def remove_edge(self, drawing: Project, edge: Edge) -> None:
        index = drawing.remove_edge(edge)
        self._undo.append(lambda: drawing.add_edge(edge, index))
        self._redo.append(lambda: drawing.remove_edge(edge))

    def add_edge(self, drawing: Project, edge: Edge) -> None:
        drawing.add_edge(edge)
        self._undo.append(lambda: drawing.remove_edge(edge))
        self._redo.append(lambda: drawing.add_edge(edge))

    def remove_node(self, drawing: Project, node_id: str) -> None:
        node, index = drawing.remove_node(node_id)
        self._undo.append(lambda: drawing.add_node(node, index))
        self._redo.append(lambda: drawing.remove_node(node_id))

    def add_node(self, drawing: Project, node: Node, index: int | None = None) -> None:
        drawing.add_node(node, index)
        self._undo.append(lambda: drawing.remove_node(node.id))
        self._redo.append(lambda: drawing.add_node(node, index))

    def add_block(self, project: Project, block: BlockDef) -> None:
        project.add_block(block)
        self._undo.append(lambda: project.remove_block(block.name))
        self._redo.append(lambda: project.add_block(block))

    def remove_block(self, project: Project, name: str) -> None:
        block, index = project.remove_block(name)
        self._undo.append(lambda: project.add_block(block, index))
        self._redo.append(lambda: project.remove_block(name))

    def undo(self) -> None:
        for step in reversed(self._undo):
            step()

    def redo(self) -> None:
        for step in self._redo:
            step()


# --- grouping ----------------------------------------------------------------------------------


def new_block_name(project: Project, stem: str = "Block") -> str:
    """`Block1`, `Block2`, ...: the first free block name."""
    i = 1
    while f"{stem}{i}" in project.blocks or block_name_problem(f"{stem}{i}"):
        i += 1
    return f"{stem}{i}"


def group(
    project: Project, drawing: Project, node_ids: Iterable[str], name: str | None = None
) -> tuple[EditLog, str]:
    """Move the nodes into a new block and put an instance of it in their place; the wires
    crossing the selection become the block's ports. Returns the log and the instance's id."""
    selected = check_group(project, drawing, node_ids, name)
    name = name or new_block_name(project)
    chosen = {n.id for n in selected}
    edges_in = [e for e in drawing.edges if e.target in chosen and e.source not in chosen]
    edges_out = [e for e in drawing.edges if e.source in chosen and e.target not in chosen]
    inner = [e for e in drawing.edges if e.source in chosen and e.target in chosen]
    in_ports = _unique((e.source, e.source_port) for e in edges_in)
    out_ports = _unique((e.source, e.source_port) for e in edges_out)

    body = Project(name)
    taken = set(chosen)
    port_ids = [_fresh("in", taken) for _ in in_ports]
    out_ids = [_fresh("out", taken) for _ in out_ports]
    xs = [n.pos[0] for n in selected if n.pos] or [0.0]
    ys = [n.pos[1] for n in selected if n.pos] or [0.0]
    top, left = min(ys), min(xs)
    for k, port_id in enumerate(port_ids):
        body.add_node(Node(port_id, "Input", pos=(left + 200.0 * k, top - 160.0)))
    for node in selected:
        body.add_node(node.copy())
    for k, out_id in enumerate(out_ids):
        body.add_node(Node(out_id, "Output", pos=(left + 200.0 * k, max(ys) + 160.0)))
    for edge in inner:
        body.add_edge(Edge(edge.source, edge.target, edge.source_port, edge.target_port))
    for edge in edges_in:
        port = in_ports.index((edge.source, edge.source_port))
        body.add_edge(Edge(port_ids[port], edge.target, 0, edge.target_port))
    for k, (source, source_port) in enumerate(out_ports):
        body.add_edge(Edge(source, out_ids[k], source_port, 0))

    # Inside a block, what the grouped nodes read of its params (`$width`) becomes params of the
    # new block with the same declarations, passed through by the instance (`width="$width"`).
    params = _params_read(project, drawing, selected)
    log = EditLog()
    log.add_block(project, BlockDef(name, params, body))
    index = min(drawing.nodes.index(n) for n in selected)
    for edge in [*edges_in, *inner, *edges_out]:
        log.remove_edge(drawing, edge)
    for node in reversed(selected):
        log.remove_node(drawing, node.id)
    instance = Node(
        drawing.new_id(name.lower()),
        name,
        {p.name: f"${p.name}" for p in params},
        pos=(sum(xs) / len(xs), sum(ys) / len(ys)),
    )
    log.add_node(drawing, instance, index)
    for port, (source, source_port) in enumerate(in_ports):
        first = next(e for e in edges_in if (e.source, e.source_port) == (source, source_port))
        log.add_edge(drawing, _rewired(first, source, instance.id, source_port, port))
    for edge in edges_out:
        port = out_ports.index((edge.source, edge.source_port))
        log.add_edge(drawing, _rewired(edge, instance.id, edge.target, port, edge.target_port))
    return log, instance.id


def _params_read(project: Project, drawing: Project, nodes: list[Node]) -> tuple[ParamSpec, ...]:
    """The params of the block `drawing` defines that the nodes' expressions read, in the
    block's declaration order (none at the top level)."""
    outer = project.blocks.get(drawing.block_name or "")
    if outer is None:
        return ()
    read: set[str] = set()
    for node in nodes:
        for value in [*node.params.values(), node.repeat]:
            if is_expression(value):
                try:
                    read.update(names(parse(value)))
                except ExpressionError:
                    continue  # the checker reports it where it stands
    return tuple(p for p in outer.params if p.name in read)


def check_group(
    project: Project, drawing: Project, node_ids: Iterable[str], name: str | None = None
) -> list[Node]:
    """The nodes to group, in drawing order; GroupError when they cannot be grouped."""
    wanted = set(node_ids)
    selected = [n for n in drawing.nodes if n.id in wanted]
    if not selected:
        raise GroupError(msg("select the nodes to group first"))
    if name is not None:
        problem = block_name_problem(name)
        if problem:
            raise GroupError(problem)
        if name in project.blocks:
            raise GroupError(already_exists(name))
    chosen = {n.id for n in selected}
    for node in selected:
        if node.type in ("Input", "Output"):
            raise GroupError(
                msg(
                    "{node} is an {type}; a block gets its own ports from the wires that cross "
                    "the selection, so leave the network's Inputs and Outputs out",
                    node=quoted(node),
                    type=node.type,
                )
            )
    for node in drawing.nodes:
        if node.shares and (node.id in chosen) != (node.shares in chosen):
            raise GroupError(
                msg(
                    "{node} shares a layer with '{other}'; group them together or not at all",
                    node=quoted(node),
                    other=printable(node.shares),
                )
            )
    if not any(e.source not in chosen for n in selected for e in drawing.wires_in(n.id)):
        # A block takes its batch from its inputs; a Parameter alone has nothing to follow.
        raise GroupError(
            msg("nothing outside the selection feeds it; a block needs at least one input")
        )
    _, outs = drawing.adjacency
    leaving = [
        e.target for n in selected for e in drawing.wires_out(n.id) if e.target not in chosen
    ]
    for start in leaving:
        for node in selected:
            if node.id not in chosen or not reaches(outs, start, node.id):
                continue
            raise GroupError(
                msg(
                    "a path leaves the selection and comes back into {node}; grouping it would "
                    "make a loop, so add the nodes on that path to the selection",
                    node=quoted(node),
                )
            )
    return selected


def _unique(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for item in items:
        if item not in found:
            found.append(item)
    return found


def _fresh(stem: str, taken: set[str]) -> str:
    name, i = stem, 1
    while name in taken:
        i += 1
        name = f"{stem}{i}"
    taken.add(name)
    return name


def _rewired(edge: Edge, source: str, target: str, source_port: int, target_port: int) -> Edge:
    return Edge(source, target, source_port, target_port, dict(edge.extra))


# --- ungrouping --------------------------------------------------------------------------------


def ungroup(project: Project, drawing: Project, instance_id: str) -> tuple[EditLog, list[str]]:
    """Replace an instance by the nodes of its block, block params filled in with the
    instance's values. The definition goes too when nothing else uses it. Returns the log and
    the ids the inner nodes got."""
    block = check_ungroup(project, drawing, instance_id)
    instance = drawing.node(instance_id)
    values = block.defaults()
    values.update(instance.params)
    body = block.body
    inputs, outputs = block.input_ids, block.output_ids
    ports = set(inputs) | set(outputs)
    inner = [n for n in body.nodes if n.id not in ports]
    taken = {n.id for n in drawing.nodes} - {instance.id}
    ids: dict[str, str] = {}
    for node in inner:
        ids[node.id] = (
            node.id if node.id not in taken else _fresh(f"{instance.id}_{node.id}", taken)
        )
        taken.add(ids[node.id])
    new_nodes = [_placed(node, ids, values, instance, body) for node in inner]

    feeds = {e.target_port: e for e in drawing.wires_in(instance.id)}
    new_edges: list[Edge] = []
    for edge in body.edges:
        if edge.source in outputs or edge.target in inputs:
            continue
        if edge.target in outputs:
            continue  # wired below, from the instance's own out-wires
        if edge.source in inputs:
            fed = feeds.get(inputs.index(edge.source))
            if fed is not None:
                new_edges.append(
                    Edge(fed.source, ids[edge.target], fed.source_port, edge.target_port)
                )
            continue
        new_edges.append(
            Edge(ids[edge.source], ids[edge.target], edge.source_port, edge.target_port)
        )
    for edge in drawing.wires_out(instance.id):
        if edge.source_port >= len(outputs):
            continue
        into_output = body.wires_in(outputs[edge.source_port])
        if not into_output:
            continue
        inner_edge = into_output[0]
        if inner_edge.source in inputs:
            fed = feeds.get(inputs.index(inner_edge.source))
            if fed is None:
                continue
            source, port = fed.source, fed.source_port
        else:
            source, port = ids[inner_edge.source], inner_edge.source_port
        new_edges.append(Edge(source, edge.target, port, edge.target_port))

    log = EditLog()
    index = drawing.nodes.index(instance)
    for edge in [*drawing.wires_in(instance.id), *drawing.wires_out(instance.id)]:
        log.remove_edge(drawing, edge)
    log.remove_node(drawing, instance.id)
    for offset, node in enumerate(new_nodes):
        log.add_node(drawing, node, index + offset)
    for edge in new_edges:
        log.add_edge(drawing, edge)
    if not _still_used(project, block.name):
        log.remove_block(project, block.name)
    return log, [n.id for n in new_nodes]


def check_ungroup(project: Project, drawing: Project, instance_id: str) -> BlockDef:
    """The block of the instance to ungroup; GroupError when it cannot be ungrouped."""
    instance = drawing.node(instance_id)
    block = project.blocks.get(instance.type)
    if block is None:
        raise GroupError(msg("{node} is not a block instance", node=quoted(instance)))
    if instance.repeat not in (None, 1):
        raise GroupError(
            msg("{node} is repeated; set repeat to 1 before ungrouping it", node=quoted(instance))
        )
    if any(n.shares == instance.id for n in drawing.nodes) or instance.shares:
        raise GroupError(
            msg("{node} shares its layer; stop sharing before ungrouping", node=quoted(instance))
        )
    return block


def _placed(
    node: Node, ids: dict[str, str], values: dict[str, Any], instance: Node, body: Project
) -> Node:
    """A copy of an inner node for the drawing above: new id, params with values filled in."""
    copy = node.copy()
    copy.id = ids[node.id]
    for name, value in node.params.items():
        if is_expression(value):
            copy.params[name] = _value(value, values, node)
    if is_expression(node.repeat):
        copy.repeat = _value(node.repeat, values, node)
    if node.shares is not None:
        copy.shares = ids.get(node.shares, node.shares)
    if node.pos is not None and instance.pos is not None:
        xs = [n.pos[0] for n in body.nodes if n.pos]
        ys = [n.pos[1] for n in body.nodes if n.pos]
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        copy.pos = (instance.pos[0] + node.pos[0] - cx, instance.pos[1] + node.pos[1] - cy)
    return copy


def _value(text: str, values: dict[str, Any], node: Node) -> Any:
    try:
        return evaluate(parse(text), values)
    except ExpressionError as exc:
        raise GroupError(
            msg(
                "{node}: {text} cannot be worked out here ({error})",
                node=quoted(node),
                text=printable(repr(text)),
                error=exc,
            )
        ) from None


def _still_used(project: Project, name: str) -> bool:
    drawings = [project, *(b.body for b in project.blocks)]
    return any(n.type == name for d in drawings for n in d.nodes)
