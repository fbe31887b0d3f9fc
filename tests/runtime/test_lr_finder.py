"""The learning-rate range test: exponentially growing rates on a copy of the network, the loss
curve, and a suggestion within the decade below the loss minimum; `train --find-lr`."""

import itertools
import json

import pytest

from graph import load_project, save_project
from main import main
from recipe.config import TrainConfig
from runtime.failures import RunFailed
from runtime.lr_finder import lr_schedule, range_test, smooth, suggest
from tests.runtime.conftest import mlp


def test_the_schedule_grows_exponentially_from_start_to_end():
    rates = lr_schedule(1e-6, 1.0, 7)
    assert rates[0] == pytest.approx(1e-6) and rates[-1] == pytest.approx(1.0)
    assert all(b / a == pytest.approx(10.0) for a, b in itertools.pairwise(rates))


def test_smoothing_is_unbiased_at_the_start():
    assert smooth([2.0, 2.0, 2.0]) == pytest.approx([2.0, 2.0, 2.0])


def test_the_suggestion_is_the_steepest_fall_before_the_minimum():
    rates = lr_schedule(1e-5, 1.0, 21)
    # flat, then a fall steepest at index 12, lowest at 15, then exploding
    loss = [2.0] * 10 + [1.9, 1.6, 1.0, 0.8, 0.7, 0.6, 0.9, 2.0, 5.0, 9.0, 20.0]
    suggested, minimum = suggest(rates, loss)
    assert minimum == rates[15]
    assert suggested == rates[11]  # the central difference is largest around index 11


def test_the_digits_cnn_suggestion_lies_within_the_decade_below_the_loss_minimum():
    project = load_project("examples/digits_cnn.json")
    config = TrainConfig.from_training(project.training).replace(device="cpu", batch_size=16)
    result = range_test(project, config, steps=60, start_lr=1e-5, end_lr=10.0)
    assert len(result.lrs) == len(result.losses) >= 20
    assert result.lrs == sorted(result.lrs)
    assert min(result.smoothed) < result.smoothed[0]  # it learned at some rate
    assert result.minimum_lr / 10 <= result.suggested_lr <= result.minimum_lr
    assert project.training["lr"] == 0.002  # the project is untouched


def test_an_exploding_loss_ends_the_test_early():
    config = TrainConfig(dataset="blobs", device="cpu", optimizer="sgd")
    result = range_test(mlp(), config, steps=100, start_lr=1e-3, end_lr=1e6)
    assert len(result.lrs) < 100


def test_a_network_that_does_not_fit_the_data_is_one_line():
    config = TrainConfig(dataset="digits", device="cpu")
    with pytest.raises(RunFailed) as failed:
        range_test(mlp(features=2), config, steps=5)
    assert "\n" not in str(failed.value)


def test_train_find_lr_reports_the_suggestion_as_json(tmp_path, capsys):
    path = tmp_path / "tiny.json"
    save_project(mlp(dataset="blobs", device="cpu"), path)
    assert main(["train", str(path), "--find-lr", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("suggested learning rate: ")
    report = json.loads(lines[-1])
    assert report["suggested_lr"] > 0 and len(report["lrs"]) == len(report["losses"])
    assert not (tmp_path / "best.pt").exists()  # nothing was trained
