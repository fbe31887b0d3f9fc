"""The seeds' own layers as example projects (examples/code): each checks in the worker,
exports its class verbatim, and trains a couple of batches from the exported source."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate_model
from codegen.train_script import generate_train_script
from graph import load_project
from recipe.config import TrainConfig
from runtime.events import BatchMetrics, BatchPoint
from runtime.trainer import Trainer
from tests.codegen.ruff import ruff_format_diff

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "code").glob("*.json"))
CLASSES = {
    "centered_layer": "CenteredLayer",
    "corr2d_conv": "Conv2D",
    "my_dict_dense": "MyDictDense",
    "my_linear": "MyLinear",
    "my_list_dense": "MyListDense",
}


def test_the_seed_layers_are_all_there():
    assert {p.stem for p in EXAMPLES} == set(CLASSES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_each_code_example_checks_exports_and_trains_a_couple_of_batches(path, runner, tmp_path):
    project = load_project(path)
    project.set_code_runner(runner)
    report = project.validate()
    assert report.valid, [p.message for p in report.problems]
    model = generate_model(project, report)
    name = CLASSES[path.stem]
    assert model.source.count(f"class {name}(nn.Module):") == 1  # once, however many nodes use it
    source = next(n.params["source"] for n in project.nodes if n.type == "Code")
    assert source.strip() in model.source  # verbatim
    assert ruff_format_diff(model.source, tmp_path) == ""
    config = TrainConfig.from_training(project.training).replace(
        epochs=1, batch_size=16, device="cpu", out_dir=str(tmp_path)
    )
    seen: list[BatchPoint] = []

    def two_batches(event: object) -> None:
        if isinstance(event, BatchMetrics):
            seen.extend(event.points)
            if len(seen) >= 2:
                trainer.stop()

    trainer = Trainer(project, config, two_batches)
    finished = trainer.run()
    assert finished.status in ("stopped", "completed"), finished.message
    assert len(seen) >= 2 and all(math.isfinite(p.loss) for p in seen)


def test_the_exported_script_trains_a_code_layer_on_its_own(runner, tmp_path):
    project = load_project(ROOT / "examples" / "code" / "my_linear.json")
    project.set_code_runner(runner)
    model = generate_model(project)
    (tmp_path / "my_linear_model.py").write_text(model.source, encoding="utf-8")
    script = generate_train_script(project, model, model_module="my_linear_model")
    (tmp_path / "train.py").write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "train.py", "--epochs", "1", "--batch-size", "256", "--device", "cpu"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "epoch 1" in done.stdout.lower()
