"""The training panel inside the window: opening it leaves the window's layout alone, its
controls stay in view, another project resets it, and a failed run shows in Problems."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from gui.problems_panel import NODE_ROLE
from tests.gui.window_helpers import EXAMPLES, copy_example, isolate, make_window

RUN_TIMEOUT_MS = 60_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _settled(sizes, qtbot) -> list:
    """The sizes once the window's layout has come to rest (a busy machine lays out late)."""
    now = [size() for size in sizes]
    for _ in range(50):
        qtbot.wait(100)
        later = [size() for size in sizes]
        if later == now:
            return now
        now = later
    return now


def _open_training_tab(qtbot, window):
    tabs = window.bottom_tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    return window.training_panel


def test_opening_the_training_tab_keeps_the_docks_and_start_stays_put(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.resize(1280, 720)
    docks = (window.palette_dock, window.inspector_dock, window.bottom_dock)
    before = _settled([d.size for d in docks], qtbot)
    panel = _open_training_tab(qtbot, window)
    start = panel.start_button.mapTo(window, QPoint(0, 0))
    qtbot.wait(1500)  # the delayed re-layout came a second or two after opening
    assert _settled([d.size for d in docks], qtbot) == before
    assert panel.start_button.mapTo(window, QPoint(0, 0)) == start
    # The controls are not inside the scrolling settings column.
    scroll = panel.settings_scroll
    for control in (panel.start_button, panel.pause_button, panel.stop_button, panel.banner):
        assert not scroll.isAncestorOf(control)


def test_opening_another_project_resets_the_last_run(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_example(EXAMPLES / "blobs.json", ask=False)
    panel = _open_training_tab(qtbot, window)
    training = window.document.project.training
    window.document.set_training({**training, "epochs": 1, "device": "cpu"})
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS):
        assert panel.start()
    assert panel.dashboard.status_label.text() == "Finished"
    assert panel.weights.save_button.isEnabled()
    assert panel.dashboard.plots.runs

    window.files.open_path(copy_example(tmp_path), ask=False)
    assert panel.dashboard.plots.runs == []
    assert panel.dashboard.status_label.text() == "No run yet."
    assert not panel.weights.save_button.isEnabled()
    assert panel.last_finished is None


def test_a_failed_run_is_listed_in_problems_on_its_node_and_selects_it(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_example(EXAMPLES / "digits_cnn.json", ask=False)
    document = window.document
    document.set_training({**document.project.training, "device": "cpu", "epochs": 1})
    document.set_param("fc1", "out_features", 2**36)  # valid shapes, no memory for it
    panel = _open_training_tab(qtbot, window)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        panel.start()
    assert finished.args[0].status == "failed"
    assert window.selected_node_ids() == ["fc1"]
    problems = window.problems
    rows = [problems.topLevelItem(i) for i in range(problems.topLevelItemCount())]
    failed = [r for r in rows if r.text(1).startswith("Training failed")]
    assert len(failed) == 1 and failed[0].data(0, NODE_ROLE) == "fc1"
    window.select_nodes([])
    window.show_problems()
    row = problems.visualItemRect(failed[0]).center()
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert window.selected_node_ids() == ["fc1"]
    document.undo_stack.undo()
    with qtbot.waitSignal(panel.runStarted, timeout=RUN_TIMEOUT_MS):
        panel.start()
    assert not any(
        problems.topLevelItem(i).text(1).startswith("Training failed")
        for i in range(problems.topLevelItemCount())
    )
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS):
        panel.stop()


def test_the_sincos_preview_has_the_input_s_sequence_length(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_example(EXAMPLES / "sincos_rnn.json", ask=False)  # Input [20, 1]
    panel = _open_training_tab(qtbot, window)
    caption = panel.preview.caption
    qtbot.waitUntil(lambda: "samples of shape" in caption.text(), timeout=RUN_TIMEOUT_MS)
    assert "[20, 1]" in caption.text()
    window.document.set_param("x", "shape", [30, 1])  # the preview follows the Input
    qtbot.waitUntil(lambda: "[30, 1]" in caption.text(), timeout=RUN_TIMEOUT_MS)
