"""`train --nproc N`: the exported model and script under torchrun (gloo on this CPU), its
metrics read back while it runs, Stop ending the whole process group, and the cluster job."""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import torch

from graph import load_project, save_project
from main import main
from recipe.config import TrainConfig
from runtime.events import EpochMetrics, RunFinished, RunStarted
from runtime.process_group import ProcessGroupRun, write_cluster_job
from tests.runtime.conftest import mlp

ROOT = Path(__file__).resolve().parents[2]


def summary(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_two_processes_reach_the_accuracy_of_one_and_resume_where_they_stopped(tmp_path, capsys):
    project = load_project(ROOT / "examples" / "digits_cnn.json")
    project.set_training({**project.training, "device": "cpu", "epochs": 6, "threads": 1})
    path = tmp_path / "digits.json"
    save_project(project, path)
    assert main(["train", str(path), "--out", str(tmp_path / "one"), "--json"]) == 0
    one = summary(capsys.readouterr().out)
    code = main(["train", str(path), "--nproc", "2", "--out", str(tmp_path / "two"), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    two = summary(out)
    assert one["val_accuracy"] > 0.9 and two["epochs"] == 6
    # each process trains on half of every epoch (DistributedDataParallel averages their
    # gradients): half the optimizer steps, nearly the same accuracy
    assert two["val_accuracy"] == pytest.approx(one["val_accuracy"], abs=0.04)
    assert [line.split(",")[0] for line in out.splitlines() if line.startswith("epoch")] == [
        f"epoch {n}" for n in range(1, 7)
    ]
    run = tmp_path / "two"
    assert {"model.py", "train.py", "metrics.jsonl", "best.pt", "torchrun.log"} <= {
        p.name for p in run.iterdir()
    }
    assert "2 processes" in (run / "torchrun.log").read_text()

    # Ctrl-C on a two-process run as soon as it has saved an epoch, then --resume: the
    # epochs after it are the unbroken run's (adam's moments, the weights and the shuffled
    # order loaded by every process; the rate is constant, so --epochs only says where to end)
    broken = tmp_path / "broken"
    ended = threading.Event()
    watcher = threading.Thread(target=interrupt_once_saved, args=(broken / "state.pt", ended))
    watcher.start()
    try:
        code = main(["train", str(path), "--nproc", "2", "--epochs", "1000", "--out", str(broken)])
    finally:
        ended.set()
        watcher.join()
    assert code == 130, capsys.readouterr().out
    capsys.readouterr()
    saved = torch.load(broken / "state.pt", weights_only=True)["epoch"]
    assert 1 <= saved < 6
    code = main(["train", str(path), "--nproc", "2", "--resume", str(broken), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"resuming after epoch {saved}" in out and summary(out)["epochs"] == 6
    assert [line.split(",")[0] for line in out.splitlines() if line.startswith("epoch")] == [
        f"epoch {n}" for n in range(saved + 1, 7)
    ]
    assert torch.load(broken / "state.pt", weights_only=True)["epoch"] == 6
    again, unbroken = epochs_of(broken), epochs_of(run)
    assert [r["epoch"] for r in again] == [r["epoch"] for r in unbroken] == list(range(1, 7))
    for resumed, first in zip(again[saved:], unbroken[saved:], strict=True):
        assert (resumed["train_loss"], resumed["val_loss"]) == pytest.approx(
            (first["train_loss"], first["val_loss"]), rel=1e-5
        )


def interrupt_once_saved(state: Path, ended: threading.Event) -> None:
    """SIGINT to this process (the CLI's Ctrl-C) once `state` exists, unless the run ended."""
    while not state.exists():
        if ended.wait(0.05):
            return
    os.kill(os.getpid(), signal.SIGINT)


def epochs_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]


def test_stop_ends_the_whole_process_group(tmp_path):
    events = []
    config = TrainConfig(dataset="blobs", device="cpu", epochs=10_000, out_dir=str(tmp_path))
    run = ProcessGroupRun(mlp(), config, 2, events.append)
    done = []
    thread = threading.Thread(target=lambda: done.append(run.run()))
    thread.start()
    try:
        for _ in range(1200):  # the first epoch within two minutes, on a busy machine
            if any(isinstance(e, EpochMetrics) for e in events) or done:
                break
            threading.Event().wait(0.1)
    finally:
        run.stop()
        thread.join(60)
    assert not thread.is_alive()
    (finished,) = done
    assert finished.status == "stopped" and finished.epochs >= 1
    assert isinstance(events[0], RunStarted) and events[0].train_samples == 800
    assert isinstance(events[-1], RunFinished)
    with pytest.raises(ProcessLookupError):  # no process of the group is left
        os.killpg(run._process.pid, 0)


def cli_train(path: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "main.py"), "train", str(path), *options, "--json"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_a_two_process_run_refuses_a_folder_it_cannot_resume_before_starting(tmp_path):
    path = tmp_path / "net.json"
    save_project(mlp(dataset="blobs", device="cpu"), path)
    done = cli_train(path, "--nproc", "2", "--resume", str(tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        done.stderr.strip()
        == f"error: cannot resume: {tmp_path} holds no state.pt from an earlier run"
    )
    assert not (tmp_path / "torchrun.log").exists()


def test_a_cluster_job_holds_a_torchrun_for_several_nodes_and_a_slurm_script(tmp_path):
    project = mlp()
    project.set_name('my "net"; rm -rf /')
    config = TrainConfig(dataset="blobs", device="cuda")
    files = write_cluster_job(project, config, tmp_path, 4, 8)
    assert [f.name for f in files] == ["model.py", "train.py", "torchrun.sh", "job.sbatch"]
    sbatch = (tmp_path / "job.sbatch").read_text()
    assert "#SBATCH --nodes=4" in sbatch and "#SBATCH --job-name=my_net_rm_-rf" in sbatch
    assert "--rdzv-backend=c10d" in sbatch and '--rdzv-endpoint="$head_node:29500"' in sbatch
    assert "--nproc_per_node=8" in sbatch and "rm -rf /" not in sbatch
    assert "#SBATCH --gpus-per-node=8" in sbatch
    for name in ("job.sbatch", "torchrun.sh"):  # both are valid shell
        subprocess.run(["bash", "-n", str(tmp_path / name)], check=True)
    torchrun = (tmp_path / "torchrun.sh").read_text()
    assert "--nnodes=4" in torchrun and "--rdzv-endpoint=" in torchrun
