"""Train › Run on N Processes… and File › Export Cluster Job…, answered through the window's
dialogs: the run goes to torchrun (2 CPU processes, gloo) and its epochs reach the dashboard;
the cluster job is written as files a cluster takes."""

import subprocess

from PySide6.QtCore import Qt

from graph import load_project, save_project
from tests.gui.window_helpers import ScriptedDialogs, copy_example, isolate, make_window


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


def test_run_on_two_processes_relays_the_epochs_into_the_dashboard(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    path = copy_example(tmp_path, "blobs.json")
    project = load_project(path)
    project.set_training({**project.training, "device": "cpu", "epochs": 2, "threads": 1})
    save_project(project, path)
    window = make_window(qtbot, Answers([2]))
    assert window.files.open_path(path)
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
