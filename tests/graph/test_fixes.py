"""Fixes: each a titled edit that removes its problem, adds no error, and undoes exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graph import Edge, Node, Project, load_project, project_to_json
from graph.fix_finder import fix_all, fixes_for
from graph.fixes import revert
from tests.graph.layer_helpers import chain
from tests.graph.test_property_torch_agreement import assert_agrees_with_torch

ROOT = Path(__file__).resolve().parents[2]


def titles(project: Project, node: str | None = None) -> list[list[str]]:
    return [
        [f.title for f in fixes_for(project, p)]
        for p in project.validate().problems
        if node is None or p.node == node
    ]


def test_a_linear_on_a_feature_map_is_offered_a_flatten_in_front():
    project = chain([1, 8, 8], ("Linear", {"out_features": 10}))
    assert titles(project) == [["Insert Flatten before 'linear1'"]]
    (fix,) = fixes_for(project, project.validate().problems[0])
    before = project_to_json(project)
    undo = fix.apply(project)
    assert [n.type for n in project.nodes] == ["Input", "Flatten", "Linear", "Output"]
    assert project.validate().problems == []
    assert project.validate().nodes["linear1"].output_shapes == [(10,)]
    revert(project, undo)
    assert project_to_json(project) == before


def test_a_wrong_pinned_size_can_be_set_to_what_arrives_or_unpinned():
    project = chain(
        [16, 5, 5], ("Flatten", {}), ("Linear", {"in_features": 576, "out_features": 4})
    )
    assert titles(project) == [
        [
            "Set in_features of 'linear2' to 400 (what arrives)",
            "Unpin in_features of 'linear2' (infer it from the input)",
        ]
    ]
    chosen = fixes_for(project, project.validate().errors[0])[0]
    chosen.apply(project)
    assert project.node("linear2").params["in_features"] == 400


def test_conv_and_norm_pins_get_the_same_offer():
    project = chain([3, 8, 8], ("Conv2d", {"in_channels": 1, "out_channels": 4, "kernel_size": 3}))
    assert titles(project)[0][0] == "Set in_channels of 'conv2d1' to 3 (what arrives)"
    project = chain([6, 4, 4], ("BatchNorm2d", {"num_features": 3}))
    assert titles(project)[0][0] == "Set num_features of 'batchnorm2d1' to 6 (what arrives)"


def test_a_kernel_larger_than_its_input_gets_padding_that_keeps_the_size():
    project = chain([1, 2, 2], ("Conv2d", {"out_channels": 4, "kernel_size": 3}))
    assert titles(project) == [["Set padding of 'conv2d1' to 1 (keeps the spatial size)"]]


def residual(branch: dict) -> Project:
    """x → conv_a → add ← conv_b ← x, with conv_b's params given."""
    project = Project("res")
    project.add_node(Node("x", "Input", {"shape": [4, 8, 8]}))
    project.add_node(Node("a", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}))
    project.add_node(Node("b", "Conv2d", branch))
    project.add_node(Node("add", "Add"))
    project.add_node(Node("out", "Output"))
    for edge in (Edge("x", "a"), Edge("x", "b"), Edge("a", "add"), Edge("b", "add", 0, 1)):
        project.add_edge(edge)
    project.add_edge(Edge("add", "out"))
    return project


def test_an_add_whose_inputs_disagree_gets_a_projection_or_padding():
    channels = residual({"out_channels": 8, "kernel_size": 3, "padding": 1})
    assert titles(channels) == [["Insert a 1×1 Conv2d projecting 'b' to 4 channels"]]
    spatial = residual({"out_channels": 4, "kernel_size": 3})
    assert titles(spatial) == [["Set padding of 'b' to 1 (keeps the spatial size)"]]
    features = chain([6], ("Linear", {"out_features": 3}))
    features.add_node(Node("add", "Add"))
    features.remove_edge(Edge("linear1", "out"))
    for edge in (Edge("x", "add"), Edge("linear1", "add", 0, 1), Edge("add", "out")):
        features.add_edge(edge)
    assert titles(features) == [["Insert a Linear projecting 'linear1' to 6 features"]]


def test_a_recurrent_layer_reading_the_batch_as_time_gets_batch_first():
    project = chain([5, 3], ("LSTM", {"hidden_size": 4}))
    assert titles(project) == [["Set batch_first=True on 'lstm1'"]]


