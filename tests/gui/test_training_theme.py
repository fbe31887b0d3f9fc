"""Plots, the dataset preview, the results and the log follow the light and dark themes."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from gui.theme import DARK, LIGHT, apply_theme
from gui.training.dashboard import TrainingDashboard
from gui.training.preview import DatasetPreview
from gui.training.results import ResultsView


def _background(widget) -> str:
    return widget.backgroundBrush().color().name()


def test_plots_preview_and_results_turn_dark_and_back(qtbot):
    app = QApplication.instance()
    dashboard, preview, results = TrainingDashboard(), DatasetPreview(), ResultsView()
    for widget in (dashboard, preview, results):
        qtbot.addWidget(widget)
    views = (dashboard.plots.view, preview.view, results.regression)
    images = np.random.default_rng(0).random((10, 1, 8, 8))
    preview.show_samples(images, np.arange(10), "digits", "classification")
    try:
        apply_theme(app, "dark")
        dark_base = QApplication.palette().color(QPalette.ColorRole.Base).name()
        assert QColor(dark_base).lightness() < 80
        qtbot.waitUntil(lambda: all(_background(v) == dark_base for v in views))
        axis_text = dashboard.plots.loss_plot.getAxis("left").textPen().color()
        assert axis_text.lightness() > 150  # light text on the dark plot
    finally:
        apply_theme(app, "light")
    light_base = QApplication.palette().color(QPalette.ColorRole.Base).name()
    qtbot.waitUntil(lambda: all(_background(v) == light_base for v in views))
    assert DARK.name == "dark" and LIGHT.name == "light"


def test_info_lines_in_the_log_take_the_log_text_colour(qtbot):
    dashboard = TrainingDashboard()
    qtbot.addWidget(dashboard)
    dashboard.log("info", "epoch 1 · train loss 0.5")
    dashboard.log("error", "it failed")
    html = dashboard.log_view.document().toHtml()
    assert "#333333" not in html  # a fixed dark grey was unreadable on the dark theme
    assert "#e0443e" in html.lower()
