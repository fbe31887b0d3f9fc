"""Train › Run on N Processes… and File › Export Cluster Job…, answered through the window's
dialogs: the run goes to torchrun (2 CPU processes, gloo) and its epochs reach the dashboard,
starting from the weights chosen with Start from Weights; the cluster job is written as files a
cluster takes."""

import subprocess

import torch
from PySide6.QtCore import Qt

from graph import save_project
from tests.gui.test_start_from_weights import choose_in_file_dialog
from tests.gui.window_helpers import ScriptedDialogs, copy_example, isolate, make_window
from tests.importer.roundtrip import export_module
from tests.runtime.conftest import mlp


class Answers(ScriptedDialogs):
    def __init__(self, numbers, folder=None):
        super().__init__()
        self.numbers = list(numbers)
        self.folder = folder

    def number(self, parent, title, label, value, low, high):
        self.asked.append(f"number:{label}")
        return self.numbers.pop(0)

    def folder_path(self, parent, title, folder):
        self.asked.append("folder")
        return self.folder


def test_export_cluster_job_writes_torchrun_and_slurm_files(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    out = tmp_path / "job"
    out.mkdir()
    window = make_window(qtbot, Answers([3, 4], out))
    assert window.files.open_path(copy_example(tmp_path, "blobs.json"))
    window.act.export_cluster.trigger()
    assert window.files.dialogs.errors == []
    names = {p.name for p in out.iterdir()}
    assert {"model.py", "train.py", "torchrun.sh", "job.sbatch"} <= names
    sbatch = (out / "job.sbatch").read_text()
    assert "#SBATCH --nodes=3" in sbatch and "--nproc_per_node=4" in sbatch
    subprocess.run(["bash", "-n", str(out / "job.sbatch")], check=True)


def open_frozen_mlp(qtbot, monkeypatch, tmp_path, answers, epochs=1):
    """A saved tiny MLP on blobs whose first Linear is frozen."""
    isolate(monkeypatch, tmp_path)
    project = mlp(dataset="blobs", device="cpu", epochs=epochs, threads=1)
    project.set_frozen("linear1", True)
    path = tmp_path / "tiny.json"
    save_project(project, path)
    window = make_window(qtbot, answers)
    assert window.files.open_path(path, ask=False)
    return window


def five_class_weights(tmp_path):
    _, other = export_module(mlp(classes=5))
    state = {k: torch.randn_like(v) for k, v in other.state_dict().items()}
    weights = tmp_path / "pretrained.pt"
    torch.save(state, weights)
    return weights, state


def test_run_on_two_processes_starts_from_the_chosen_weights_and_relays_its_epochs(
    qtbot, monkeypatch, tmp_path
):
    window = open_frozen_mlp(qtbot, monkeypatch, tmp_path, Answers([2]), epochs=2)
    weights, state = five_class_weights(tmp_path)
    choose_in_file_dialog(qtbot, window, weights)
    panel = window.show_training_panel()
    with qtbot.waitSignal(panel.runFinished, timeout=180_000) as done:
        window.act.run_processes.trigger()
        # the processes train in lockstep: the panel offers no Pause it cannot keep
        assert panel.is_running() and not panel.pause_button.isEnabled()
        assert "cannot pause" in panel.pause_button.toolTip()
        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
        assert panel.pause_button.text() == "Pause"
    finished = done.args[0]
    assert finished.status == "completed", finished.message
    assert finished.epochs == 2 and "2 processes" in finished.message
    assert panel.dashboard.plots.curve_lengths().get("loss_epoch", 0) == 2
    log = panel.dashboard.log_text()
    assert "starting from the weights in pretrained.pt: 2 of the network's 4 tensors loaded" in log
    assert "WARNING: Linear 'linear3' keeps its own weights: linear3.weight is [5, 16]" in log
    # both processes trained from the file: the frozen layer is still the file's
    last = torch.load(f"{finished.out_dir}/last.pt", weights_only=True)
    assert torch.equal(last["linear1.weight"], state["linear1.weight"])


def test_strict_weights_that_do_not_fit_stop_a_group_before_it_starts(qtbot, monkeypatch, tmp_path):
    window = open_frozen_mlp(qtbot, monkeypatch, tmp_path, Answers([2]))
    weights, _ = five_class_weights(tmp_path)
    choose_in_file_dialog(qtbot, window, weights)
    panel = window.show_training_panel()
    qtbot.mouseClick(panel.start_weights.strict, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.runFinished, timeout=60_000) as done:
        window.act.run_processes.trigger()
    assert done.args[0].status == "failed"
    text = panel.error_label.text()
    assert text.startswith(f"{weights} does not fit this drawing exactly: Linear 'linear3'")
    assert "\n" not in text and "torchrun" not in text
