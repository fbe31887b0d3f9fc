"""`export` never writes where it would do harm, and refuses bad training settings."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def export(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_export_refuses_to_overwrite_the_project_file(tmp_path):
    project = tmp_path / "net.json"
    shutil.copy(ROOT / "examples" / "blobs.json", project)
    before = project.read_bytes()
    done = export(project, "-o", project)
    assert done.returncode == 1 and "refusing to overwrite the project file" in done.stderr
    assert done.stderr.count("\n") == 1
    assert project.read_bytes() == before


def test_a_model_file_named_after_a_keyword_is_refused_with_a_training_script(tmp_path):
    done = export(
        ROOT / "examples" / "blobs.json",
        "-o",
        tmp_path / "class.py",
        "--train-script",
        tmp_path / "train.py",
    )
    assert done.returncode == 1 and "'class'" in done.stderr
    assert not (tmp_path / "train.py").exists()


def test_export_refuses_a_training_script_with_bad_settings(tmp_path):
    data = json.loads((ROOT / "examples" / "blobs.json").read_text(encoding="utf-8"))
    data["training"]["lr"] = -1
    project = tmp_path / "net.json"
    project.write_text(json.dumps(data), encoding="utf-8")
    done = export(project, "-o", tmp_path / "m.py", "--train-script", tmp_path / "t.py")
    assert done.returncode == 1
    assert "training.lr: lr must be above 0, not -1" in done.stderr
    assert not (tmp_path / "t.py").exists()
