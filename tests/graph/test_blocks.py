"""Blocks in validation: each instance checked with its own shapes, problems located by path."""

from __future__ import annotations

import json

import pytest

from graph import UNSET, Node, ProjectFileError, project_from_dict, project_to_dict
from graph.blocks import BlockDef, BlockError, param_from_json
from graph.project import Project
from tests.graph.blocks_helpers import chain, mlp_block_project, project_data


def test_an_instance_takes_its_shapes_and_params_from_its_own_wires_and_values():
    project = mlp_block_project(width=16)
    report = project.validate()
    assert report.valid, [p.message for p in report.errors]
    b = report.nodes["b"]
    assert b.input_shapes == [(4,)] and b.output_shapes == [(32,)]
    assert b.resolved == {"width": 16}
    # fc 4*16+16, fc2 16*32+32
    assert b.params == 80 + 544
    (run,) = b.runs
    assert run.report.nodes["fc"].resolved["in_features"] == 4
    assert run.report.nodes["fc2"].output_shapes == [(32,)]
    assert report.total_params == 80 + 544 + 32 * 8 + 8


def test_repeat_runs_copies_in_sequence_each_with_its_own_weights():
    project = project_from_dict(
        project_data(
            {
                "Same": {
                    **chain(("x", "Input"), ("fc", "Linear", {"out_features": 4}), ("o", "Output"))
                }
            },
            ("x", "Input", {"shape": [4]}),
            ("b", "Same", {}, {"repeat": 3}),
            ("out", "Output"),
        )
    )
    report = project.validate()
    assert report.valid
    assert len(report.nodes["b"].runs) == 3
    assert report.total_params == 3 * 20


def test_a_repeated_plain_layer_sees_the_previous_copy_output():
    data = project_data(
        {},
        ("x", "Input", {"shape": [3]}),
        ("fc", "Linear", {"out_features": 5}, {"repeat": 3}),
        ("out", "Output"),
    )
    report = project_from_dict(data).validate()
    assert report.valid
    fc = report.nodes["fc"]
    assert [r.resolved["in_features"] for r in fc.runs] == [3, 5, 5]
    assert report.total_params == (3 * 5 + 5) + 2 * (5 * 5 + 5)


def test_a_problem_inside_a_block_is_located_by_path_on_the_instance_and_the_inner_node():
    project = mlp_block_project(width=0)  # Linear(out_features=0) inside the block
    report = project.validate()
    assert not report.valid
    problem = next(p for p in report.errors if p.path)
    assert problem.node == "b"
    assert problem.path == "b.fc"
    assert "at b.fc" in problem.message and "out_features" in problem.message
    (run,) = report.nodes["b"].runs
    inner = [p for p in run.report.errors if p.node == "fc"]
    assert inner and inner[0].path is None
    assert problem.to_json()["path"] == "b.fc"


def test_a_problem_in_a_repeated_copy_names_the_copy():
    data = project_data(
        {
            "Grow": {
                **chain(
                    ("x", "Input"),
                    ("fc", "Linear", {"in_features": 4, "out_features": 8}),
                    ("o", "Output"),
                )
            }
        },
        ("x", "Input", {"shape": [4]}),
        ("layer", "Grow", {}, {"repeat": 2}),
        ("out", "Output"),
    )
    report = project_from_dict(data).validate()
    (error,) = report.errors
    assert error.node == "layer" and error.path == "layer.1.fc"
    assert "expects 4 input features" in error.message


def test_nested_problems_get_the_whole_path():
    data = project_data(
        {
            "Inner": {
                "params": {"n": {"type": "int", "default": 2}},
                **chain(
                    ("x", "Input"), ("conv1", "Linear", {"out_features": "$n - 5"}), ("o", "Output")
                ),
            },
            "Outer": {
                "params": {"n": {"type": "int", "default": 2}},
                **chain(("x", "Input"), ("0", "Inner", {"n": "$n"}), ("o", "Output")),
            },
        },
        ("x", "Input", {"shape": [4]}),
        ("layer2", "Outer", {"n": 3}),
        ("out", "Output"),
    )
    (error,) = project_from_dict(data).validate().errors
    assert error.path == "layer2.0.conv1"
    assert "out_features must be at least 1, not -2" in error.message


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ("$widht", "no block parameter $widht"),
        ("$width //", "ends where a value"),
        ("$width // 0", "divides by zero"),
    ],
)
def test_a_bad_expression_is_a_located_error(expr, fragment):
    data = project_data(
        {
            "B": {
                "params": {"width": {"type": "int", "default": 4}},
                **chain(("x", "Input"), ("fc", "Linear", {"out_features": expr}), ("o", "Output")),
            }
        },
        ("x", "Input", {"shape": [4]}),
        ("b", "B"),
        ("out", "Output"),
    )
    (error,) = project_from_dict(data).validate().errors
    assert error.path == "b.fc" and fragment in error.message and error.code == "bad_param"


