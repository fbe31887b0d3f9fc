"""Training from the panel with the real runtime Trainer on CPU: curves fill, pause and resume,
stop, failures shown on their node, and closing during a run. Small runs on the digits CNN."""

import gc

import pytest

from graph import load_project
from gui.document import Document
from gui.training.panel import TrainingPanel

RUN_TIMEOUT_MS = 60_000  # generous: the machine is shared; a healthy run takes a few seconds


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def panel(qtbot, tmp_path):
    project = load_project("examples/digits_cnn.json")
    document = Document(project)
    document.set_training({**project.training, "device": "cpu", "epochs": 200})
    widget = TrainingPanel(document)
    widget.resize(1200, 700)
    widget.show()
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def batch_points(panel):
    return panel.dashboard.plots.curve_lengths().get("loss_batch", 0)


def test_a_run_started_from_the_panel_draws_curves_and_stops(panel, qtbot):
    collecting_before = gc.isenabled()  # off for good once an editor window was built
    assert panel.start()
    assert panel.document.read_only
    assert not gc.isenabled()  # collection happens on the GUI thread during a run
    assert panel.banner.isVisible()
    assert not panel.form.isEnabled()
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    assert panel.dashboard.plots.curve_lengths()["loss_smooth"] == batch_points(panel)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        panel.stop()
    assert finished.args[0].status == "stopped"
    assert not panel.is_running()
    assert gc.isenabled() == collecting_before
    assert not panel.document.read_only
    assert not panel.banner.isVisible()
    assert panel.form.isEnabled() and panel.start_button.isEnabled()
    assert "Stopped" in panel.dashboard.status_label.text()


def test_pause_holds_the_run_and_resume_continues_it(panel, qtbot):
    panel.start()
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    panel.toggle_pause()
    qtbot.waitUntil(lambda: panel.dashboard.status_label.text() == "Paused", timeout=10_000)
    held = batch_points(panel)
    qtbot.wait(400)  # a running digits CNN makes dozens of batches in this time
    assert batch_points(panel) == held
    assert panel.pause_button.text() == "Resume"
    panel.toggle_pause()
    qtbot.waitUntil(lambda: batch_points(panel) > held, timeout=RUN_TIMEOUT_MS)
    assert panel.pause_button.text() == "Pause"
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS):
        panel.stop()


def test_stopping_a_paused_run_ends_it(panel, qtbot):
    panel.start()
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    panel.toggle_pause()
    qtbot.waitUntil(lambda: panel.dashboard.status_label.text() == "Paused", timeout=10_000)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        panel.stop()
    assert finished.args[0].status == "stopped"


def test_a_run_that_fails_at_a_node_says_so_marks_it_and_the_panel_still_works(panel, qtbot):
    document = panel.document
    document.set_param("fc1", "out_features", 2**36)  # valid shapes, but no memory for it
    with qtbot.waitSignal(panel.runFailedAtNode, timeout=RUN_TIMEOUT_MS) as failed:
        panel.start()
    assert failed.args == ["fc1"]
    assert panel.failed_node == "fc1"
    assert "fc1" in panel.error_label.text()
    assert panel.error_label.isVisible()
    assert "fc1" in panel.dashboard.log_text()
    assert not document.read_only

    document.undo_stack.undo()  # fix the drawing and train again: nothing was left broken
    training = document.project.training
    document.set_training({**training, "epochs": 1})
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        assert panel.start()
    assert finished.args[0].status == "completed"
    assert not panel.error_label.isVisible()
    assert panel.results.stack.currentWidget() is panel.results.matrix
    assert panel.results.matrix.rowCount() == 10
    assert panel.weights.save_button.isEnabled()


def test_a_diverging_run_reports_its_nan_loss(panel, qtbot):
    training = panel.document.project.training
    panel.document.set_training({**training, "optimizer": "sgd", "lr": 1e12, "epochs": 3})
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        panel.start()
    assert finished.args[0].status == "failed"
    assert "loss became" in panel.error_label.text()
    assert not panel.document.read_only


def test_closing_the_panel_during_a_run_stops_it_cleanly(panel, qtbot):
    panel.start()
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    worker = panel.worker
    panel.close()
    assert not worker.is_running()
    assert not panel.is_running()
    assert panel.last_finished.status == "stopped"
    assert not panel.document.read_only


def test_opening_another_project_during_a_run_stops_it(panel, qtbot):
    panel.start()
    qtbot.waitUntil(lambda: batch_points(panel) > 0, timeout=RUN_TIMEOUT_MS)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as finished:
        panel.document.replace_project(load_project("examples/blobs.json"))
    assert finished.args[0].status == "stopped"
    assert not panel.document.read_only
    assert panel.form.dataset.currentText() == "blobs"
