"""A problem inside a block gets fixes too: worked out from the instance it is seen through,
tried on a copy of the whole project, and made in the block's definition."""

from __future__ import annotations

from graph import Edge, Node, project_to_json
from graph.block_fixes import fixes_inside, instance_run
from graph.fixes import revert
from tests.graph.blocks_helpers import mlp_block_project


def broken_inside():
    """MLPBlock's fc pinned to 5 input features; the instance feeds it 4."""
    project = mlp_block_project()
    project.blocks.get("MLPBlock").body.set_param("fc", "in_features", 5)
    return project


def inner_problem(project):
    _, report, _ = instance_run(project, project.validate(), ["b"])
    (problem,) = report.errors
    return problem


def test_the_instance_reports_the_problem_inside_its_block():
    project = broken_inside()
    assert not project.validate().valid
    problem = inner_problem(project)
    assert problem.node == "fc" and problem.param == "in_features"


def test_a_pinned_size_inside_a_block_is_set_to_what_the_instance_feeds_it_or_unpinned():
    project = broken_inside()
    fixes = fixes_inside(project, ["b"], inner_problem(project))
    assert [f.title for f in fixes] == [
        "Set in_features of 'fc' to 4 (what arrives)",
        "Unpin in_features of 'fc' (infer it from the input)",
    ]
    before = project_to_json(project)
    undo = fixes[0].apply(project)
    assert project.validate().valid
    assert project.blocks.get("MLPBlock").body.node("fc").params["in_features"] == 4
    revert(project, undo)
    assert project_to_json(project) == before


def test_a_fix_that_would_break_another_instance_is_not_offered():
    project = broken_inside()
    # a second instance fed 6 features: pinning 4 mends b and breaks b2, so only unpinning helps
    project.add_node(Node("x2", "Input", {"shape": [6]}))
    project.add_node(Node("b2", "MLPBlock", {"width": 16}))
    project.add_edge(Edge("x2", "b2"))
    titles = [f.title for f in fixes_inside(project, ["b"], inner_problem(project))]
    assert titles == ["Unpin in_features of 'fc' (infer it from the input)"]