def test_an_expression_outside_a_block_is_an_error_on_its_node():
    data = project_data(
        {},
        ("x", "Input", {"shape": [4]}),
        ("fc", "Linear", {"out_features": "$n"}),
        ("out", "Output"),
    )
    (error,) = project_from_dict(data).validate().errors
    assert error.node == "fc" and "only the drawing of a block" in error.message


def test_instance_params_are_checked_against_the_block_declaration():
    project = mlp_block_project(width=True)
    messages = [p.message for p in project.validate().errors]
    assert any("width must be a whole number" in m for m in messages)
    data = project_data(
        {"B": {"params": {"width": {"type": "int"}}, **chain(("x", "Input"), ("o", "Output"))}},
        ("x", "Input", {"shape": [4]}),
        ("b", "B", {"depth": 2}),
        ("out", "Output"),
    )
    messages = [p.message for p in project_from_dict(data).validate().errors]
    assert any("has no parameter 'depth'" in m for m in messages)
    assert any("needs width to be set" in m for m in messages)


def test_a_block_that_contains_itself_is_an_error_naming_the_cycle():
    data = project_data(
        {
            "A": {**chain(("x", "Input"), ("b", "B"), ("o", "Output"))},
            "B": {**chain(("x", "Input"), ("a", "A"), ("o", "Output"))},
        },
        ("x", "Input", {"shape": [4]}),
        ("a", "A"),
        ("out", "Output"),
    )
    (error,) = project_from_dict(data).validate().errors
    assert error.code == "block_cycle" and "A → B → A" in error.message


def test_shares_counts_the_weights_once_and_checks_the_layer_fits_both_places():
    data = project_data(
        {},
        ("x", "Input", {"shape": [20]}),
        ("fc", "Linear", {"out_features": 20}),
        ("relu", "ReLU"),
        ("again", "Linear", {"out_features": 20}, {"shares": "fc"}),
        ("out", "Output"),
    )
    report = project_from_dict(data).validate()
    assert report.valid and report.total_params == 420
    data["nodes"][0]["params"]["shape"] = [10]
    data["nodes"][1]["params"]["out_features"] = 30
    data["nodes"][3]["params"]["out_features"] = 30
    (error,) = project_from_dict(data).validate().errors
    assert error.node == "again" and "differs in in_features (30 here, 10 there)" in error.message


def test_shares_must_name_another_node_of_the_same_type():
    data = project_data(
        {},
        ("x", "Input", {"shape": [20]}),
        ("fc", "Linear", {"out_features": 20}),
        ("relu", "ReLU", {}, {"shares": "fc"}),
        ("again", "Linear", {"out_features": 20}, {"shares": "nowhere"}),
        ("out", "Output"),
    )
    messages = [p.message for p in project_from_dict(data).validate().errors]
    assert any("own type" in m for m in messages)
    assert any("'nowhere', which is not another node" in m for m in messages)


# --- editing a definition --------------------------------------------------------------------


def test_editing_a_definition_rechecks_every_instance_and_nothing_else():
    project = mlp_block_project()
    project.validate()
    analyzer = project._analyzer
    before = analyzer.evaluations
    body = project.blocks.get("MLPBlock").body
    body.set_param("fc2", "out_features", 3)
    report = project.validate()
    assert report.nodes["b"].output_shapes == [(3,)]
    assert report.nodes["head"].resolved["in_features"] == 3
    # the instance and the layer it feeds; the Input, and the Output (whose input kept its
    # shape), are left alone
    assert analyzer.evaluations - before == 2
    unchanged = project.validate()
    assert unchanged is report


