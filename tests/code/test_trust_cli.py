"""`check`, `export` and `train` run a project's code only with --trust: a canary proves it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph import Edge, Node, Project, save_project
from tests.code import sources

ROOT = Path(__file__).resolve().parents[2]


def netwright(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def canary_project(tmp_path) -> tuple[Path, Path]:
    canary = tmp_path / "canary.txt"
    project = Project(
        "canary",
        nodes=[
            Node("x", "Input", {"shape": [4]}),
            Node("fc", "Linear", {"out_features": 3}),
            Node("bird", "Code", {"source": sources.canary(str(canary))}),
            Node("o", "Output"),
        ],
        edges=[Edge("x", "fc"), Edge("fc", "bird"), Edge("bird", "o")],
    )
    path = tmp_path / "canary.json"
    save_project(project, path)
    return path, canary


def test_without_trust_no_command_runs_the_code_and_each_reports_it_unchecked(
    canary_project, tmp_path
):
    path, canary = canary_project
    done = netwright("check", "--json", str(path))
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert [(e["node"], e["code"]) for e in report["errors"]] == [("bird", "untrusted_code")]
    assert report["nodes"]["fc"]["output_shapes"] == [[3]]  # the rest is checked as ever
    done = netwright("export", str(path), "-o", str(tmp_path / "model.py"))
    assert done.returncode == 1 and "unchecked" in done.stderr
    assert done.stderr.count("\n") == 1
    done = netwright("train", str(path), "--epochs", "1")
    assert done.returncode == 1 and "unchecked" in done.stderr
    assert "CANARY" not in done.stdout + done.stderr
    assert not canary.exists() and not (tmp_path / "model.py").exists()


def test_with_trust_the_same_project_runs_in_the_worker_and_exports(canary_project, tmp_path):
    path, canary = canary_project
    done = netwright("check", "--trust", str(path))
    assert done.returncode == 0, done.stderr
    assert "valid" in done.stdout and "CANARY" not in done.stdout  # its prints stay in the worker
    assert canary.read_text() == "forward ran"  # the canary can fly: the test above means it
    model = tmp_path / "model.py"
    done = netwright("export", "--trust", str(path), "-o", str(model))
    assert done.returncode == 0, done.stderr
    assert "class Canary(nn.Module):" in model.read_text()
    assert "self.bird = Canary()" in model.read_text()
