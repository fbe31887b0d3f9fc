"""Run history in the app: every run of a saved project is kept, and a new window on the same
project lists them, overlays the selected runs' curves with the settings that differ, renames a
run by editing its name and deletes runs."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from graph import save_project
from runtime.run_history import list_runs, runs_directory
from tests.gui.window_helpers import isolate, make_window
from tests.runtime.conftest import mlp

RUN_TIMEOUT_MS = 60_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _open(qtbot, path):
    window = make_window(qtbot)
    assert window.files.open_path(path, ask=False)
    panel = window.show_training_panel()
    return window, panel


def _train(qtbot, panel):
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS) as done:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert done.args[0].status == "completed", done.args[0].message


def _click_tab(qtbot, tabs, page):
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tabs.indexOf(page)).center())


def _click_row(qtbot, table, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_runs_persist_and_overlay_after_a_restart(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "tiny.json"
    save_project(mlp(dataset="blobs", device="cpu", epochs=2, lr=0.01), path)
    window, panel = _open(qtbot, path)
    _train(qtbot, panel)
    window.document.set_training({**window.document.project.training, "lr": 0.05})
    _train(qtbot, panel)
    assert panel.history.table.rowCount() == 2
    window.close()

    window, panel = _open(qtbot, path)  # a new window on the same project: a restart
    history = panel.history
    _click_tab(qtbot, panel.tabs, panel.history_page)
    assert history.isVisible() and history.table.rowCount() == 2
    _click_row(qtbot, history.table, 0)
    _click_row(qtbot, history.table, 1, Qt.KeyboardModifier.ControlModifier)
    assert len(history.selected_runs()) == 2
    assert len(history.curves) == 2
    assert all(len(curve.getData()[0]) == 2 for curve in history.curves)  # two epochs each
    assert history.diff.rowCount() == 1
    assert history.diff.verticalHeaderItem(0).text() == "lr"
    assert [history.diff.item(0, c).text() for c in range(2)] == ["0.01", "0.05"]

    # rename the first run by editing its name in place
    rect = history.table.visualRect(history.table.model().index(0, 0))
    qtbot.mouseClick(history.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.keyClick(history.table, Qt.Key.Key_F2)  # edit the name, as a double-click does
    editor = history.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "baseline")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: history.table.item(0, 0).text() == "baseline")  # committed queued
    runs = list_runs(runs_directory(path))
    assert runs[0].name == "baseline"

    # delete the second one
    history.confirm_delete = lambda parent, names: names == [runs[1].name]
    _click_row(qtbot, history.table, 1)
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.table.rowCount() == 1)
    assert not runs[1].path.exists()
    assert history.table.item(0, 0).text() == "baseline"
    window.close()


def test_an_unsaved_project_says_its_runs_are_not_kept(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    panel = window.show_training_panel()
    assert panel.history.table.rowCount() == 0
    assert "Save the project" in panel.history.note.text()
