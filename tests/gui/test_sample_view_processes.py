"""A run on several processes (torchrun) serves no sample itself: the Sample dock runs the
drawing's network with the weights the run saves after every epoch (its state.pt), updated
after each epoch, and says which epoch they are from."""

import os
import signal

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from graph import load_project, save_project
from recipe.config import TrainConfig
from runtime.checkpoints import load_weights
from runtime.datasets import prepare_data
from runtime.network import build_network
from tests.gui.test_sample_view import small_cnn
from tests.gui.test_training_processes import Answers
from tests.gui.window_helpers import isolate, make_window

RUN_TIMEOUT_MS = 180_000  # torchrun starts two processes that each import torch


def expected_probabilities(project, weights, index):
    """The oracle: the drawing's network with those weights, run by hand on sample `index`."""
    network = build_network(project, 0)
    network.module.load_state_dict(weights)
    network.module.eval()
    data = prepare_data(TrainConfig.from_training(project.training), network, project)
    with torch.no_grad():
        return torch.softmax(network.module(data.X_val[index : index + 1]), 1)[0].numpy()


def test_a_run_on_two_processes_shows_the_weights_it_saved_after_each_epoch(
    qtbot, monkeypatch, tmp_path
):
    isolate(monkeypatch, tmp_path)
    project = small_cnn(epochs=2)
    project.set_training({**project.training, "threads": 1, "batch_size": 2})
    path = tmp_path / "cnn.json"
    save_project(project, path)
    window = make_window(qtbot, Answers([2]))
    assert window.files.open_path(path, ask=False)
    window.show_sample_view()
    panel, samples = window.training.panel, window.training.panel.samples
    qtbot.waitUntil(lambda: samples.latest is not None, timeout=RUN_TIMEOUT_MS)
    qtbot.mouseClick(samples.view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: samples.latest.index == 1, timeout=RUN_TIMEOUT_MS)
    before = samples.latest
    assert before.weights == "initial"
    shown = []
    samples.shown.connect(shown.append)

    window.act.run_processes.trigger()  # Train › Run on N Processes…: 2
    assert panel.is_running() and panel.worker.processes == 2
    state = os.path.join(panel.worker.run_folder, "state.pt")
    # hold the whole process group once epoch 1 is saved, so that the test sees that save and
    # no later one (the group is a session of its own: its id is torchrun's process id)
    qtbot.waitUntil(lambda: os.path.exists(state), timeout=RUN_TIMEOUT_MS)
    group = panel.worker._trainer._process.pid
    os.killpg(group, signal.SIGSTOP)
    try:
        saved = load_weights(state)
        assert saved["epoch"] == 1  # caught before epoch 2 was saved
        qtbot.waitUntil(
            lambda: samples.latest.weights == "epoch" and samples.latest.step == 1,
            timeout=RUN_TIMEOUT_MS,
        )
        epoch_1 = samples.latest
        assert epoch_1.index == 1 and epoch_1.error == ""
        assert "weights saved after epoch 1" in samples.view.info.text()
        assert panel.is_running()  # shown during the run, not after it
        probabilities = epoch_1.nodes["out"].values
        assert np.allclose(probabilities, expected_probabilities(project, saved["model"], 1), 1e-5)
        assert not np.allclose(probabilities, before.nodes["out"].values, atol=1e-4)
        pixmap = samples.thumbs.pixmap_of("conv2d1")
        assert pixmap is not None and not pixmap.isNull()
    finally:
        os.killpg(group, signal.SIGCONT)

    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as done:
        pass
    assert done.args[0].status == "completed", done.args[0].message
    qtbot.waitUntil(lambda: samples.latest.weights == "final", timeout=RUN_TIMEOUT_MS)
    # the epochs in order, each save once (nothing shown twice for one save)
    epochs = [s.step for s in shown if s.weights == "epoch"]
    assert epochs[0] == 1 and epochs == sorted(set(epochs)) and set(epochs) <= {1, 2}
    final = load_weights(os.path.join(panel.last_finished.out_dir, "last.pt"))
    expected = expected_probabilities(load_project(path), final, 1)
    assert np.allclose(samples.latest.nodes["out"].values, expected, atol=1e-5)
    window.close()


pytestmark = pytest.mark.usefixtures("one_torch_thread")
