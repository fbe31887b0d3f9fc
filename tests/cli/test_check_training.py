"""`check` validates a project's training settings as well as its drawing."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def check(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", "check", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def project(tmp_path, training) -> Path:
    path = tmp_path / "net.json"
    data = json.loads((ROOT / "examples" / "blobs.json").read_text(encoding="utf-8"))
    data["training"] = training
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_bad_learning_rate_makes_the_file_invalid_at_training_lr(tmp_path):
    done = check(project(tmp_path, {"lr": -1}))
    assert done.returncode == 1
    assert "  error: training.lr: lr must be above 0, not -1" in done.stdout.splitlines()


def test_json_reports_training_problems_by_field(tmp_path):
    done = check(project(tmp_path, {"lr": -1, "schedule": "StepLR"}), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["valid"] is False
    assert [(e["field"], e["code"]) for e in report["errors"]] == [
        ("training.lr", "training_setting")
    ]


def test_a_dataset_path_is_looked_for_beside_the_project(tmp_path):
    (tmp_path / "images").mkdir()
    assert check(project(tmp_path, {"dataset": "images"})).returncode == 0
    assert check(project(tmp_path, {"dataset": "missing/images"})).returncode == 1


def test_every_example_has_valid_training_settings():
    done = check(*sorted((ROOT / "examples").glob("*.json")))
    assert done.returncode == 0, done.stdout
