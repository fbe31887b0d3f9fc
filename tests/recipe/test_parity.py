"""Train what you export: `main.py train` and the exported script, same project, seed, CPU and
one thread, write the same metrics.jsonl (same keys, same per-epoch values to 1e-6)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate_model
from codegen.train_script import generate_train_script
from graph import load_project, save_project
from recipe.metrics import METRIC_KEYS

ROOT = Path(__file__).resolve().parents[2]
COMPARED = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "val_rmse", "lr")
ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-E", "-s", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def metrics(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]


@pytest.mark.parametrize(
    ("example", "training"),
    [
        (
            "blobs.json",
            {"epochs": 3, "optimizer": "sgd", "schedule": "StepLR", "seed": 3, "nesterov": True},
        ),
        (
            "sincos_rnn.json",
            {"epochs": 2, "schedule": "onecycle", "grad_clip": 1.0, "weight_decay": 0.01},
        ),
    ],
)
def test_the_exported_script_and_train_give_the_same_metrics(tmp_path, example, training):
    project = load_project(ROOT / "examples" / example)
    project.set_training({**project.training, **training, "device": "cpu"})
    path = tmp_path / "net.json"
    save_project(project, path)
    seed = str(project.training.get("seed", 0))
    run([str(ROOT / "main.py"), "train", str(path), "--out", "app", "--threads", "1"], tmp_path)

    model = generate_model(project)
    (tmp_path / "model.py").write_text(model.source, encoding="utf-8")
    script = generate_train_script(project, model, model_module="model")
    (tmp_path / "train.py").write_text(script, encoding="utf-8")
    run(["train.py", "--out", "script", "--seed", seed, "--threads", "1"], tmp_path)

    app, exported = metrics(tmp_path / "app"), metrics(tmp_path / "script")
    assert [list(m) for m in app] == [list(METRIC_KEYS)] * len(app)
    assert [list(m) for m in exported] == [list(METRIC_KEYS)] * len(app)
    for ours, theirs in zip(app, exported, strict=True):
        for key in COMPARED:
            if ours[key] is None:
                assert theirs[key] is None, key
            else:
                assert theirs[key] == pytest.approx(ours[key], abs=1e-6, rel=0), key
