"""Run ruff with its default settings (`--isolated`: line length 88, default rules) on source."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _ruff() -> str:
    here = Path(sys.executable).with_name("ruff")
    found = str(here) if here.exists() else shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed")
    return found


def ruff_format_diff(source: str, tmp_path: Path, name: str = "generated.py") -> str:
    """What `ruff format` would change ("" if nothing)."""
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [_ruff(), "format", "--isolated", "--diff", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise AssertionError(f"ruff format failed: {done.stderr}")
    return done.stdout


def ruff_check(paths: list[Path]) -> str:
    """ruff check's findings ("" if clean)."""
    done = subprocess.run(
        [_ruff(), "check", "--isolated", "--output-format", "concise", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise AssertionError(f"ruff check failed: {done.stderr}")
    return "" if done.returncode == 0 else done.stdout


def ruff_format_dir_diff(paths: list[Path]) -> str:
    """What `ruff format` would change in any of `paths` ("" if nothing)."""
    done = subprocess.run(
        [_ruff(), "format", "--isolated", "--diff", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise AssertionError(f"ruff format failed: {done.stderr}")
    return done.stdout
