"""Quitting the editor is clean, even with Netwright's own data on the clipboard."""

from __future__ import annotations

import os
import subprocess
import sys
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
