"""Speed settings of a run: mixed precision, loader workers, threads and torch.compile's
fallback, on the CPU this suite has (CUDA's fp16 GradScaler path needs a GPU: see
docs/benchmarks.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from graph import save_project
from recipe.loop import mixed_precision
from runtime.events import EpochMetrics, Message
from tests.runtime.conftest import mlp
from tests.runtime.test_trainer import of, train

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_trains_on_the_cpu(precision):
    _, finished, events = train(mlp(), precision=precision, epochs=3, lr=0.05)
    assert finished.status == "completed", finished.message
    assert finished.val_accuracy > 0.9  # two well-separated blobs
    assert all(m.train_loss == m.train_loss for m in of(events, EpochMetrics))


def test_fp16_gets_a_grad_scaler_and_fp32_no_autocast_at_all():
    autocast, scaler = mixed_precision("fp16", torch.device("cpu"))
    assert isinstance(scaler, torch.amp.GradScaler)
    with autocast():
        assert torch.get_autocast_dtype("cpu") == torch.float16
    assert mixed_precision("fp32", torch.device("cpu")) == (None, None)
    assert mixed_precision("bf16", torch.device("cpu"))[1] is None


def test_a_device_that_cannot_compute_in_a_precision_is_named_in_one_line():
    with pytest.raises(ValueError, match=r"^meta cannot train in bf16 .*: choose fp32$"):
        mixed_precision("bf16", torch.device("meta"))


def test_loader_workers_cut_the_same_batches_as_the_training_process():
    def history(workers):
        _, finished, events = train(mlp(), workers=workers, optimizer="sgd", lr=0.1, seed=4)
        assert finished.status == "completed", finished.message
        return [x for m in of(events, EpochMetrics) for x in (m.train_loss, m.val_loss)]

    assert history(2) == pytest.approx(history(0), abs=1e-6)


def test_threads_sets_torchs_thread_count_for_the_run():
    before = torch.get_num_threads()
    try:
        _, finished, _ = train(mlp(), threads=2, epochs=1)
        assert finished.status == "completed"
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_compile_without_a_cpp_compiler_says_so_and_trains_without_it(tmp_path):
    path = tmp_path / "net.json"
    save_project(mlp(dataset="blobs", device="cpu", epochs=3, lr=0.05), path)
    env = {**os.environ, "CXX": str(tmp_path / "no-compiler"), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "train", str(path), "--compile", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    warnings = [line for line in done.stdout.splitlines() if "torch.compile" in line]
    assert len(warnings) == 1 and "training without it" in warnings[0]
    assert "C++ compiler" in warnings[0]
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["status"] == "completed" and summary["val_accuracy"] > 0.9


def test_compile_reports_its_first_batch_separately():
    _, finished, events = train(mlp(), compile=True, epochs=2, threads=1)
    assert finished.status == "completed", finished.message
    notes = [e.text for e in of(events, Message) if "torch.compile" in e.text]
    assert len(notes) == 1 and "not counted in samples/s" in notes[0], notes
    assert finished.compile_seconds is not None and finished.compile_seconds > 0


def test_an_fp16_run_resumes_with_its_grad_scalers_scale_and_growth_count(tmp_path):
    settings = dict(dataset="blobs", device="cpu", precision="fp16", lr=0.01, seed=3)
    _, finished, _ = train(mlp(), epochs=1, out_dir=str(tmp_path), **settings)
    assert finished.status == "completed", finished.message
    state = torch.load(tmp_path / "state.pt", weights_only=True)
    assert state["scaler"]["scale"] == 65536.0 and state["scaler"]["_growth_tracker"] == 13
    # a scale and growth count no fresh GradScaler has: the resumed run must carry them on
    state["scaler"].update(scale=1024.0, _growth_tracker=7)
    torch.save(state, tmp_path / "state.pt")
    _, finished, _ = train(
        mlp(), epochs=2, out_dir=str(tmp_path), resume_from=str(tmp_path), **settings
    )
    assert finished.status == "completed", finished.message
    scaler = torch.load(tmp_path / "state.pt", weights_only=True)["scaler"]
    assert (scaler["scale"], scaler["_growth_tracker"]) == (1024.0, 7 + 13)


def test_an_fp32_run_saves_no_grad_scaler_state(tmp_path):
    _, finished, _ = train(mlp(), epochs=1, out_dir=str(tmp_path))
    assert finished.status == "completed", finished.message
    assert torch.load(tmp_path / "state.pt", weights_only=True)["scaler"] is None


def test_the_exported_script_resumes_an_fp16_run_with_its_grad_scaler(tmp_path):
    from tests.codegen.test_train_script import blobs_project, export, run_script

    export(blobs_project(epochs=1, lr=0.01, precision="fp16", device="cpu"), tmp_path)
    done = run_script(tmp_path, "train.py", "--out", "run")
    assert done.returncode == 0, done.stderr
    state = torch.load(tmp_path / "run" / "state.pt", weights_only=True)
    assert (state["epoch"], state["scaler"]["scale"]) == (1, 65536.0)
    state["scaler"].update(scale=1024.0, _growth_tracker=7)
    torch.save(state, tmp_path / "run" / "state.pt")
    done = run_script(tmp_path, "train.py", "--resume", "run", "--epochs", "2")
    assert done.returncode == 0, done.stderr
    assert "resuming after epoch 1" in done.stdout
    assert [line.split(",")[0] for line in done.stdout.splitlines() if "loss" in line] == [
        "epoch 2"
    ]
    state = torch.load(tmp_path / "run" / "state.pt", weights_only=True)
    batches = 13  # 800 training samples in batches of 64
    assert state["epoch"] == 2
    assert (state["scaler"]["scale"], state["scaler"]["_growth_tracker"]) == (1024.0, 7 + batches)
    lines = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in lines] == [1, 2]
    # a finished run: one line, no traceback
    done = run_script(tmp_path, "train.py", "--resume", "run", "--epochs", "2")
    assert done.returncode == 1 and done.stderr.strip() == (
        "error: nothing to resume: the run already finished 2 epochs (epochs=2); "
        "ask for more epochs"
    )
