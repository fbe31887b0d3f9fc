"""The window's run trains in a process of its own (runtime/run_process.py): Start, Pause and
Stop clicked in the panel reach it; a training process that dies ends the run with a clear
message and the window trains again; a project's trusted Code nodes train there too."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from graph import load_project
from gui.document import Document
from gui.training.panel import TrainingPanel
from runtime.code_runner import CodeShapes, CodeWorker

RUN_TIMEOUT_MS = 60_000  # the first run of a test process also starts the forkserver
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def make_panel(qtbot, project, **training):
    document = Document(project)
    document.set_training({**project.training, "device": "cpu", **training})
    panel = TrainingPanel(document)
    panel.resize(1200, 700)
    panel.show()
    qtbot.addWidget(panel)
    return panel


@pytest.fixture
def panel(qtbot):
    widget = make_panel(qtbot, load_project(EXAMPLES / "digits_cnn.json"), epochs=200)
    yield widget
    widget.shutdown()


def batch_points(panel):
    return panel.dashboard.plots.curve_lengths().get("loss_batch", 0)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_start_pause_resume_and_stop_clicked_in_the_window_drive_the_training_process(panel, qtbot):
    click(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    child = panel.worker._trainer.pid
    assert child is not None and child != os.getpid()
    with pytest.raises(AttributeError, match="no control call 'pasue'"):
        panel.worker.call("pasue")  # a typo fails here, in the editor's process, at once
    click(qtbot, panel.pause_button)
    qtbot.waitUntil(lambda: panel.dashboard.status_label.text() == "Paused", timeout=10_000)
    held = batch_points(panel)
    qtbot.wait(300)
    assert batch_points(panel) == held
    click(qtbot, panel.pause_button)  # Resume
    qtbot.waitUntil(lambda: batch_points(panel) > held, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        click(qtbot, panel.stop_button)
    assert finished.args[0].status == "stopped"
    assert "Stopped" in panel.dashboard.status_label.text()


def test_a_killed_training_process_ends_the_run_with_a_message_and_the_window_trains_again(
    panel, qtbot
):
    click(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        os.kill(panel.worker._trainer.pid, signal.SIGKILL)  # as the out-of-memory killer does
    result = finished.args[0]
    assert result.status == "failed"
    assert "the training process ended before the run did" in result.message
    assert "SIGKILL" in panel.error_label.text() and panel.error_label.isVisible()
    assert "the editor is unaffected" in panel.dashboard.log_text()
    assert not panel.document.read_only and panel.start_button.isEnabled()

    training = panel.document.project.training
    panel.document.set_training({**training, "epochs": 1})
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        click(qtbot, panel.start_button)
    assert finished.args[0].status == "completed"
    assert not panel.error_label.isVisible()
    assert panel.results.matrix.rowCount() == 10  # the predictions came back from the process


def test_a_project_with_trusted_code_nodes_trains_in_the_window(qtbot):
    project = load_project(EXAMPLES / "code" / "my_linear.json")
    worker = CodeWorker(time_limit=10.0)
    project.set_code_runner(CodeShapes(worker))
    panel = make_panel(qtbot, project, epochs=1)
    try:
        with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
            click(qtbot, panel.start_button)
    finally:
        panel.shutdown()
        worker.stop()
    assert finished.args[0].status == "completed", finished.args[0].message
