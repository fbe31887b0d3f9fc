"""Startup time of the editor: from launching `python main.py` to the window being exposed.

Each run is a fresh process that quits as soon as its window is on screen
(NETWRIGHT_EXIT_WHEN_SHOWN=1). The anchor, measured in the same session and interleaved with it,
is the least any PySide6 window costs: a bare QMainWindow started the same way. Medians.

    python bench/bench_startup.py [--runs 9]

Uses the display in $DISPLAY when there is one (run it under xvfb-run for a real X server), else
Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ANCHOR = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Quit(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed():
            print("shown", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1440, 900)
window.show()
window.windowHandle().installEventFilter(Quit(app))
app.exec()
"""


def time_to_window(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds from spawning `command` until it prints its `shown` line, and that line."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    line = ""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("shown"):
            break
    elapsed = time.perf_counter() - start
    proc.wait(timeout=30)
    if not line.startswith("shown"):
        raise RuntimeError(f"{command} exited without showing a window")
    return elapsed, line.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            NETWRIGHT_EXIT_WHEN_SHOWN="1",
            NETWRIGHT_SETTINGS=str(Path(tmp) / "settings.ini"),
            NETWRIGHT_RECOVERY_DIR=str(Path(tmp) / "recovery"),
        )
        # As after a normal install, modules load from cached bytecode: the warm-up run writes it.
        # (Sandboxes often set PYTHONDONTWRITEBYTECODE; then every launch recompiles ~60 modules.)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
        platform = env.get("QT_QPA_PLATFORM") or "xcb"
        editor = [sys.executable, "main.py"]
        anchor = [sys.executable, "-c", ANCHOR]
        time_to_window(editor, env)  # warm the file cache; not counted
        time_to_window(anchor, env)
        editor_times, anchor_times, torch_seen = [], [], set()
        for _ in range(args.runs):
            t, line = time_to_window(editor, env)
            editor_times.append(t)
            torch_seen.add(line.split("torch=")[-1].split()[0])
            anchor_times.append(time_to_window(anchor, env)[0])
    med_editor = statistics.median(editor_times)
    med_anchor = statistics.median(anchor_times)
    print(f"platform: {platform}, runs: {args.runs}")
    print(f"anchor  (bare QMainWindow): median {med_anchor:.3f} s")
    print(
        f"editor  (python main.py):   median {med_editor:.3f} s  "
        f"(min {min(editor_times):.3f}, max {max(editor_times):.3f})"
    )
    print(f"ratio editor / anchor: {med_editor / med_anchor:.2f}")
    print(f"torch imported before the window showed: {', '.join(sorted(torch_seen))}")
    print("target: under 2 s —", "met" if med_editor < 2.0 else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
