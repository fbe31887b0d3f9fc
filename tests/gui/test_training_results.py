"""After a run: the confusion matrix, predictions against truth, the dataset preview, and
exporting the model's code with its trained weights."""

import importlib.util
import math

import numpy as np
import pytest
import torch

from graph import UNSET, load_project
from gui.training.preview import DatasetPreview, mosaic, pick_examples
from gui.training.results import ResultsView, confusion_matrix, summarise
from gui.training.weights import ExportError, export_code_with_weights, save_weights
from runtime.events import RunFinished


@pytest.fixture
def results(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    return view


def finished(**kw):
    return RunFinished("completed", "done", epochs=3, val_loss=0.1, val_accuracy=0.9, **kw)


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    counts = confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 2, 0]), 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_classification_results_show_a_named_confusion_matrix(results):
    targets, predictions = np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2])
    results.show_results(finished(), "classification", (targets, predictions), ["a", "b", "c"])
    assert results.stack.currentWidget() is results.matrix
    assert results.matrix.item(1, 2).text() == "1"
    assert results.matrix.item(1, 1).text() == "1"
    assert results.matrix.horizontalHeaderItem(2).text() == "c"
    assert "validation accuracy 90.00%" in results.summary.text()


def test_sequence_regression_results_draw_one_sample_curve_and_a_scatter(results):
    t = np.linspace(0, math.pi, 20)
    targets = np.stack([np.cos(t + s) for s in range(5)])
    predictions = targets + 0.05
    results.show_results(finished(), "regression", (targets, predictions))
    assert results.stack.currentWidget() is results.regression
    _, y = results.sample_truth.getData()
    assert np.allclose(y, targets[0])
    assert len(results.scatter.data) == targets.size


def test_a_failed_run_summary_says_so():
    text = summarise(RunFinished("failed", "NaN loss", epochs=1, train_loss=float("nan")))
    assert text.startswith("failed after 1 epoch(s)")


def test_preview_picks_one_sample_per_class_first():
    y = np.array([3, 3, 1, 1, 0, 2])
    picks = pick_examples(y, 5)
    assert sorted(y[picks[:4]].tolist()) == [0, 1, 2, 3]
    assert len(picks) == 5


def test_mosaic_tiles_images_with_a_gap():
    tiles = mosaic(np.ones((3, 2, 2)), columns=2)
    assert tiles.shape == (5, 5)
    assert np.isnan(tiles[2]).all()  # the gap row between the two rows of tiles


@pytest.mark.parametrize(
    ("x", "y", "kind"),
    [
        (np.random.rand(30, 1, 8, 8), np.arange(30) % 10, "images"),
        (np.random.rand(30, 2), np.arange(30) % 2, "points"),
        (np.random.rand(30, 20, 1), np.random.rand(30, 20, 1), "sequences"),
    ],
)
def test_preview_draws_images_points_or_sequences(qtbot, x, y, kind):
    preview = DatasetPreview()
    qtbot.addWidget(preview)
    preview.show_samples(x, y, "data", "classification", total=1797)
    assert preview.kind == kind
    assert "1,797 samples of shape" in preview.caption.text()


def test_export_writes_code_and_weights_that_load_into_it(tmp_path):
    project = load_project("examples/lenet5.json")
    project.set_param("fc1", "in_features", UNSET)  # let it be inferred: a valid network
    from codegen import generate_model

    model_source = generate_model(project).source
    spec_path = tmp_path / "gen.py"
    spec_path.write_text(model_source)
    module = _import(spec_path)
    net = getattr(module, generate_model(project).class_name)()
    checkpoint = tmp_path / "best.pt"
    torch.save(net.state_dict(), checkpoint)

    written = export_code_with_weights(project, str(checkpoint), tmp_path / "out")
    names = sorted(p.name for p in written)
    assert "model.py" in names and "weights.pt" in names
    exported = _import(tmp_path / "out" / "model.py")
    fresh = getattr(exported, generate_model(project).class_name)()
    fresh.load_state_dict(torch.load(tmp_path / "out" / "weights.pt", weights_only=True))
    for a, b in zip(fresh.state_dict().values(), net.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_saving_weights_of_a_run_without_a_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match="no weights"):
        save_weights(None, tmp_path / "w.pt")


def _import(path):
    spec = importlib.util.spec_from_file_location(path.stem + "_mod", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
