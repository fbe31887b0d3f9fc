"""The Results tab shows a finished run's evaluation: per-class figures, top-k accuracy and the
gallery of the most confident mistakes, read from the run folder's images."""

import pytest
from PySide6.QtCore import Qt

from gui.document import Document
from gui.training.evaluation_view import EvaluationView
from gui.training.panel import TrainingPanel
from tests.runtime.conftest import chain

RUN_TIMEOUT_MS = 60_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def digits_mlp():
    layers = [("Linear", {"out_features": 16}), ("ReLU", {}), ("Linear", {"out_features": 10})]
    training = {"dataset": "digits", "epochs": 1, "lr": 0.01, "device": "cpu"}
    return chain("Digits MLP", [64], layers, **training)


def test_a_finished_run_shows_its_evaluation_in_the_results_tab(qtbot):
    panel = TrainingPanel(Document(digits_mlp()))
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as done:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert done.args[0].status == "completed", done.args[0].message
    bar = panel.tabs.tabBar()
    results_tab = panel.tabs.indexOf(panel.results_page)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(results_tab).center())
    view = panel.results.evaluation
    assert view.table.isVisible() and view.table.rowCount() == 10
    assert view.table.item(3, 0).text() == "3"
    assert 0.0 <= float(view.table.item(3, 1).text()) <= 1.0
    assert "top-3" in view.headline.text()
    tiles = view.gallery_tiles()
    assert tiles and all(not tile.pixmap().isNull() for tile in tiles)
    panel.shutdown()


def test_a_regression_report_shows_its_figures_and_residuals(qtbot):
    view = EvaluationView()
    qtbot.addWidget(view)
    view.show()
    report = {
        "task": "regression",
        "samples": 3,
        "rmse": 0.5,
        "mae": 0.4,
        "r2": 0.9,
        "residuals": {"mean": 0.1, "std": 0.2, "max_abs": 0.7},
        "points": [[1.0, 1.5], [2.0, 1.8], [3.0, 3.0]],
    }
    view.show_report(report, None)
    assert "RMSE 0.5" in view.headline.text()
    assert view.residual_plots.isVisible() and not view.table.isVisible()
    x, y = view.residuals.getData()
    assert list(x) == [1.0, 2.0, 3.0] and list(y) == pytest.approx([0.5, -0.2, 0.0])