def test_a_new_param_default_reaches_the_instances_that_leave_the_param_out():
    project = mlp_block_project(width=16)
    project.set_param("b", "width", UNSET)
    assert project.validate().nodes["b"].output_shapes == [(32,)]
    project.blocks.set_params(
        "MLPBlock", (param_from_json("width", {"type": "int", "default": 2}),)
    )
    assert project.validate().nodes["b"].output_shapes == [(4,)]


# --- the file ----------------------------------------------------------------------------------


def test_a_block_project_survives_a_round_trip_exactly():
    data = project_to_dict(mlp_block_project(repeat=2))
    assert data["version"] == 2
    again = project_to_dict(project_from_dict(json.loads(json.dumps(data))))
    assert again == data
    assert data["blocks"]["MLPBlock"]["params"] == {"width": {"type": "int", "default": 16}}
    assert data["nodes"][1]["repeat"] == 2


def test_a_version_1_file_keeps_blocks_and_repeat_as_unknown_keys():
    data = project_data(
        {"B": {**chain(("x", "Input"), ("o", "Output"))}},
        ("x", "Input", {"shape": [2]}),
        ("out", "Output"),
    )
    data["version"] = 1
    data["nodes"][0]["repeat"] = 2
    project = project_from_dict(data)
    assert len(project.blocks) == 0 and project.extra["blocks"] == data["blocks"]
    assert project.node("x").repeat is None and project.node("x").extra == {"repeat": 2}
    assert project_to_dict(project) == data


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        ({"Linear": {}}, "already a layer type"),
        ({"my block": {}}, "must be an identifier"),
        ({"B": {"params": {"n": {"type": "str"}}}}, "a block parameter is int, float or bool"),
        ({"B": {"params": {"n": {"type": "int", "default": "x"}}}}, "the default is wrong"),
        (
            {"B": {"nodes": [{"id": "a", "type": "Input"}, {"id": "a", "type": "Output"}]}},
            "two nodes have the id 'a'",
        ),
        ({"B": []}, "block 'B' must be an object"),
    ],
)
def test_a_bad_block_definition_is_refused_in_one_line(blocks, fragment):
    with pytest.raises(ProjectFileError) as info:
        project_from_dict(project_data(blocks))
    assert fragment in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("value", "ok"), [(2, True), ("$n", True), (0, False), (True, False), ("x", False)]
)
def test_repeat_in_a_file_is_a_whole_number_or_an_expression(value, ok):
    data = project_data({}, ("x", "Input", {"shape": [2]}, {"repeat": value}))
    if ok:
        project_from_dict(data)
    else:
        with pytest.raises(ProjectFileError, match="repeat"):
            project_from_dict(data)


def test_the_model_refuses_a_duplicate_block_name():
    project = Project()
    project.add_block(BlockDef("B", (), Project("B")))
    with pytest.raises(BlockError, match="already exists"):
        project.add_block(BlockDef("B", (), Project("B")))
    project.add_node(Node("b", "B"))
    assert project.blocks.get("B").body.block_name == "B"


def test_an_operation_cannot_be_repeated():
    data = project_data(
        {},
        ("x", "Input", {"shape": [4]}),
        ("twice", "Reshape", {"shape": [2, 2]}, {"repeat": 2}),
        ("out", "Output"),
    )
    (error,) = project_from_dict(data).validate().errors
    assert error.node == "twice" and error.code == "bad_repeat" and "an operation" in error.message


def test_a_problem_two_blocks_deep_names_its_whole_path_once():
    from tests.graph.blocks_helpers import chain, project_data

    inner = chain(("x", "Input"), ("fc2", "Linear", {"out_features": "$nope"}), ("out", "Output"))
    outer = chain(("x", "Input"), ("m", "Inner"), ("out", "Output"))
    project = project_from_dict(
        project_data(
            {"Inner": inner, "Outer": outer},
            ("x", "Input", {"shape": [4]}),
            ("o", "Outer"),
            ("out", "Output"),
        )
    )
    (problem,) = project.validate().errors
    assert problem.path == "o.m.fc2"
    assert problem.message.startswith("at o.m.fc2: Linear 'fc2': out_features='$nope'")
    assert problem.message.count("at ") == 1
