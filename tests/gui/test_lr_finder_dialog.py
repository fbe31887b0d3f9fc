"""Train › Find Learning Rate: the range test runs off the GUI thread, draws loss against lr,
and one click applies the suggestion as an undoable change of the training settings."""

import pytest
from PySide6.QtCore import Qt

from graph import save_project
from tests.gui.window_helpers import isolate, make_window
from tests.runtime.conftest import mlp

TIMEOUT_MS = 60_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_the_suggested_lr_is_applied_with_one_click_and_undone_with_one_step(
    qtbot, monkeypatch, tmp_path
):
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "tiny.json"
    save_project(mlp(dataset="blobs", device="cpu", lr=0.5), path)
    window = make_window(qtbot)
    assert window.files.open_path(path, ask=False)
    window.act.find_lr.trigger()
    dialog = window.training_panel.lr_finder
    assert dialog.isVisible() and dialog.is_running()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=TIMEOUT_MS)
    result = dialog.result
    assert result is not None and result.suggested_lr is not None, dialog.status.text()
    xs, ys = dialog.curve.getData()
    assert len(xs) == len(result.lrs) and len(ys) == len(result.smoothed)
    assert dialog.marker.isVisible()
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    applied = float(f"{result.suggested_lr:.3g}")
    assert window.document.project.training["lr"] == applied
    assert window.training_panel.form.values()["lr"] == applied
    window.document.undo_stack.undo()
    assert window.document.project.training["lr"] == 0.5
    dialog.close()
