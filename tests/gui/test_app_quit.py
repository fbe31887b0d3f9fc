"""Quitting the editor is clean, even with Netwright's own data on the clipboard."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

QUIT_AFTER_COPY = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import gui.app
from gui.canvas.view import CanvasView

def copy_instead_of_waiting(app):
    window = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
    canvas = window.findChild(CanvasView)
    canvas.select_nodes(["conv1", "relu1"])
    canvas.copy_selection()
    return 0

QApplication.exec = copy_instead_of_waiting
example = Path("examples/digits_cnn.json")
code = gui.app.run_app(str(example), default_example=example)
print(QApplication.clipboard().text()[:20])
sys.exit(code)
"""


def test_quitting_after_a_copy_exits_cleanly_and_keeps_the_copied_text(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    # settings and recovery files stay in the test's folder
    env["NETWRIGHT_SETTINGS"] = str(tmp_path / "settings.ini")
    env["NETWRIGHT_RECOVERY_DIR"] = str(tmp_path / "recovery")
    done = subprocess.run(
        [sys.executable, "-c", QUIT_AFTER_COPY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]  # was -11: a segfault in Qt's exit handler
    assert done.stdout.startswith('{"format": "netwrig')


QUIT_WHILE_TORCH_LOADS = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
import gui.app

def open_training_then_quit(app):
    window = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
    window.show_training_panel()  # its dataset preview starts importing torch in the background
    app.processEvents()
    import torch  # noqa: F401  (what a run or the device list loads)
    window.close()
    print(f"closed {time.time()}", flush=True)
    return 0

QApplication.exec = open_training_then_quit
example = Path("examples/digits_cnn.json")
sys.exit(gui.app.run_app(str(example), default_example=example))
"""


def test_the_process_ends_at_once_after_quit_even_with_torch_loaded(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env["NETWRIGHT_SETTINGS"] = str(tmp_path / "settings.ini")
    env["NETWRIGHT_RECOVERY_DIR"] = str(tmp_path / "recovery")
    process = subprocess.Popen(
        [sys.executable, "-c", QUIT_WHILE_TORCH_LOADS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()  # blocks until the window has closed
    closed = time.time()
    assert line.startswith("closed"), process.stderr.read()[-2000:]
    code = process.wait(timeout=60)
    lingered = time.time() - closed
    assert code == 0
    assert lingered < 1.5, f"the process lingered {lingered:.1f} s after the window closed"
