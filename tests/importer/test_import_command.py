"""`main.py import` as a person runs it: a real process, a real file, one line on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graph import load_project

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).with_name("seed_models.py")


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_import_writes_a_project_that_checks_and_says_it_runs_the_code(tmp_path):
    out = tmp_path / "cnn.json"
    done = run_main("import", f"{SEEDS}:CNN", "-o", str(out), "--input-shape", "1,28,28")
    assert done.returncode == 0, done.stderr
    assert f"note: importing {SEEDS}:CNN runs its Python code" in done.stderr
    assert done.stdout.strip() == f"wrote {out} (6 nodes, 2 blocks)"  # conv1, conv2
    project = load_project(out)
    assert project.validate().valid
    assert project.validate().total_params == 28938  # what torch counts for CNN()


def test_bad_arguments_and_untraceable_models_fail_in_one_line(tmp_path):
    out = str(tmp_path / "x.json")
    bad_shape = run_main("import", f"{SEEDS}:CNN", "-o", out, "--input-shape", "1,x")
    assert bad_shape.returncode == 2
    assert bad_shape.stderr.strip().splitlines()[-1] == (
        "error: --input-shape '1,x': give whole numbers separated by commas"
    )
    loop = run_main("import", f"{SEEDS}:FixedHiddenMLP", "-o", out, "--input-shape", "20")
    assert loop.returncode == 1
    last = loop.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot trace the model: TraceError:")
    assert "Traceback" not in loop.stderr
    assert not Path(out).exists()


def test_an_imported_drawing_with_code_nodes_checks_only_where_its_code_is_trusted(tmp_path):
    """Code nodes the import made (a class with its helper and imports, a wrapped function, a
    layer kept but not called) run in the worker with --trust, and not without."""
    out = tmp_path / "shift.json"
    models = Path(__file__).with_name("code_models.py")
    done = run_main("import", f"{models}:ShiftNet", "-o", str(out), "--input-shape", "8")
    assert done.returncode == 0, done.stderr
    trusted = run_main("check", str(out), "--trust")
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    untrusted = run_main("check", str(out))
    assert untrusted.returncode == 1
    assert "unchecked: its code runs only once you trust this project" in untrusted.stdout
