"""Starting a run makes room for its curves: in a small window whose bottom dock was left short,
the dock grows so the live plots can be read; a dock the user made taller stays as it is."""

import pytest
from PySide6.QtCore import Qt

from gui.main_window import RUN_DOCK_SHARE
from tests.gui.window_helpers import copy_example, isolate, make_window

RUN_TIMEOUT_MS = 90_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def small_window(qtbot, monkeypatch, tmp_path, dock_height):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.resize(1152, 648)
    assert window.files.open_path(copy_example(tmp_path, "digits_cnn.json"), ask=False)
    panel = window.training.show()  # the Training tab, as a click on it does
    window.document.set_training({**window.document.project.training, "epochs": 200})
    window.resizeDocks([window.bottom_dock], [dock_height], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: abs(window.bottom_dock.height() - dock_height) < 30)
    return window, panel


def start_and_stop(qtbot, panel):
    with qtbot.waitSignal(panel.runStarted, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)  # the dock's new size is laid out
    heights = panel.dashboard.plots.height()
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    return heights


def test_a_short_bottom_dock_grows_when_a_run_starts_so_the_plots_can_be_read(
    qtbot, monkeypatch, tmp_path
):
    window, panel = small_window(qtbot, monkeypatch, tmp_path, dock_height=180)
    plots_height = start_and_stop(qtbot, panel)
    assert window.bottom_dock.height() >= RUN_DOCK_SHARE * window.height() - 10
    assert plots_height >= 200


def test_a_bottom_dock_the_user_made_tall_keeps_its_height(qtbot, monkeypatch, tmp_path):
    window, panel = small_window(qtbot, monkeypatch, tmp_path, dock_height=520)
    before = window.bottom_dock.height()
    start_and_stop(qtbot, panel)
    assert window.bottom_dock.height() == before
