"""Auto-layout: layers from the graph's topological generations, flowing top to bottom.

Each generation is a row; a node sits under the mean of its inputs (so chains stay straight and
branches fan out), then the row is swept to keep nodes apart. Plain Python and networkx: the
canvas turns the result into one undoable move.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph import Project
from gui.canvas.style import GRID, NODE_HEIGHT, NODE_WIDTH

if TYPE_CHECKING:
    import networkx as nx

ROW_PITCH = NODE_HEIGHT + 70.0
COLUMN_PITCH = NODE_WIDTH + 44.0

Pos = tuple[float, float]


def _acyclic_graph(project: Project) -> nx.DiGraph:
    import networkx as nx  # imported on first layout, not at editor start-up

    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in project.nodes)
    graph.add_edges_from((e.source, e.target) for e in project.edges)
    if nx.is_directed_acyclic_graph(graph):
        return graph
    # Leave out the wires that close loops (the report flags them) so the rest can be layered.
    dag = nx.DiGraph()
    dag.add_nodes_from(graph)
    for e in project.edges:
        if e.source != e.target and not (
            e.target in dag and e.source in dag and nx.has_path(dag, e.target, e.source)
        ):
            dag.add_edge(e.source, e.target)
    return dag


def layered_positions(project: Project, origin: Pos = (0.0, 0.0)) -> dict[str, Pos]:
    """Top-left corner for every node: generation by generation, inputs above their users."""
    import networkx as nx

    graph = _acyclic_graph(project)
    rank = {n.id: i for i, n in enumerate(project.nodes)}
    centres: dict[str, float] = {}
    positions: dict[str, Pos] = {}
    for row, generation in enumerate(nx.topological_generations(graph)):
        wanted: dict[str, float] = {}
        for node_id in generation:
            preds = [centres[p] for p in graph.predecessors(node_id) if p in centres]
            wanted[node_id] = sum(preds) / len(preds) if preds else float("nan")
        known = [w for w in wanted.values() if not _nan(w)]
        fallback_start = (max(centres.values()) + COLUMN_PITCH) if not known and centres else 0.0
        # Nodes with no inputs in this row go after the others, in file order.
        ordered = sorted(generation, key=lambda n: (_nan(wanted[n]), _num(wanted[n]), rank[n]))
        xs: list[float] = []
        for node_id in ordered:
            if _nan(wanted[node_id]):
                wanted[node_id] = xs[-1] + COLUMN_PITCH if xs else fallback_start
            want = wanted[node_id]
            xs.append(want if not xs else max(want, xs[-1] + COLUMN_PITCH))
        if known:
            # Keep the row balanced under its inputs rather than drifting right.
            drift = sum(x - wanted[n] for n, x in zip(ordered, xs, strict=True)) / len(xs)
            xs = [x - drift for x in xs]
        for node_id, x in zip(ordered, xs, strict=True):
            centres[node_id] = x
            positions[node_id] = (
                _snap(origin[0] + x - NODE_WIDTH / 2),
                _snap(origin[1] + row * ROW_PITCH),
            )
    return positions


def place_new_node(project: Project, node_id: str, known: dict[str, Pos]) -> Pos:
    """Where to show a node that has no stored position: under its input, else beside the rest."""
    for edge in project.in_edges(node_id):
        if edge.source in known:
            x, y = known[edge.source]
            return (x, y + ROW_PITCH)
    for edge in project.out_edges(node_id):
        if edge.target in known:
            x, y = known[edge.target]
            return (x, y - ROW_PITCH)
    if not known:
        return (0.0, 0.0)
    right = max(x for x, _ in known.values())
    top = min(y for _, y in known.values())
    return (_snap(right + COLUMN_PITCH), _snap(top))


def _nan(v: float) -> bool:
    return v != v


def _num(v: float) -> float:
    return 0.0 if v != v else v


def _snap(v: float) -> float:
    return round(v / (GRID / 2)) * (GRID / 2)
