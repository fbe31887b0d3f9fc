"""`main.py export` writes the model file; bad input is one line on stderr and a non-zero exit."""

import json
import subprocess
import sys
from pathlib import Path

from tests.codegen.ruff import ruff_check, ruff_format_diff

ROOT = Path(__file__).resolve().parents[2]


def export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


BROKEN = ROOT / "examples" / "broken" / "lenet_mismatch.json"


def fixed_lenet(tmp_path: Path) -> Path:
    data = json.loads(BROKEN.read_text())
    data["name"] = "LeNet"
    fc1 = next(n for n in data["nodes"] if n["id"] == "fc1")
    fc1["params"]["in_features"] = 400
    path = tmp_path / "lenet.json"
    path.write_text(json.dumps(data))
    return path


def test_export_writes_a_model_file_that_defines_the_class(tmp_path):
    out = tmp_path / "model.py"
    done = export(fixed_lenet(tmp_path), "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out} (LeNet)"
    source = out.read_text()
    namespace: dict = {}
    exec(compile(source, str(out), "exec"), namespace)
    assert namespace["LeNet"]().fc1.in_features == 400
    assert ruff_check([out]) == ""
    assert ruff_format_diff(source, tmp_path) == ""


def test_an_unreadable_file_is_one_line_and_exit_2(tmp_path):
    for path, words in (
        (tmp_path / "missing.json", "no such file"),
        (tmp_path, "folder"),
    ):
        done = export(path, "-o", tmp_path / "model.py")
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and words in done.stderr
        assert done.stderr.startswith("error: ")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    done = export(broken, "-o", tmp_path / "model.py")
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "JSON" in done.stderr
    assert not (tmp_path / "model.py").exists()


def test_an_invalid_drawing_is_one_line_naming_the_error_and_exit_1(tmp_path):
    done = export(BROKEN, "-o", tmp_path / "model.py")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "cannot export" in done.stderr and "in_features=576" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "model.py").exists()


def test_an_error_message_with_a_line_break_in_a_label_stays_on_one_line(tmp_path):
    data = json.loads(BROKEN.read_text())
    next(n for n in data["nodes"] if n["id"] == "fc1")["label"] = "fc\none"
    path = tmp_path / "labelled.json"
    path.write_text(json.dumps(data))
    done = export(path, "-o", tmp_path / "model.py")
    assert (done.returncode, done.stderr.count("\n")) == (1, 1)


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path):
    done = export(fixed_lenet(tmp_path), "-o", tmp_path / "no" / "such" / "dir" / "model.py")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: cannot write")


def test_a_label_with_a_line_break_and_an_escape_cannot_forge_a_second_error_line(tmp_path):
    data = json.loads(BROKEN.read_text())
    fc1 = next(n for n in data["nodes"] if n["id"] == "fc1")
    fc1["label"] = "fc1\nerror: everything is fine\x1b[2K"
    path = tmp_path / "net.json"
    path.write_text(json.dumps(data))
    done = export(path, "-o", tmp_path / "model.py")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: {path}: cannot export") and line.isprintable()
    assert "'fc1\\nerror: everything is fine\\x1b[2K'" in line
