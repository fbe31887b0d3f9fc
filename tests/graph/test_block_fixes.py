"""A problem inside a block gets fixes too: worked out from the instance it is seen through,
tried on a copy of the whole project, and made in the block's definition."""

from __future__ import annotations

from graph import Edge, Node, project_from_dict, project_to_json
from graph.block_fixes import fixes_inside, locate_inside
from graph.fix_finder import fix_all, with_fixes
from graph.fixes import revert
from graph.instances import opened_run
from tests.graph.blocks_helpers import chain, mlp_block_project, project_data


def broken_inside():
    """MLPBlock's fc pinned to 5 input features; the instance feeds it 4."""
    project = mlp_block_project()
    project.blocks.get("MLPBlock").body.set_param("fc", "in_features", 5)
    return project


def nested_broken():
    """x [4] -> o: Outer (inside: m: MLPBlock, whose fc is pinned to 5 input features) -> out."""
    project = project_from_dict(
        project_data(
            {
                "MLPBlock": {
                    "params": {},
                    **chain(
                        ("x", "Input"),
                        ("fc", "Linear", {"in_features": 5, "out_features": 3}),
                        ("out", "Output"),
                    ),
                },
                "Outer": {
                    "params": {},
                    **chain(("x", "Input"), ("m", "MLPBlock", {}), ("out", "Output")),
                },
            },
            ("x", "Input", {"shape": [4]}),
            ("o", "Outer", {}),
            ("out", "Output"),
        )
    )
    return project


def inner_problem(project):
    _, report, _ = opened_run(project, project.validate(), ["b"])
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


def test_check_json_and_fix_all_reach_problems_inside_blocks():
    project = broken_inside()
    report = project.validate()
    (error,) = report.errors
    assert error.node == "b" and error.path == "b.fc"
    data = with_fixes(project, report, report.to_json())
    assert data["errors"][0]["fixes"][0] == {"title": "Set in_features of 'fc' to 4 (what arrives)"}
    assert fix_all(project) == ["Set in_features of 'fc' to 4 (what arrives)"]
    assert project.validate().valid


def test_a_problem_two_blocks_deep_is_found_through_both_instances():
    project = nested_broken()
    (error,) = project.validate().errors
    path, inner = locate_inside(project, error)
    assert path == ["o", "m"] and inner.node == "fc"
    (first, *_) = fixes_inside(project, path, inner)
    first.apply(project)
    assert project.validate().valid
