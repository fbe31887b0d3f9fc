"""Evaluation after a run: per-class figures, top-k, the most confident mistakes (as PNG when
samples are images), regression residuals; saved as evaluation.json and printed by `train`."""

import json

import numpy as np
import pytest
import torch
from PIL import Image
from sklearn.metrics import precision_recall_fscore_support

from graph import save_project
from main import main
from recipe.config import TrainConfig
from runtime.evaluation import evaluate_classification, evaluate_regression, read_evaluation
from runtime.trainer import Trainer
from tests.runtime.conftest import chain


def digits_mlp(**training):
    layers = [("Linear", {"out_features": 16}), ("ReLU", {}), ("Linear", {"out_features": 10})]
    return chain("Digits MLP", [64], layers, **training)


def test_per_class_figures_agree_with_scikit_learn():
    g = torch.Generator().manual_seed(0)
    outputs = torch.randn(200, 4, generator=g)
    targets = torch.randint(0, 4, (200,), generator=g)
    report = evaluate_classification(outputs, targets, ["a", "b", "c", "d"])
    predicted = outputs.argmax(1).numpy()
    p, r, f, s = precision_recall_fscore_support(targets.numpy(), predicted, zero_division=0)
    rows = report["classes"]
    assert [row["name"] for row in rows] == ["a", "b", "c", "d"]
    assert np.allclose([row["precision"] for row in rows], p)
    assert np.allclose([row["recall"] for row in rows], r)
    assert np.allclose([row["f1"] for row in rows], f)
    assert [row["support"] for row in rows] == list(s)
    assert report["accuracy"] == pytest.approx(float((predicted == targets.numpy()).mean()))


def test_top_k_counts_a_hit_among_the_k_best_scores_and_grows_with_k():
    outputs = torch.tensor([[3.0, 2.0, 1.0, 0.0, -1.0, -2.0]] * 4)
    targets = torch.tensor([0, 1, 2, 5])  # ranks 1, 2, 3 and 6
    top = evaluate_classification(outputs, targets, None)["top_k"]
    assert top == {"1": 0.25, "3": 0.75, "5": 0.75}


def test_mistakes_are_listed_most_confident_first_with_true_and_predicted_labels():
    outputs = torch.tensor([[0.0, 5.0], [0.0, 1.0], [2.0, 0.0], [0.0, 3.0]])
    targets = torch.tensor([0, 0, 0, 1])
    mistakes = evaluate_classification(outputs, targets, ["cat", "dog"])["misclassified"]
    assert [m["index"] for m in mistakes] == [0, 1]
    assert mistakes[0]["true_name"] == "cat" and mistakes[0]["predicted_name"] == "dog"
    assert mistakes[0]["confidence"] == pytest.approx(torch.softmax(outputs[0], 0)[1].item())
    assert mistakes[0]["confidence"] > mistakes[1]["confidence"]


def test_regression_reports_residuals_and_predictions_against_truth():
    truth = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    predicted = torch.tensor([[1.5], [2.0], [2.0], [4.0]])
    report = evaluate_regression(predicted, truth)
    assert report["rmse"] == pytest.approx(np.sqrt((0.25 + 1.0) / 4))
    assert report["mae"] == pytest.approx(1.5 / 4)
    assert report["residuals"]["max_abs"] == pytest.approx(1.0)
    assert report["worst"][0]["index"] == 2
    assert report["points"][0] == [1.0, 1.5]


def test_a_digits_run_saves_its_evaluation_and_the_mistakes_as_images(tmp_path):
    project = digits_mlp()
    config = TrainConfig(dataset="digits", epochs=1, lr=0.01, device="cpu", out_dir=str(tmp_path))
    finished = Trainer(project, config, lambda e: None).run()
    assert finished.status == "completed", finished.message
    saved = read_evaluation(tmp_path)
    assert saved == json.loads(json.dumps(finished.evaluation))
    assert saved["samples"] == sum(row["support"] for row in saved["classes"]) == 359
    assert [row["name"] for row in saved["classes"]] == [str(d) for d in range(10)]
    assert saved["top_k"]["1"] == pytest.approx(finished.val_accuracy)
    assert saved["top_k"]["1"] <= saved["top_k"]["3"] <= saved["top_k"]["5"]
    mistakes = saved["misclassified"]
    assert mistakes, "one epoch of a tiny MLP makes mistakes"
    for m in mistakes:
        assert m["true"] != m["predicted"]
        with Image.open(tmp_path / m["image"]) as image:
            assert image.size == (64, 64)  # an 8×8 digit, enlarged


def test_a_regression_run_saves_every_prediction_with_its_residual(tmp_path):
    layers = [("Flatten", {}), ("Linear", {"out_features": 10})]
    project = chain("Sin to cos", [10, 1], layers)
    config = TrainConfig(dataset="sincos", epochs=1, device="cpu", out_dir=str(tmp_path))
    finished = Trainer(project, config, lambda e: None).run()
    assert finished.status == "completed", finished.message
    saved = read_evaluation(tmp_path)
    assert saved["task"] == "regression" and saved["values_per_sample"] == 10
    rows = (tmp_path / "predictions.csv").read_text().splitlines()
    assert rows[0] == "index,value,truth,prediction,residual"
    assert len(rows) == 1 + saved["samples"] * 10
    index, value, truth, prediction, residual = map(float, rows[1].split(","))
    assert (index, value) == (0, 0)
    assert residual == pytest.approx(prediction - truth, abs=1e-5)


def test_train_prints_the_evaluation_and_json_carries_it(tmp_path, capsys):
    path = tmp_path / "digits.json"
    save_project(digits_mlp(dataset="digits", epochs=1, lr=0.01, device="cpu"), path)
    out = tmp_path / "run"
    assert main(["train", str(path), "--json", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("evaluation on 359 validation samples: accuracy") for line in lines)
    assert any(line.startswith("most confident mistakes: #") for line in lines)
    summary = json.loads(lines[-1])
    assert summary["evaluation"]["classes"][0]["name"] == "0"
    assert summary["evaluation"] == read_evaluation(out)
