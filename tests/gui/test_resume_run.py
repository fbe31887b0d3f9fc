"""Resume a stopped run from the app, driven like a person: Start, Stop after the first epoch,
then the History tab's Resume (or Train › Resume Run…) goes on from the last whole epoch in the
same folder, the earlier epochs kept in the plots and the metrics; a run whose drawing changed
since, or that kept no resume state, is refused in one line."""

import json

import pytest
from PySide6.QtCore import Qt

from graph import save_project
from tests.gui.test_run_history_gui import _click_row, _click_tab
from tests.gui.test_training_processes import Answers
from tests.gui.window_helpers import isolate, make_window
from tests.runtime.conftest import mlp

RUN_TIMEOUT_MS = 60_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def epochs_shown(panel) -> int:
    return panel.dashboard.plots.curve_lengths().get("loss_epoch", 0)


def open_and_stop_after_epoch_1(qtbot, monkeypatch, tmp_path, epochs):
    """A saved tiny MLP on blobs (epochs of 800 batches of one sample: Stop lands well before
    the last), Start, then Stop as soon as the first epoch is in the plots."""
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "tiny.json"
    save_project(mlp(dataset="blobs", device="cpu", epochs=epochs, batch_size=1, lr=0.01), path)
    window = make_window(qtbot)
    assert window.files.open_path(path, ask=False)
    panel = window.show_training_panel()
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as done:
        click(qtbot, panel.start_button)
        qtbot.waitUntil(lambda: epochs_shown(panel) >= 1, timeout=RUN_TIMEOUT_MS)
        click(qtbot, panel.stop_button)
    stopped = done.args[0]
    assert stopped.status == "stopped", stopped.message
    return window, panel, stopped


def test_a_stopped_run_resumed_from_the_history_finishes_with_its_first_epochs_kept(
    qtbot, monkeypatch, tmp_path
):
    window, panel, _ = open_and_stop_after_epoch_1(qtbot, monkeypatch, tmp_path, 4)
    folder = panel.history.runs[0].path
    kept = (folder / "metrics.jsonl").read_text().splitlines()
    assert 1 <= len(kept) < 4  # (Stop comes within epoch 2 unless the machine is very busy)
    assert panel.history.table.item(0, 2).text() == "stopped"

    _click_tab(qtbot, panel.tabs, panel.history_page)
    _click_row(qtbot, panel.history.table, 0)
    assert panel.history.resume_button.isEnabled()
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as done:
        click(qtbot, panel.history.resume_button)
        assert panel.is_running() and not panel.history.resume_button.isEnabled()
    finished = done.args[0]
    assert finished.status == "completed", finished.message
    assert finished.epochs == 4 and finished.out_dir == str(folder)
    assert f"resuming after epoch {len(kept)}" in panel.dashboard.log_text()
    # the plots show every epoch: the kept ones, put back when the run started, and the new;
    # the stopped run's own curves gave way to it (no second copy to compare with)
    assert epochs_shown(panel) == 4 and len(panel.dashboard.plots.runs) == 1
    lines = (folder / "metrics.jsonl").read_text().splitlines()
    assert lines[: len(kept)] == kept
    assert [json.loads(line)["epoch"] for line in lines] == [1, 2, 3, 4]
    # one run in the history, now finished: nothing left to resume
    assert panel.history.table.rowCount() == 1
    assert panel.history.table.item(0, 2).text() == "completed"
    _click_row(qtbot, panel.history.table, 0)
    assert not panel.history.resume_button.isEnabled()
    window.close()


def test_resume_is_refused_when_the_drawing_changed_or_no_resume_state_was_kept(
    qtbot, monkeypatch, tmp_path
):
    window, panel, _ = open_and_stop_after_epoch_1(qtbot, monkeypatch, tmp_path, 200)
    history = panel.history
    # Train › Resume Run… opens the History tab with the stopped run chosen
    window.act.resume_run.trigger()
    assert panel.tabs.currentWidget() is panel.history_page
    assert history.selected_runs() == [history.runs[0]]
    assert history.note.text().startswith("Press Resume to continue")

    window.document.set_param("linear1", "out_features", 32)  # another network now
    click(qtbot, history.resume_button)
    assert not panel.is_running()
    name = history.runs[0].name
    assert panel.error_label.text() == (
        f"“{name}” trained another network: the drawing has changed since. Undo the changes "
        "to resume it, or start a new run."
    )
    window.document.undo_stack.undo()
    (history.runs[0].path / "state.pt").unlink()
    click(qtbot, history.resume_button)
    assert not panel.is_running()
    assert panel.error_label.text() == (
        f"“{name}” kept no resume state: it ended before its first epoch was complete."
    )
    assert history.note.text() == panel.error_label.text()
    window.close()


def test_a_run_on_two_processes_resumes_on_two_processes_from_the_history(
    qtbot, monkeypatch, tmp_path
):
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "tiny.json"
    training = dict(dataset="blobs", device="cpu", epochs=3, batch_size=1, lr=0.01, threads=1)
    save_project(mlp(**training), path)
    window = make_window(qtbot, Answers([2]))
    assert window.files.open_path(path, ask=False)
    panel = window.show_training_panel()
    with qtbot.waitSignal(panel.runFinished, timeout=180_000) as done:
        window.act.run_processes.trigger()
        qtbot.waitUntil(lambda: epochs_shown(panel) >= 1, timeout=180_000)
        click(qtbot, panel.stop_button)
    assert done.args[0].status == "stopped", done.args[0].message
    history = panel.history
    assert history.table.rowCount() == 1 and history.table.item(0, 2).text() == "stopped"
    folder = history.runs[0].path
    kept = (folder / "metrics.jsonl").read_text().splitlines()
    assert 1 <= len(kept) < 3

    _click_tab(qtbot, panel.tabs, panel.history_page)
    _click_row(qtbot, history.table, 0)
    with qtbot.waitSignal(panel.runFinished, timeout=180_000) as done:
        click(qtbot, history.resume_button)
    finished = done.args[0]
    assert finished.status == "completed", finished.message
    assert "trained 3 epochs on 2 processes" in finished.message
    assert f"resuming after epoch {len(kept)}" in panel.dashboard.log_text()
    assert epochs_shown(panel) == 3
    lines = (folder / "metrics.jsonl").read_text().splitlines()
    assert lines[: len(kept)] == kept and len(lines) == 3
    assert history.table.rowCount() == 1 and history.table.item(0, 2).text() == "completed"
    window.close()
