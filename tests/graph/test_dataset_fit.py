"""The network against its dataset, checked while drawing: the Input against the samples, the
Output (and the layer feeding it) against the targets; datasets described without loading them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from graph import Edge, Node, Project
from graph.datasets import describe
from tests.graph.layer_helpers import chain

ROOT = Path(__file__).resolve().parents[2]


def with_data(project: Project, **training) -> Project:
    project.set_training(training)
    return project


def codes(project: Project) -> list[tuple[str, str | None, str]]:
    return [(p.code, p.node, p.severity) for p in project.validate().problems]


def test_linear_on_a_feature_map_warns_that_it_acts_on_the_last_dimension_only():
    report = chain([1, 8, 8], ("Linear", {"out_features": 10})).validate()
    (warning,) = report.warnings
    assert warning.node == "linear1"
    assert warning.message == (
        "Linear 'linear1' acts on the last dimension only: [1, 8, 8] becomes [1, 8, 10]. "
        "Flatten first?"
    )
    assert report.valid


def test_linear_on_flat_features_or_a_sequence_is_not_questioned():
    assert chain([64], ("Linear", {"out_features": 10})).validate().problems == []
    assert chain([20, 32], ("Linear", {"out_features": 1})).validate().problems == []


def test_forgotten_flatten_is_an_error_on_the_output_and_the_layer_feeding_it():
    project = with_data(chain([1, 8, 8], ("Linear", {"out_features": 10})), dataset="digits")
    errors = [p for p in project.validate().errors]
    assert [(p.code, p.node) for p in errors] == [
        ("dataset_output", "linear1"),
        ("dataset_output", "out"),
    ]
    assert "Output 'out' receives [1, 8, 10], but the dataset 'digits' has 10 classes" in (
        errors[1].message
    )


def test_wrong_class_count_names_the_last_layers_param():
    project = with_data(
        chain([64], ("Linear", {"out_features": 3})), dataset="Digits", loss="cross_entropy"
    )
    feeder = [p for p in project.validate().errors if p.node == "linear1"]
    assert feeder[0].param == "out_features"


def test_a_fitting_network_has_no_dataset_problem_and_views_of_the_samples_fit():
    for shape in ([64], [1, 8, 8], [8, 8]):
        project = with_data(
            chain(shape, ("Flatten", {}), ("Linear", {"out_features": 10})), dataset="digits"
        )
        assert project.validate().problems == [], shape


def test_input_that_cannot_hold_the_samples_is_an_error_on_the_input():
    project = with_data(
        chain([1, 28, 28], ("Flatten", {}), ("Linear", {"out_features": 10})), dataset="digits"
    )
    (error,) = project.validate().errors
    assert (error.code, error.node, error.param) == ("dataset_input", "x", "shape")
    assert "an Input of [64] or [1, 8, 8] would fit" in error.message


def test_two_classes_may_end_in_one_logit_with_a_bce_loss_only():
    one_logit = chain([2], ("Linear", {"out_features": 1}))
    assert codes(with_data(one_logit, dataset="moons", loss="bce_with_logits")) == []
    assert ("dataset_output", "out", "error") in codes(with_data(one_logit, dataset="moons"))


def test_regression_targets_compare_by_value_count_as_the_recipe_reshapes():
    project = chain([20, 1], ("RNN", {"hidden_size": 8, "batch_first": True}))
    project.add_node(Node("fc", "Linear", {"out_features": 1}))
    project.remove_edge(Edge("rnn1", "out"))
    project.add_edge(Edge("rnn1", "fc"))
    project.add_edge(Edge("fc", "out"))
    assert codes(with_data(project, dataset="sincos")) == []  # windows follow the Input: [20, 1]
    project.set_param("fc", "out_features", 2)
    assert ("dataset_output", "out", "error") in codes(project)


def test_changing_the_dataset_rechecks_the_network():
    project = chain([2], ("Linear", {"out_features": 3}))
    assert project.validate().valid
    project.set_training({"dataset": "digits"})
    assert not project.validate().valid
    project.set_training({"dataset": "spirals"})
    assert project.validate().valid
    project.set_training({"dataset": "spirals", "dataset_options": {"classes": 4}})
    assert not project.validate().valid


def test_every_builtin_is_described_without_loading_torch_or_data():
    code = (
        "import sys; from graph.datasets import builtin_names, describe; "
        "assert all(describe({'dataset': n}).sample_shape for n in builtin_names()); "
        "print('torch' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize("name", ["digits", "blobs", "moons", "spirals", "sincos"])
def test_the_table_agrees_with_what_the_loader_produces(name):
    from recipe import data as data_sources

    loader, kwargs = data_sources.dataset_loader(name)
    X, y, info = getattr(data_sources, loader)(**kwargs)
    described = describe({"dataset": name})
    assert described.sample_shape == tuple(X.shape[1:])
    assert described.task == info["task"]
    assert described.num_classes == info["num_classes"]
    if described.task == "regression":
        assert described.target_shape == tuple(y.shape[1:])


def test_files_are_described_from_their_headers(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("a,b,c,label\n1,2,3,x\n", encoding="utf-8")
    assert describe({"dataset": str(csv)}).sample_shape == (3,)
    npz = tmp_path / "d.npz"
    np.savez(npz, X=np.zeros((5, 2, 4), np.float32), y=np.zeros(5, np.int64))
    assert describe({"dataset": str(npz)}).sample_shape == (2, 4)
    folder = tmp_path / "imgs"
    (folder / "cat").mkdir(parents=True)
    (folder / "dog").mkdir()
    assert describe({"dataset": str(folder)}).num_classes == 2


def test_unreadable_or_missing_files_describe_nothing(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with zipfile.ZipFile(tmp_path / "empty.npz", "w"):
        pass
    for dataset in (str(bad), str(tmp_path / "empty.npz"), str(tmp_path / "no.csv"), "nope"):
        assert describe({"dataset": dataset}) is None


def test_the_metadata_knows_every_built_in_dataset_the_loaders_know():
    from graph.dataset_names import BUILTIN_DATASETS
    from graph.datasets import builtin_names

    assert builtin_names() == BUILTIN_DATASETS