def test_steps_and_features_the_wrong_way_round_get_a_permute_in_front():
    # A Conv1d hands on [channels, steps]; an LSTM reads [steps, features]. When swapping the
    # last two dims gives the layer exactly the size it is set to, that is the likely fix.
    project = chain(
        [4, 30],
        ("Conv1d", {"in_channels": 4, "out_channels": 16, "kernel_size": 3}),
        ("LSTM", {"input_size": 16, "hidden_size": 8, "batch_first": True}),
    )
    assert (
        titles(project, "lstm2")[0][0]
        == "Insert Permute before 'lstm2' ([16, 28] becomes [28, 16])"
    )
    fix = fixes_for(project, project.validate().errors[0])[0]
    fix.apply(project)
    assert [n.type for n in project.nodes] == ["Input", "Conv1d", "Permute", "LSTM", "Output"]
    report = project.validate()
    assert report.valid and report.nodes["lstm2"].output_shapes[0] == (28, 8)
    assert_agrees_with_torch(project)


def test_no_permute_is_offered_when_swapping_would_not_give_the_pinned_size():
    project = chain([20, 8], ("LSTM", {"input_size": 12, "hidden_size": 4, "batch_first": True}))
    assert not any("Permute" in t for t in titles(project)[0])


def test_a_misspelt_param_is_renamed():
    project = chain([4], ("Linear", {"out_features": 2, "biass": False}))
    assert titles(project)[0][0] == "Rename biass to bias on 'linear1'"


def test_the_dataset_decides_the_last_layer_and_the_input():
    project = chain([64], ("Linear", {"out_features": 3}))
    project.set_training({"dataset": "digits"})
    offered = titles(project, "out")[0]
    assert offered[0] == "Set out_features of 'linear1' to 10 (the dataset's classes)"
    project = chain([1, 28, 28], ("Flatten", {}), ("Linear", {"out_features": 10}))
    project.set_training({"dataset": "digits"})
    assert titles(project) == [
        [
            "Set the shape of 'x' to [64] (the dataset's samples)",
            "Set the shape of 'x' to [1, 8, 8] (the dataset's samples)",
        ]
    ]


def test_a_fix_never_offered_when_it_would_add_an_error():
    # Conv on [1, 8, 8] flattened would break the conv: only the view [1, 8, 8] is offered.
    project = chain([1, 28, 28], ("Conv2d", {"out_channels": 2, "kernel_size": 3}))
    project.add_node(Node("flat", "Flatten"))
    project.add_node(Node("fc", "Linear", {"out_features": 10}))
    project.remove_edge(Edge("conv2d1", "out"))
    for edge in (Edge("conv2d1", "flat"), Edge("flat", "fc"), Edge("fc", "out")):
        project.add_edge(edge)
    project.set_training({"dataset": "digits"})
    assert titles(project) == [["Set the shape of 'x' to [1, 8, 8] (the dataset's samples)"]]


def test_fix_all_repairs_a_forgotten_flatten_against_the_dataset():
    project = chain([1, 8, 8], ("Linear", {"out_features": 10}))
    project.set_training({"dataset": "digits"})
    assert fix_all(project) == ["Insert Flatten before 'linear1'"]
    assert project.validate().problems == []


def run_check(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", "check", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_json_lists_each_problems_fixes():
    done = run_check(ROOT / "examples" / "broken" / "lenet_mismatch.json", "--json")
    (error,) = json.loads(done.stdout)["errors"]
    assert error["fixes"] == [
        {"title": "Set in_features of 'fc1' to 400 (what arrives)"},
        {"title": "Unpin in_features of 'fc1' (infer it from the input)"},
    ]


def test_check_fix_writes_a_valid_file_and_exits_0(tmp_path):
    fixed = tmp_path / "fixed.json"
    done = run_check(ROOT / "examples" / "broken" / "lenet_mismatch.json", "--fix", "-o", fixed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("fixed: Set in_features of 'fc1' to 400 (what arrives)\n")
    assert load_project(fixed).validate().valid
    assert run_check(fixed).returncode == 0


def test_check_fix_exits_1_when_something_is_left_unfixable(tmp_path):
    source = tmp_path / "dangling.json"
    project = chain([4], ("Linear", {"out_features": 2}))
    project.add_node(Node("lonely", "Add"))
    source.write_text(project_to_json(project), encoding="utf-8")
    done = run_check(source, "--fix", "-o", tmp_path / "out.json")
    assert done.returncode == 1
    assert (tmp_path / "out.json").exists()


def test_check_fix_without_an_output_file_is_refused_in_one_line():
    done = run_check(ROOT / "examples" / "mlp.json", "--fix")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("--fix needs -o FIXED_JSON")
