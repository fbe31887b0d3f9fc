"""Drawings that used to cost quadratic time or memory: a long loop, a merge of many inputs."""

from __future__ import annotations

import pytest

from graph import Edge, Node, Project, ProjectError


def ring(n: int) -> Project:
    """Input → Add 'loop' → r0 → … → r{n-2} → back into the Add, and on to an Output."""
    nodes = [Node("x", "Input", {"shape": [4]}), Node("loop", "Add")]
    nodes += [Node(f"r{i}", "ReLU") for i in range(n - 1)] + [Node("out", "Output")]
    edges = [Edge("x", "loop"), Edge("loop", "r0")]
    edges += [Edge(f"r{i}", f"r{i + 1}") for i in range(n - 2)]
    edges += [Edge(f"r{n - 2}", "loop", 0, 1), Edge(f"r{n - 2}", "out")]
    return Project("ring", nodes, edges)


@pytest.fixture(scope="module")
def long_loop_report():
    return ring(8000).validate()


def test_a_long_loop_is_reported_once_with_its_middle_shortened(long_loop_report):
    report = long_loop_report
    assert [(p.code, p.node) for p in report.errors] == [("cycle", "loop")]
    assert report.errors[0].message == (
        "Add 'loop' is part of a loop ('loop' → 'r0' → 'r1' → 'r2' → 'r3' → … (7,994 more) → "
        "'r7998' → 'loop'); a network must flow one way, so remove one of these wires"
    )


def test_every_node_of_a_long_loop_is_marked_by_the_one_shared_problem(long_loop_report):
    report = long_loop_report
    (problem,) = report.errors
    assert all(report.nodes[f"r{i}"].problems[0] is problem for i in range(7999))


def test_a_tangle_of_loops_names_one_real_loop_and_counts_the_rest():
    nodes = [Node("x", "Input", {"shape": [4]}), Node("a", "Add"), Node("b", "Add")]
    nodes += [Node("c", "ReLU"), Node("out", "Output")]
    edges = [Edge("x", "a"), Edge("a", "b"), Edge("b", "a", 0, 1), Edge("a", "c")]
    edges += [Edge("c", "b", 0, 1), Edge("b", "out")]
    (error,) = Project("t", nodes, edges).validate().errors
    assert error.message == (
        "Add 'a' is part of a loop ('a' → 'b' → 'a'); 3 nodes are caught in loops here; a "
        "network must flow one way, so remove one of these wires"
    )


def test_a_loop_member_that_also_leads_nowhere_gets_its_own_warning_only():
    nodes = [Node("x", "Input", {"shape": [4]}), Node("a", "Add"), Node("b", "ReLU")]
    nodes += [Node("out", "Output")]
    edges = [Edge("x", "a"), Edge("a", "b"), Edge("b", "a", 0, 1), Edge("x", "out")]
    report = Project("t", nodes, edges).validate()
    assert [p.code for p in report.nodes["a"].problems] == ["cycle", "dead_end"]
    assert [p.code for p in report.nodes["b"].problems] == ["cycle", "dead_end"]
    assert [p.code for p in report.problems] == ["cycle", "dead_end", "dead_end"]


def test_a_merge_of_ten_thousand_inputs_is_checked():
    k = 10_000
    nodes = [Node("x", "Input", {"shape": [4]}), Node("sum", "Concat"), Node("out", "Output")]
    edges = [Edge("x", "sum", 0, j) for j in range(k)] + [Edge("sum", "out")]
    report = Project("wide", nodes, edges).validate()
    assert report.valid
    assert report.nodes["sum"].output_shapes == [(4 * k,)]


def test_a_wire_drawn_twice_is_still_refused_in_a_wide_merge():
    project = Project("p", [Node("x", "Input", {"shape": [4]}), Node("s", "Add")])
    for j in range(100):
        project.add_edge(Edge("x", "s", 0, j))
    with pytest.raises(ProjectError, match="that wire already exists"):
        project.add_edge(Edge("x", "s", 0, 50))
    project.remove_edge(Edge("x", "s", 0, 50))
    project.add_edge(Edge("x", "s", 0, 50))  # gone, so it may be drawn again
