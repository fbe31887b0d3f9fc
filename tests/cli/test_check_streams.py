"""`check` writes to the output streams sys has when it runs, not those it had when the module
was first imported (pytest's capture, an editor's redirect, a wrapping script replace them)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from cli.check import run_check

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mlp.json"


def test_check_writes_its_line_to_the_stdout_of_the_moment(monkeypatch):
    assert EXAMPLE.exists()
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert run_check([str(EXAMPLE)], as_json=True) == 0
    (line,) = out.getvalue().splitlines()
    assert json.loads(line)["valid"] is True
    assert run_check(["/no/such/project.json"], as_json=False) == 2
    assert "no such file" in err.getvalue()
