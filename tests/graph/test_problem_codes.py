"""Problem codes have one typed home (graph/problem_codes.py) and keep their JSON strings."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from graph import Node, Project
from graph.problem_codes import ProblemCode
from graph.report import Problem

ROOT = Path(__file__).resolve().parents[2]


def test_problem_codes_serialise_as_the_strings_check_json_has_always_printed():
    assert {c.value for c in ProblemCode} == {
        "cycle",
        "unconnected",
        "duplicate_wire",
        "bad_port",
        "dead_end",
        "no_input",
        "no_output",
        "unknown_type",
        "bad_param",
        "shape",
        "dtype",
        "advice",
        "internal",
        "bad_init",
        "dataset_input",
        "dataset_output",
        "unreadable",
        "bad_repeat",
        "bad_share",
        "block_cycle",
        "code",
        "untrusted_code",
        "code_pending",
    }
    problem = Problem("error", ProblemCode.CYCLE, "m")
    assert json.dumps(problem.to_json()) == (
        '{"node": null, "port": null, "message": "m", "code": "cycle"}'
    )


def test_a_report_carries_typed_codes():
    report = Project(nodes=[Node("x", "Input", {"shape": [3]}), Node("f", "Fo")]).validate()
    assert [(type(p.code), p.code) for p in report.problems] == [
        (ProblemCode, "unknown_type"),
        (ProblemCode, "no_output"),
    ]


def test_no_source_file_makes_a_problem_with_a_free_string_code():
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Problem"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
