"""The shape of the wiring: evaluation order, loops, and nodes that lead to no Output.

The common case (no loop) is plain Python over the project's adjacency lists: Kahn's algorithm with
a heap on file order, and one backward sweep from the Outputs. That is several times faster than
building a networkx graph for every wire edit on a 2,000-node drawing. networkx is still what finds
the loops (strongly connected components) once Kahn's algorithm shows there is one.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.messages import quoted, title
from graph.model_types import Edge, Node
from graph.problem_codes import ProblemCode
from graph.report import Problem
from i18n import join, msg


@dataclass
class Topology:
    """What the wiring alone says; recomputed when nodes or wires change, never on param edits."""

    order: list[str] = field(default_factory=list)  # topological, ties by file order, no loops
    rank: dict[str, int] = field(default_factory=dict)  # position to evaluate at; loops last
    in_cycle: set[str] = field(default_factory=set)
    structural: dict[str, list[Problem]] = field(default_factory=dict)  # per node
    project_problems: list[Problem] = field(default_factory=list)  # not tied to one node


def analyse(nodes: list[Node], ins: dict[str, list[Edge]], outs: dict[str, list[Edge]]) -> Topology:
    """The Topology of a drawing given in file order with its in- and out-wires per node."""
    topo = Topology()
    order = _kahn(nodes, ins, outs, ())
    if len(order) < len(nodes):
        topo.in_cycle = _report_cycles(nodes, outs, set(order), topo.structural)
        order = _kahn(nodes, ins, outs, topo.in_cycle)
    topo.order = order
    rank = {nid: i for i, nid in enumerate(order)}
    for node in nodes:  # loop members go last so every node still gets a (shapeless) result
        if node.id in topo.in_cycle:
            rank[node.id] = len(rank)
    topo.rank = rank
    _report_dead_ends(nodes, ins, topo)
    if nodes and not any(n.type == "Input" for n in nodes):
        topo.project_problems.append(
            Problem(
                "error",
                ProblemCode.NO_INPUT,
                msg("The network has no Input node; add one to feed it"),
            )
        )
    return topo


def _kahn(
    nodes: list[Node],
    ins: dict[str, list[Edge]],
    outs: dict[str, list[Edge]],
    skip: Iterable[str],
) -> list[str]:
    """Topological order of the nodes not in `skip`, the earliest in the file first on ties.

    Nodes in a loop, and nodes a loop feeds, are left out: they never become ready.
    """
    skip = set(skip)
    file_rank = {n.id: i for i, n in enumerate(nodes)}
    waiting: dict[str, int] = {}
    ready: list[int] = []
    for i, node in enumerate(nodes):
        if node.id in skip:
            continue
        count = sum(1 for e in ins[node.id] if e.source not in skip) if skip else len(ins[node.id])
        if count:
            waiting[node.id] = count
        else:
            ready.append(i)
    # File order is usually close to topological order, so the heap stays small.
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        nid = nodes[heapq.heappop(ready)].id
        order.append(nid)
        for edge in outs[nid]:
            target = edge.target
            if target in skip:
                continue
            left = waiting[target] - 1
            if left:
                waiting[target] = left
            else:
                del waiting[target]
                heapq.heappush(ready, file_rank[target])
    return order


def _report_cycles(
    nodes: list[Node],
    outs: dict[str, list[Edge]],
    ordered: set[str],
    structural: dict[str, list[Problem]],
) -> set[str]:
    """Find the loops among the nodes Kahn's algorithm could not order.

    Each tangle of loops is one problem, located at its first node in file order and naming one
    real loop through it (shortened when long). Every member carries that same Problem object,
    so the canvas marks them all, at the cost of a pointer each, not a copy of the loop each.
    """
    import networkx as nx  # only drawings with a loop pay for it (~0.5 s of editor start-up)

    by_id = {n.id: n for n in nodes}
    file_rank = {n.id: i for i, n in enumerate(nodes)}
    rest = nx.DiGraph()
    rest.add_nodes_from(n.id for n in nodes if n.id not in ordered)
    rest.add_edges_from(
        (nid, e.target) for nid in rest for e in outs[nid] if e.target not in ordered
    )
    in_cycle: set[str] = set()
    for component in nx.strongly_connected_components(rest):
        head = min(component, key=file_rank.__getitem__)
        if len(component) == 1 and not rest.has_edge(head, head):
            continue  # fed by a loop, not part of one
        in_cycle.update(component)
        path = _loop_through(rest.succ, head, component)
        loop = _loop_text([by_id[m] for m in path])
        more = len(component) - len(path)  # nodes on other loops through the same tangle
        size = (
            msg("; {count:,} nodes are caught in loops here", count=len(component)) if more else ""
        )
        problem = Problem(
            "error",
            ProblemCode.CYCLE,
            msg(
                "{node} is part of a loop ({loop}){size}; a network must flow one way, so remove "
                "one of these wires",
                node=title(by_id[head]),
                loop=loop,
                size=size,
            ),
            head,
        )
        shared = [problem]
        for m in component:
            structural[m] = shared
    return in_cycle


_SHOWN = 8  # nodes of a loop a message names before it shortens the middle to "…"


def _loop_through(succ: Mapping[str, Iterable[str]], head: str, component: set[str]) -> list[str]:
    """A shortest loop from `head` back to itself inside `component` (breadth first)."""
    parent: dict[str, str] = {}
    frontier = [head]
    while frontier:
        following = []
        for nid in frontier:
            for target in succ[nid]:
                if target == head:
                    path = [nid]
                    while path[-1] != head:
                        path.append(parent[path[-1]])
                    return path[::-1]
                if target in component and target not in parent and target != head:
                    parent[target] = nid
                    following.append(target)
        frontier = following
    return [head]  # unreachable for a strongly connected component


def _loop_text(loop: list[Node]) -> str:
    """`'a' → 'b' → 'a'`; a long loop keeps its first and last nodes: `'a' → … (n more) → 'z'`."""
    names = [quoted(n) for n in loop]
    if len(names) > _SHOWN:
        hidden = len(names) - _SHOWN + 2
        names = [*names[: _SHOWN - 3], msg("… ({count:,} more)", count=hidden), *names[-1:]]
    return join(" → ", [*names, names[0]])


def _report_dead_ends(nodes: list[Node], ins: dict[str, list[Edge]], topo: Topology) -> None:
    outputs = [n.id for n in nodes if n.type == "Output"]
    if not outputs:
        if nodes:
            topo.project_problems.append(
                Problem("warning", ProblemCode.NO_OUTPUT, msg("The network has no Output node yet"))
            )
        return
    feeds_output = set(outputs)
    stack = list(outputs)
    while stack:  # walk the wires backwards from every Output
        for edge in ins[stack.pop()]:
            if edge.source not in feeds_output:
                feeds_output.add(edge.source)
                stack.append(edge.source)
    for node in nodes:
        if node.id not in feeds_output and not node.not_called:  # kept, never meant to run
            # A new list: a loop's members share theirs, which must not grow for them all.
            topo.structural[node.id] = [
                *topo.structural.get(node.id, ()),
                Problem(
                    "warning",
                    ProblemCode.DEAD_END,
                    msg(
                        "{node} does not lead to any Output, so it has no effect", node=title(node)
                    ),
                    node.id,
                ),
            ]


def reaches(outs: dict[str, list[Edge]], start: str, goal: str) -> bool:
    """Whether a path of wires leads from `start` to `goal` (would a new wire close a loop?)."""
    seen = {start}
    stack = [start]
    while stack:
        nid = stack.pop()
        if nid == goal:
            return True
        for edge in outs[nid]:
            if edge.target not in seen:
                seen.add(edge.target)
                stack.append(edge.target)
    return False


def downstream(outs: dict[str, list[Edge]], start: str) -> set[str]:
    """Every node a path of wires leads to from `start`, `start` excluded."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        for edge in outs[stack.pop()]:
            if edge.target not in seen:
                seen.add(edge.target)
                stack.append(edge.target)
    seen.discard(start)
    return seen
