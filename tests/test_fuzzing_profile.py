"""`make test` replays the same property-test cases everywhere; only `make fuzz` explores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import json, tests.fuzzing as f; from hypothesis import settings; s = settings.default; "
    "print(json.dumps([s.derandomize, s.database is None, f.examples(10)]))"
)


def profile(**env: str) -> list:
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "NETWRIGHT_FUZZ")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("env", [{}, {"CI": "1"}, {"CI": ""}])
def test_make_test_replays_fixed_cases_with_or_without_ci(env):
    assert profile(**env) == [True, True, 10]


def test_make_fuzz_explores_fresh_cases_many_more_of_them():
    assert profile(NETWRIGHT_FUZZ="1") == [False, False, 200]
