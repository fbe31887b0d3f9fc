"""`python main.py [FILE]` opens the editor on the file or on the default example, without torch."""

from __future__ import annotations

import os
import subprocess
import sys

from graph import load_project
from tests.gui.window_helpers import ROOT, copy_example


def _launch(tmp_path, *args: str) -> str:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        NETWRIGHT_EXIT_WHEN_SHOWN="1",
        NETWRIGHT_SETTINGS=str(tmp_path / "settings.ini"),
        NETWRIGHT_RECOVERY_DIR=str(tmp_path / "recovery"),
    )
    done = subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (line,) = [out for out in done.stdout.splitlines() if out.startswith("shown")]
    return line


def test_main_py_opens_the_default_example_without_importing_torch(tmp_path):
    line = _launch(tmp_path)
    assert "torch=no" in line
    default = load_project(ROOT / "examples" / "digits_cnn.json")  # main.DEFAULT_EXAMPLE
    assert line.endswith(f"title=Netwright — {default.name}")


def test_main_py_file_opens_that_file(tmp_path):
    path = copy_example(tmp_path)
    line = _launch(tmp_path, str(path))
    assert line.endswith("title=Netwright — LeNet")
