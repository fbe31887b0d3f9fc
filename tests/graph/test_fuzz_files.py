"""Mutated project files, drawn from a fixed seed: whatever is in the file, loading, checking and
code generation end in a result or one clear refusal, and `check` exits 0, 1 or 2 as documented
(valid, invalid, unreadable) with no traceback.

The mutations are what hand edits, other tools and hostile files produce: values of the wrong
type or absurd size, unknown types and keys, wires to missing nodes and ports, loops, duplicate
ids, deep nesting, control characters and unpaired surrogates in text, broken JSON and bytes.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import main
from codegen import CodegenError, generate_model
from graph import ProjectFileError, get_spec, layer_types, load_project

ROOT = Path(__file__).resolve().parents[2]
# Code examples are left out: untrusted they are never valid (tests/code fuzzes Code params).
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.json") if p.parent.name != "code")
SEED = 20261202
CASES = 200

JUNK_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    3,
    10**400,
    -(10**400),
    2**63,
    1e308,
    -1e308,
    0.5,
    "x",
    "",
    "same",
    "line\nbreak",
    "\x1b[31mred",
    "\ud800",
    [],
    [3, 3],
    [1] * 7,
    [[1]],
    {},
    {"a": 1},
]
JUNK_TEXT = ["", "a\nb", "\x1b[2J\x1b[31merror: forged", "\ud83d", "x" * 5000, "名字", "\x00"]
JUNK_PORTS: list[Any] = [-1, 1, 2, 3, 7, 2**70, "0", None, 1.5, True]


def nested(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def mutate(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One random change of the kind a hand edit or a hostile file makes."""
    nodes = data.get("nodes") if isinstance(data.get("nodes"), list) else []
    edges = data.get("edges") if isinstance(data.get("edges"), list) else []
    ids = [n.get("id") for n in nodes if isinstance(n, dict)] or ["x"]
    node = rng.choice(nodes) if nodes else None
    edge = rng.choice(edges) if edges else None
    kind = rng.randrange(12)
    if kind == 0 and node is not None:
        params = node.setdefault("params", {})
        spec = get_spec(node["type"]) if isinstance(node.get("type"), str) else None
        if isinstance(params, dict):
            names = [*params, *(spec.param_index if spec else ()), "bogus"]
            params[rng.choice(names)] = rng.choice(JUNK_VALUES)
    elif kind == 1 and node is not None:
        # Code is fuzzed in tests/code/test_source.py (its params are text and arguments).
        types = [t for t in layer_types() if t != "Code"]
        node["type"] = rng.choice([*types, "", "Linea", "\ud800", 5, None])
    elif kind == 2:
        target = rng.choice([d for d in (node, edge, data) if isinstance(d, dict)])
        if target:
            del target[rng.choice(list(target))]
    elif kind == 3 and edge is not None:
        edge[rng.choice(["source_port", "target_port"])] = rng.choice(JUNK_PORTS)
    elif kind == 4 and edge is not None:
        edge[rng.choice(["source", "target"])] = rng.choice([*ids, "nowhere", 3, None])
    elif kind == 5 and nodes:
        (nodes if rng.random() < 0.5 or not edges else edges).append(
            json.loads(json.dumps(rng.choice(nodes if rng.random() < 0.5 or not edges else edges)))
        )
    elif kind == 6 and node is not None:
        node[rng.choice(["label", "id"])] = rng.choice(JUNK_TEXT)
    elif kind == 7:
        training = data.setdefault("training", {})
        if isinstance(training, dict):
            training["dataset_options"] = nested(rng.choice([1, 5, 40, 400]))
    elif kind == 8:
        key = rng.choice(["nodes", "edges", "version", "name", "training", "format"])
        data[key] = rng.choice([{}, [], 2, "1", True, None, "netwright", [1, 2]])
    elif kind == 9 and len(ids) > 2:
        edges.append({"source": ids[-2], "target": ids[1], "target_port": rng.choice([0, 1])})
    elif kind == 10 and node is not None:
        node["pos"] = rng.choice([[0, 0], [1e300, 2], [float("nan"), 0], "here", [1], None])
    elif kind == 11:
        data[rng.choice(["extra", "\x1b[31m", "\ud800"])] = rng.choice(JUNK_VALUES)
    return data


def file_text(rng: random.Random) -> str | bytes:
    """A mutated example: JSON text, or now and then broken JSON or bytes that are not UTF-8."""
    original = rng.choice(EXAMPLES).read_text(encoding="utf-8")
    data = json.loads(original)
    for _ in range(rng.randint(1, 2)):
        data = mutate(data, rng)
    text = json.dumps(data)
    roll = rng.random()
    if roll < 0.08:
        return text[: rng.randrange(len(text))]
    if roll < 0.12:
        return text.encode() + b"\xff\xfe"
    return text


def cases() -> list[str | bytes]:
    rng = random.Random(SEED)
    return [file_text(rng) for _ in range(CASES)]


def write(tmp_path: Path, i: int, content: str | bytes) -> Path:
    path = tmp_path / f"case{i}.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_load_validate_and_codegen_end_in_a_result_or_a_clear_refusal(tmp_path):
    outcomes = {"unreadable": 0, "invalid": 0, "valid": 0}
    for i, content in enumerate(cases()):
        path = write(tmp_path, i, content)
        try:
            project = load_project(path)
        except ProjectFileError as exc:
            assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc), (i, str(exc))
            outcomes["unreadable"] += 1
            continue
        report = project.validate()
        for problem in report.problems:
            assert problem.message.isprintable(), (i, problem.message)
        if report.valid:
            compile(generate_model(project, report).source, "<fuzz>", "exec")
            outcomes["valid"] += 1
        else:
            with pytest.raises(CodegenError):
                generate_model(project, report)
            outcomes["invalid"] += 1
    assert min(outcomes.values()) >= 10, outcomes  # the seed reaches every outcome


def test_check_exits_0_1_or_2_with_one_line_per_problem_and_no_traceback(tmp_path, capsys):
    for i, content in enumerate(cases()):
        path = write(tmp_path, i, content)
        code = main.main(["check", "--json", str(path)])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (i, code)
        assert "Traceback" not in err, (i, err)
        (line,) = out.splitlines()
        result = json.loads(line)
        assert result["valid"] == (code == 0), (i, code, result)
        if code == 2:
            assert [e["code"] for e in result["errors"]] == ["unreadable"]
            (message,) = err.splitlines()
            assert message.isprintable() and message.startswith("error: "), (i, message)
        else:
            assert err == "", (i, err)
        for problem in result["errors"] + result["warnings"]:
            assert problem["message"].isprintable(), (i, problem)


def test_check_as_a_process_prints_one_line_per_bad_file_and_exits_2(tmp_path):
    files = [write(tmp_path, i, content) for i, content in enumerate(cases()[:40])]
    done = subprocess.run(
        [sys.executable, "main.py", "check", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1, 2)
    assert "Traceback" not in done.stderr
    unreadable = [line for line in done.stderr.splitlines() if line]
    assert all(line.startswith("error: ") for line in unreadable), unreadable
    assert done.returncode == (2 if unreadable else 1 if "invalid" in done.stdout else 0)
