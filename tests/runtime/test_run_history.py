"""A project's run history: folders under <project folder>/runs/<stem>/, read back with their
settings, metrics and name; renamed and deleted only inside the runs directory."""

import json
from datetime import datetime
from types import SimpleNamespace

import pytest

from graph import save_project
from main import main
from recipe.config import TrainConfig
from runtime.run_history import (
    RunHistoryError,
    delete_run,
    differing_settings,
    list_runs,
    new_run_folder,
    read_run,
    rename_run,
    runs_directory,
)
from runtime.trainer import Trainer
from tests.runtime.conftest import mlp


def test_runs_live_next_to_the_project_in_a_folder_of_its_own(tmp_path):
    assert runs_directory(tmp_path / "lenet.netwright.json") == tmp_path / "runs" / "lenet"
    first = new_run_folder(tmp_path / "runs" / "x", datetime(2026, 1, 2, 3, 4, 5))
    second = new_run_folder(tmp_path / "runs" / "x", datetime(2026, 1, 2, 3, 4, 5))
    assert first.name == "2026-01-02_03-04-05" and second.name == "2026-01-02_03-04-05_2"


def test_a_finished_run_is_read_back_with_its_name_settings_and_curves(tmp_path):
    runs = tmp_path / "runs" / "tiny"
    for lr in (0.01, 0.1):
        config = TrainConfig(
            dataset="blobs", epochs=2, lr=lr, device="cpu", out_dir=str(new_run_folder(runs))
        )
        assert Trainer(mlp(), config, lambda e: None).run().status == "completed"
    history = list_runs(runs)
    assert len(history) == 2
    assert [run.training["lr"] for run in history] == [0.01, 0.1]
    assert history[0].status == "completed" and history[0].summary["epochs"] == 2
    epochs, losses = history[1].series("val_loss")
    assert epochs == [1, 2] and len(losses) == 2
    assert differing_settings(history) == {"lr": [0.01, 0.1]}
    assert (history[0].path / "evaluation.json").exists()


def test_renaming_keeps_the_folder_and_a_blank_name_is_refused(tmp_path):
    folder = _fake_run(tmp_path / "runs", "2026-01-01_00-00-00")
    run = read_run(folder)
    rename_run(run, "  wide   net ")
    assert read_run(folder).name == "wide net" and folder.exists()
    with pytest.raises(RunHistoryError):
        rename_run(run, "   ")


def test_delete_removes_a_run_and_refuses_anything_outside_the_runs_directory(tmp_path):
    runs = tmp_path / "runs"
    inside = _fake_run(runs, "a")
    outside = _fake_run(tmp_path, "precious")
    delete_run(runs, read_run(inside))
    assert not inside.exists()
    with pytest.raises(RunHistoryError):
        delete_run(runs, read_run(outside))
    assert outside.exists()


def test_unreadable_folders_and_broken_lines_do_not_hide_the_other_runs(tmp_path):
    runs = tmp_path / "runs"
    (runs / "not-a-run").mkdir(parents=True)
    folder = _fake_run(runs, "b")
    (folder / "metrics.jsonl").write_text('{"epoch": 1, "val_loss": 0.5}\n{"epoch": 2, "val_')
    (listed,) = list_runs(runs)
    assert listed.series("val_loss") == ([1], [0.5])


def test_train_without_out_keeps_the_run_in_the_projects_runs_directory(tmp_path, capsys):
    path = tmp_path / "tiny.json"
    save_project(mlp(dataset="blobs", epochs=1, device="cpu"), path)
    assert main(["train", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.splitlines()[-1])
    (run,) = list_runs(tmp_path / "runs" / "tiny")
    assert summary["checkpoint"] == str(run.path / "best.pt")


def _fake_run(parent, name):
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "settings.json").write_text(json.dumps({"training": {"lr": 0.1}}))
    from runtime.run_history import record_run

    record_run(
        folder,
        SimpleNamespace(
            status="completed",
            epochs=1,
            train_loss=1.0,
            val_loss=None,
            val_accuracy=None,
            seconds=1.0,
        ),
    )
    return folder
