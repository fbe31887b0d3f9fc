"""Training › Start from Weights… driven like a person: the menu opens a real file dialog, the
path is typed into it, Start trains from that file, and what does not fit shows in the log."""

from __future__ import annotations

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit

from graph import save_project
from tests.gui.window_helpers import ScriptedDialogs, isolate, make_window
from tests.importer.roundtrip import export_module
from tests.runtime.conftest import mlp

RUN_TIMEOUT_MS = 60_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def open_tiny_project(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    project = mlp(dataset="blobs", epochs=1, device="cpu")
    path = tmp_path / "tiny.json"
    save_project(project, path)
    window = make_window(qtbot, ScriptedDialogs())
    assert window.files.open_path(path, ask=False)
    return window


def choose_in_file_dialog(qtbot, window, path) -> None:
    """Training › Start from Weights…: the dialog opens in the project's folder; type the file's
    name and click Open."""
    window.act.start_weights.trigger()
    qtbot.waitUntil(lambda: window.findChild(QFileDialog, "startWeightsDialog") is not None)
    dialog = window.findChild(QFileDialog, "startWeightsDialog")
    qtbot.waitExposed(dialog)
    assert dialog.directory().absolutePath() == str(path.parent)
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    qtbot.keyClicks(name, path.name)
    buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
    open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_start_from_weights_loads_the_file_and_lists_a_new_head_in_the_log(
    qtbot, monkeypatch, tmp_path
):
    window = open_tiny_project(qtbot, monkeypatch, tmp_path)
    _, other = export_module(mlp(classes=5))
    weights = tmp_path / "pretrained.pt"
    torch.save(other.state_dict(), weights)
    choose_in_file_dialog(qtbot, window, weights)
    panel = window.training_panel
    assert panel.start_weights.path == weights
    assert panel.start_weights.label.text() == "Starts from pretrained.pt"
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status == "completed"
    log = panel.dashboard.log_text()
    assert "starting from the weights in pretrained.pt: 2 of the network's 4 tensors loaded" in log
    assert "Linear 'linear3' keeps its own weights: linear3.weight is [5, 16] in the file" in log


def test_strict_start_weights_that_do_not_fit_fail_the_run_in_one_line(
    qtbot, monkeypatch, tmp_path
):
    window = open_tiny_project(qtbot, monkeypatch, tmp_path)
    _, other = export_module(mlp(classes=5))
    weights = tmp_path / "pretrained.pt"
    torch.save(other.state_dict(), weights)
    choose_in_file_dialog(qtbot, window, weights)
    panel = window.training_panel
    qtbot.mouseClick(panel.start_weights.strict, Qt.MouseButton.LeftButton)
    assert panel.start_weights.strict.isChecked()
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].status == "failed"
    text = panel.error_label.text()
    assert text.startswith(f"{weights} does not fit this drawing exactly: Linear 'linear3'")
    assert "\n" not in text


def test_a_file_that_is_no_weights_file_is_refused_when_chosen(qtbot, monkeypatch, tmp_path):
    window = open_tiny_project(qtbot, monkeypatch, tmp_path)
    notes = tmp_path / "notes.pt"
    notes.write_text("not a tensor file", encoding="utf-8")
    choose_in_file_dialog(qtbot, window, notes)
    panel = window.training_panel
    assert panel.start_weights.path is None
    assert panel.error_label.text().startswith(
        f"Cannot start from these weights: {notes}: not a weights file torch can load safely"
    )
    assert panel.start_weights.label.text() == "Random initial weights"
    QApplication.processEvents()


def test_opening_another_project_forgets_the_chosen_weights(qtbot, monkeypatch, tmp_path):
    window = open_tiny_project(qtbot, monkeypatch, tmp_path)
    _, module = export_module(mlp())
    weights = tmp_path / "w.pt"
    torch.save(module.state_dict(), weights)
    choose_in_file_dialog(qtbot, window, weights)
    panel = window.training_panel
    assert panel.start_weights.path == weights
    qtbot.mouseClick(panel.start_weights.clear_button, Qt.MouseButton.LeftButton)
    assert panel.start_weights.path is None
    choose_in_file_dialog(qtbot, window, weights)
    window.files.new()
    assert panel.start_weights.path is None
