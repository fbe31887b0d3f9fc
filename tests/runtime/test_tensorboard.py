"""TensorBoard logs: `train --tensorboard DIR`, the Trainer and the exported script write event
files that TensorBoard's own reader finds the scalars, the graph and the weight histograms in."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from codegen import generate_model
from codegen.train_script import generate_train_script
from graph import save_project
from main import main
from recipe.metrics import METRIC_KEYS
from recipe.tensorboard import TENSORBOARD_SCALARS
from runtime.events import Message
from tests.runtime.conftest import mlp
from tests.runtime.test_trainer import of, train

CLASSIFICATION_TAGS = {"loss/train", "loss/validation", "accuracy/train", "accuracy/validation"}


def read_board(folder: Path) -> EventAccumulator:
    board = EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0})
    board.Reload()
    return board


def scalars(board: EventAccumulator, tag: str) -> list[tuple[int, float]]:
    return [(e.step, e.value) for e in board.Scalars(tag)]


def test_the_trainer_logs_scalars_graph_and_weight_histograms(tmp_path):
    logs = tmp_path / "tb"
    _, finished, events = train(
        mlp(), epochs=2, lr=0.05, out_dir=str(tmp_path / "run"), tensorboard_dir=str(logs)
    )
    assert finished.status == "completed", finished.message
    board = read_board(logs)
    tags = board.Tags()
    assert CLASSIFICATION_TAGS | {"lr"} <= set(tags["scalars"])
    assert tags["graph"] is True
    assert {"weights/linear1.weight", "weights/linear3.bias"} <= set(tags["histograms"])
    assert [h.step for h in board.Histograms("weights/linear1.weight")] == [1, 2]
    records = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    for key, tag in TENSORBOARD_SCALARS.items():
        if records[0][key] is not None:  # the same numbers as metrics.jsonl, epoch by epoch
            logged = scalars(board, tag)
            assert [step for step, _ in logged] == [r["epoch"] for r in records], tag
            expected = [r[key] for r in records]
            assert [v for _, v in logged] == pytest.approx(expected, rel=1e-6), tag
    said = [e.text for e in of(events, Message) if "tensorboard --logdir" in e.text]
    assert said and str(logs) in said[0]


def test_every_logged_scalar_is_a_metric_of_the_run():
    assert set(TENSORBOARD_SCALARS) <= set(METRIC_KEYS)


def test_train_tensorboard_dir_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "net.json"
    save_project(mlp(dataset="blobs", device="cpu", epochs=1), path)
    logs = tmp_path / "logs"
    code = main(["train", str(path), "--out", str(tmp_path / "o"), "--tensorboard", str(logs)])
    assert code == 0, capsys.readouterr().err
    assert set(read_board(logs).Tags()["scalars"]) >= CLASSIFICATION_TAGS
    assert f"tensorboard --logdir {logs}" in capsys.readouterr().out


def test_the_exported_script_writes_the_same_tensorboard_scalars(tmp_path):
    project = mlp(dataset="blobs", device="cpu", epochs=2, lr=0.05)
    model = generate_model(project)
    (tmp_path / "model.py").write_text(model.source, encoding="utf-8")
    script = generate_train_script(project, model, model_module="model")
    (tmp_path / "train.py").write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "train.py", "--out", "o", "--tensorboard", "tb", "--threads", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    board = read_board(tmp_path / "tb")
    assert CLASSIFICATION_TAGS | {"lr"} <= set(board.Tags()["scalars"])
    assert board.Tags()["graph"] is True
    assert [s for s, _ in scalars(board, "loss/train")] == [1, 2]
    assert "tensorboard --logdir tb" in done.stdout
