"""`train --nproc N --weights FILE`: every process of the group starts from the chosen weights,
fitted to the drawing as a one-process run fits them (what does not fit listed by node), frozen
layers stay as loaded, and a file that cannot be used is one line before any process starts."""

import json
import subprocess
import sys
from pathlib import Path

import torch

from graph import save_project
from tests.importer.roundtrip import export_module
from tests.runtime.conftest import mlp

ROOT = Path(__file__).resolve().parents[2]


def frozen_mlp():
    """blobs through Linear 'linear1' (frozen), ReLU, Linear 'linear3'; one short epoch."""
    project = mlp(dataset="blobs", device="cpu", epochs=1, threads=1, lr=0.05)
    project.set_frozen("linear1", True)
    return project


def cli_train(path: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "main.py"), "train", str(path), *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def five_class_weights(tmp_path: Path) -> tuple[Path, dict]:
    """A state_dict whose linear1 fits the drawing and whose head has 5 classes, not 2
    (random values: a layer that loaded them is told apart from one that did not)."""
    _, other = export_module(mlp(classes=5))
    state = {k: torch.randn_like(v) for k, v in other.state_dict().items()}
    path = tmp_path / "pretrained.pt"
    torch.save(state, path)
    return path, state


def test_two_processes_start_from_the_weights_and_keep_a_frozen_layer_as_loaded(tmp_path):
    path = tmp_path / "net.json"
    save_project(frozen_mlp(), path)
    weights, state = five_class_weights(tmp_path)
    out = tmp_path / "run"
    done = cli_train(path, "--nproc", "2", "--weights", str(weights), "--out", str(out), "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert (
        "info: starting from the weights in pretrained.pt: 2 of the network's 4 tensors loaded"
        in lines
    )
    assert (
        "warning: Linear 'linear3' keeps its own weights: linear3.weight is [5, 16] in the "
        "file, [2, 16] here; linear3.bias is [5] in the file, [2] here" in lines
    )
    assert json.loads(lines[-1])["epochs"] == 1
    # the frozen layer trained a whole epoch on both processes and is still the file's
    last = torch.load(out / "last.pt", weights_only=True)
    assert torch.equal(last["linear1.weight"], state["linear1.weight"])
    assert torch.equal(last["linear1.bias"], state["linear1.bias"])
    # what the processes loaded: the fitting tensors, named as the generated code names them
    loaded = torch.load(out / "start_weights.pt", weights_only=True)
    assert sorted(loaded) == ["linear1.bias", "linear1.weight"]
    assert "starting from the weights in start_weights.pt" in (out / "torchrun.log").read_text()


def test_weights_a_group_cannot_use_are_one_line_before_any_process_starts(tmp_path):
    path = tmp_path / "net.json"
    save_project(frozen_mlp(), path)
    bad = tmp_path / "notes.pt"
    bad.write_text("not weights")
    out = tmp_path / "run"
    done = cli_train(path, "--nproc", "2", "--weights", str(bad), "--out", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {bad}: not a weights file torch can load safely (")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (out / "torchrun.log").exists()

    weights, _ = five_class_weights(tmp_path)  # strict: the head does not fit
    options = ("--weights", str(weights), "--strict-weights", "--out", str(out))
    done = cli_train(path, "--nproc", "2", *options)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: {weights} does not fit this drawing exactly: Linear 'linear3' keeps its own "
        "weights: linear3.weight is [5, 16] in the file, [2, 16] here; linear3.bias is [5] in "
        "the file, [2] here"
    )
    assert not (out / "torchrun.log").exists()
