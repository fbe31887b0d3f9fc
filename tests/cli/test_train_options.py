"""`train --resume DIR`, `--threads N`, dataset paths relative to the project, JSON without NaN."""

import json
import math

from cli.errors import json_safe
from graph import save_project
from main import main
from tests.runtime.conftest import mlp


def test_resume_continues_the_run_in_its_folder(tmp_path, capsys):
    project = tmp_path / "net.json"
    save_project(mlp(dataset="blobs", epochs=1, device="cpu"), project)
    run = tmp_path / "run"
    assert main(["train", str(project), "--out", str(run), "--threads", "1"]) == 0
    assert main(["train", str(project), "--resume", str(run), "--epochs", "2", "--json"]) == 0
    out = capsys.readouterr().out
    assert "resuming after epoch 1" in out
    assert json.loads(out.splitlines()[-1])["epochs"] == 2
    lines = (run / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in lines] == [1, 2]


def test_a_dataset_path_is_relative_to_the_project_file(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    rows = ["a,b,label"] + [f"{i % 7 / 7},{i % 3 / 3},{i % 2}" for i in range(40)]
    (folder / "points.csv").write_text("\n".join(rows), encoding="utf-8")
    save_project(mlp(dataset="points.csv", epochs=1, device="cpu"), folder / "net.json")
    monkeypatch.chdir(tmp_path)  # not the project's folder
    assert main(["train", "project/net.json", "--out", "run"]) == 0, capsys.readouterr().err


def test_an_output_folder_in_the_project_file_is_not_used(tmp_path, capsys):
    elsewhere = tmp_path / "someone_elses"
    project = tmp_path / "net.json"
    save_project(mlp(dataset="blobs", epochs=1, device="cpu", out_dir=str(elsewhere)), project)
    assert main(["train", str(project), "--out", str(tmp_path / "mine")]) == 0
    assert not elsewhere.exists() and (tmp_path / "mine" / "best.pt").exists()


def test_json_has_no_nan():
    assert (
        json.dumps(json_safe({"a": math.nan, "b": [math.inf, 1.0]}))
        == '{"a": null, "b": [null, 1.0]}'
    )
