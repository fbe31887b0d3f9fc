"""Crash safety: a real editor process is killed with SIGKILL a second after an edit; the next
window offers that edit back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from gui.recovery import find_recoveries
from tests.gui.window_helpers import ROOT, ScriptedDialogs, copy_example, isolate, make_window

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from gui.main_window import MainWindow

    app = QApplication([])
    window = MainWindow(examples_dir=Path("examples"))
    window.files.open_path(sys.argv[1], ask=False)
    window.show()

    def edit():
        window.document.set_param("conv1", "out_channels", 12)
        window.document.set_label("fc1", "classifier")
        print("edited", flush=True)

    QTimer.singleShot(100, edit)
    app.exec()
    """
)


def test_edits_survive_a_kill_9_and_the_next_launch_offers_them(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    path = copy_example(tmp_path)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "edited"
        time.sleep(1.0)  # the brief: at most a second of work may be lost
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    assert window.offer_recovery()

    project = window.document.project
    assert project.node("conv1").params["out_channels"] == 12
    assert project.node("fc1").label == "classifier"
    assert window.document.path == path.resolve()
    assert window.document.is_modified() and window.windowTitle().endswith(" *")
    assert len(dialogs.asked) == 1 and str(path.resolve()) in dialogs.asked[0]
    # The file on disk was never touched; the restored work now belongs to this session.
    assert 'out_channels": 12' not in path.read_text()
    assert find_recoveries() == []


def test_declining_recovery_discards_it_and_does_not_ask_again(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    first = make_window(qtbot, dialogs)
    first.files.open_path(copy_example(tmp_path))
    first.document.set_param("conv1", "out_channels", 7)
    first.autosaver.write_now()
    # Pretend the file belongs to a session that died: rename it to a pid that cannot be alive.
    first.autosaver.file.rename(first.autosaver.file.with_name("session-999999999.json"))
    first.document.undo_stack.setClean()

    dialogs.restore_answer = False
    second = make_window(qtbot, dialogs)
    assert not second.offer_recovery()
    assert not second.offer_recovery()
    assert [q.split(":")[0] for q in dialogs.asked] == ["restore"]


def test_saving_removes_the_recovery_file(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.document.set_param("conv1", "out_channels", 9)
    qtbot.waitUntil(window.autosaver.file.exists, timeout=2000)

    window.act.save.trigger()

    assert not window.autosaver.file.exists()


def test_a_corrupt_recovery_file_is_dropped_quietly(tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    folder = tmp_path / "recovery"
    folder.mkdir()
    (folder / "session-999999998.json").write_text("{not json")
    assert find_recoveries() == []
    assert not (folder / "session-999999998.json").exists()
