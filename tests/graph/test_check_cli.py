"""`python main.py check FILE... [--json]`, run as a user runs it: exit codes, stdout, stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LENET = ROOT / "examples" / "lenet5.json"
BROKEN = ROOT / "examples" / "broken" / "lenet_mismatch.json"


def check(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", "check", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def unreadable(tmp_path) -> Path:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "netwright", "version": 1, "nodes": [', encoding="utf-8")
    return path


def test_a_valid_file_exits_0_with_a_table_of_nodes():
    done = check(LENET)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == f"{LENET}: LeNet5"
    assert lines[1].split() == ["name", "type", "output", "shape", "params", "MACs", "activations"]
    row = next(line.split() for line in lines if line.split()[:2] == ["conv1", "Conv2d"])
    assert row[2:] == ["[6,", "28,", "28]", "156", "117.6k", "18.8kB"]
    assert "  per sample: 416.5k MACs, 63.1kB of activations, 246.8kB of parameters" in lines
    assert "  total parameters: 61,706" in lines
    assert lines[-1] == "  valid"


def test_an_invalid_file_exits_1_and_lists_its_problems():
    done = check(BROKEN)
    assert done.returncode == 1
    assert done.stderr == ""
    assert (
        "  error: Linear 'fc1' expects 576 input features (in_features=576) but receives "
        "400 = 16×5×5 from 'pool2'"
    ) in done.stdout.splitlines()
    assert done.stdout.splitlines()[-1] == "  invalid: 1 error(s)"


def test_an_unreadable_file_exits_2_with_one_line_on_stderr(unreadable):
    done = check(unreadable)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: {unreadable}: not valid JSON (")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("[]", "a project file must hold a JSON object"),
        (
            '{"format": "netwright", "version": 1, "nodes": [{"id": "a", "type": "Linear", '
            '"params": {"out_features": "many"}}]}',
            "node 'a': out_features must be a whole number, not 'many'",
        ),
        (
            '{"format": "netwright", "version": 1, "nodes": [{"id": "a\\nb", "type": "ReLU"}, '
            '{"id": "a\\nb", "type": "ReLU"}]}',
            "two nodes have the id 'a\\nb'",
        ),
    ],
)
def test_every_reading_error_is_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "p.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = check(path)
    assert done.returncode == 2
    assert done.stderr == f"error: {path}: {message}\n"


def test_several_files_are_checked_in_order_and_the_worst_outcome_wins(unreadable):
    assert check(LENET, LENET).returncode == 0
    assert check(LENET, BROKEN).returncode == 1
    done = check(unreadable, BROKEN, LENET)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stdout.index(str(BROKEN)) < done.stdout.index(str(LENET))


def test_json_gives_one_object_per_file_per_line_in_order(unreadable):
    done = check("--json", LENET, unreadable, BROKEN)
    assert done.returncode == 2
    first, middle, second = (json.loads(line) for line in done.stdout.splitlines())
    assert middle["file"] == str(unreadable) and middle["valid"] is False
    assert middle["nodes"] == {} and middle["total_params"] == 0
    (reason,) = middle["errors"]
    assert reason["node"] is None and reason["message"].startswith(f"{unreadable}: not valid JSON")
    assert done.stderr == f"error: {reason['message']}\n"
    assert first["file"] == str(LENET) and second["file"] == str(BROKEN)
    assert set(first) == {
        "file",
        "valid",
        "total_params",
        "total_macs",
        "total_activation_bytes",
        "total_parameter_bytes",
        "nodes",
        "errors",
        "warnings",
    }
    assert first["valid"] is True and first["total_params"] == 61706
    assert first["nodes"]["conv1"] == {
        "input_shapes": [[1, 28, 28]],
        "output_shapes": [[6, 28, 28]],
        "params": 156,
        "macs": 6 * 28 * 28 * 25,
        "activation_bytes": 6 * 28 * 28 * 4,
        "parameter_bytes": 156 * 4,
    }
    assert first["nodes"]["out"]["output_shapes"] == []
    assert second["valid"] is False
    (error,) = second["errors"]
    assert (error["node"], error["port"]) == ("fc1", 0)
    assert error["message"].startswith("Linear 'fc1' expects 576 input features")
    assert second["nodes"]["fc1"]["output_shapes"] == [None]


def test_warnings_appear_in_json_with_their_node(tmp_path):
    data = json.loads(LENET.read_text(encoding="utf-8"))
    data["nodes"].append({"id": "stray", "type": "ReLU"})
    data["edges"].append({"source": "x", "target": "stray"})
    path = tmp_path / "stray.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = check(path, "--json")
    assert done.returncode == 0
    (warning,) = json.loads(done.stdout)["warnings"]
    assert warning["node"] == "stray" and "does not lead to any Output" in warning["message"]


def test_check_without_files_is_a_usage_error():
    done = check()
    assert done.returncode == 2
    assert "the following arguments are required: FILE" in done.stderr


def test_check_loads_neither_torch_nor_qt():
    code = (
        "import sys, main; rc = main.main(['check', sys.argv[1]]); "
        "heavy = [m for m in ('torch', 'PySide6', 'pyqtgraph') if m in sys.modules]; "
        "print(heavy); sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(LENET)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
