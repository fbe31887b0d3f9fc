"""Starts the editor. (Placeholder until the main window lands: prints the example's report.)"""

from __future__ import annotations

from pathlib import Path


def run_app(path: str | None, default_example: Path) -> int:
    from graph.check_command import run_check

    return run_check([path or str(default_example)], False)
