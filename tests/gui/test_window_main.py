"""The main window: title, status bar, menus with undo/redo, the problems list, the training
slot, persistence of the layout, and errors that never take the app down."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMenu

from gui.app import install_exception_hook
from gui.main_window import MainWindow
from gui.settings import AppSettings
from gui.theme import DARK, LIGHT
from tests.gui.window_helpers import (
    EXAMPLES,
    ScriptedDialogs,
    copy_example,
    isolate,
    make_window,
    press,
)


def _menu_action(window, menu_title: str, text: str):
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu_title:
            for action in top.menu().actions():
                if action.text().replace("&", "").startswith(text):
                    return action
    raise AssertionError(f"no {menu_title} › {text}")


def test_window_has_palette_canvas_inspector_and_bottom_tabs(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    area = window.dockWidgetArea
    assert area(window.palette_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert area(window.inspector_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert area(window.bottom_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    tabs = [window.bottom_tabs.tabText(i) for i in range(window.bottom_tabs.count())]
    assert tabs == ["Problems", "Code", "Training"]
    assert window.centralWidget() is window.canvas


def test_title_names_the_project_and_marks_unsaved_changes(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    assert window.windowTitle() == "Netwright — LeNet"
    window.document.rename_project("Mine")
    qtbot.waitUntil(lambda: window.windowTitle() == "Netwright — Mine *")
    window.act.undo.trigger()
    qtbot.waitUntil(lambda: window.windowTitle() == "Netwright — LeNet")


def test_status_bar_shows_validity_total_parameters_and_zoom(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    report = window.document.project.validate()
    assert window.validity_label.text().endswith("1 error")
    assert window.params_label.text() == f"{report.total_params:,} parameters"
    window.canvas.set_zoom(150)
    assert window.findChild(QLabel, "zoom").text() == "150%"

    window.document.set_param("fc1", "in_features", 400)
    qtbot.waitUntil(lambda: window.validity_label.text().endswith("Valid"))
    total = window.document.project.validate().total_params
    assert window.params_label.text() == f"{total:,} parameters"


def test_undo_and_redo_through_the_edit_menu(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    project = window.document.project
    window.document.set_param("conv1", "out_channels", 16)
    window.document.set_label("conv1", "features")

    undo = _menu_action(window, "Edit", "Undo")
    redo = _menu_action(window, "Edit", "Redo")
    assert undo.text() == "&Undo Rename 'conv1'"
    undo.trigger()
    undo.trigger()
    assert project.node("conv1").params["out_channels"] == 6 and project.node("conv1").label is None
    assert not undo.isEnabled() and window.windowTitle() == "Netwright — LeNet"
    redo.trigger()
    assert project.node("conv1").params["out_channels"] == 16


def test_usual_shortcuts_undo_redo_and_delete(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.activateWindow()
    qtbot.waitActive(window)
    project = window.document.project
    window.select_nodes(["relu1"])
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)

    press(window, Qt.Key.Key_Delete)
    assert not project.has_node("relu1")
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.has_node("relu1") and len(project.edges) == 9
    press(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not project.has_node("relu1")
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert not project.has_node("relu1")


def test_copy_paste_and_duplicate_through_the_menu(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    project = window.document.project
    window.select_nodes(["conv1", "relu1"])
    _menu_action(window, "Edit", "Copy").trigger()
    _menu_action(window, "Edit", "Paste").trigger()
    assert len(project.nodes) == 12
    _menu_action(window, "Edit", "Duplicate").trigger()
    assert len(project.nodes) == 14
    window.act.undo.trigger()
    window.act.undo.trigger()
    assert len(project.nodes) == 10


def test_clicking_a_problem_selects_its_node(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    panel = window.problems
    item = panel.topLevelItem(0)
    assert item.text(0) == "fc1" and "expects 576 input features" in item.text(1)

    point = panel.visualItemRect(item).center()
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=point)

    assert window.selected_node_ids() == ["fc1"]
    assert window.inspector.label_edit.placeholderText() == "fc1"


def test_the_training_tab_builds_the_training_panel_when_first_opened(qtbot, tmp_path, monkeypatch):
    from gui.training.panel import TrainingPanel

    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    assert window.training_panel is None  # startup does not pay for pyqtgraph
    tabs = window.bottom_tabs.tabBar()

    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())

    panel = window.training_panel
    assert isinstance(panel, TrainingPanel) and panel.isVisible()
    panel.runFailedAtNode.emit("conv2")  # a run that failed in conv2 points at it
    assert window.selected_node_ids() == ["conv2"]


def test_another_training_panel_can_take_the_slot(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    panel = QLabel("plots")
    window.add_training_panel(panel, "Runs")
    assert window.show_training_panel() is panel
    assert window.bottom_tabs.tabText(window.bottom_tabs.currentIndex()) == "Runs"


def test_read_only_document_disables_editing(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.select_nodes(["conv1"])
    window.document.set_read_only(True)
    assert not window.act.delete.isEnabled() and window.act.copy.isEnabled()
    assert not window.inspector.rows["out_channels"].editor.isEnabled()
    window.document.set_read_only(False)
    assert window.act.delete.isEnabled()


def test_layout_and_recent_files_persist_between_launches(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    first = make_window(qtbot)
    first.files.open_path(copy_example(tmp_path))
    first.inspector_dock.hide()
    first.resize(700, 500)  # the offscreen screen is 800×600
    first.close()

    second = make_window(qtbot)
    assert second.inspector_dock.isHidden()
    assert (second.width(), second.height()) == (700, 500)
    second.act.recent_menu.aboutToShow.emit()
    assert "lenet.json" in [a.text() for a in second.act.recent_menu.actions()]


def test_theme_switch_repaints_with_the_dark_palette_and_is_remembered(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    try:
        window.act.theme_dark.trigger()
        assert QApplication.palette().window().color().name() == DARK.window
        assert window.settings.theme == "dark"
    finally:
        window.act.theme_light.trigger()
    assert QApplication.palette().window().color().name() == LIGHT.window


def test_examples_menu_names_every_example_by_its_description(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    menu: QMenu = window.act.examples_menu
    menu.aboutToShow.emit()

    def leaves(m: QMenu) -> list[QAction]:
        return [n for a in m.actions() for n in (leaves(a.menu()) if a.menu() else [a])]

    examples = window.files.examples()
    shown = leaves(menu)
    assert len(shown) == len(examples)
    by_tip = {a.toolTip().rsplit(" — ", 1)[-1]: a.text() for a in shown}
    assert by_tip["lenet5.json"] == "LeNet-5 (5×5 convolutions)"
    assert by_tip["sincos_rnn.json"] == "sin → cos RNN"
    stems = {p.stem for p in examples} | {p.stem.replace("_", " ") for p in examples}
    assert not any(a.text().endswith(".json") or a.text() in stems for a in shown)
    assert {p.name for p in examples} >= {"lenet5.json", "lenet_mismatch.json"}
    menu.actions()[0].trigger()
    assert window.document.project.nodes and window.document.path is None


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_exception_shows_a_dialog_and_the_app_keeps_running(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    dialogs = ScriptedDialogs()
    window = make_window(qtbot, dialogs)
    monkeypatch.setattr("sys.excepthook", __import__("sys").excepthook)
    install_exception_hook(window)

    def broken() -> None:
        raise ValueError("a bug in a slot")

    QTimer.singleShot(0, broken)
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=2000)

    ((title, text),) = dialogs.errors
    assert title == "Something went wrong" and "a bug in a slot" in text
    window.add_layer("Input")  # still working
    assert len(window.document.project.nodes) == 1


def test_delete_outside_the_canvas_leaves_the_drawing_alone(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.activateWindow()
    qtbot.waitActive(window)
    window.select_nodes(["relu1"])
    window.problems.setFocus()
    qtbot.waitUntil(window.problems.hasFocus)

    press(window, Qt.Key.Key_Delete)
    assert window.document.project.has_node("relu1")

    _menu_action(window, "Edit", "Delete").trigger()  # the menu works from anywhere
    assert not window.document.project.has_node("relu1")


def test_rename_from_the_edit_menu_edits_the_label_in_place(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.select_nodes(["conv1"])
    _menu_action(window, "Edit", "Rename").trigger()
    editor = window.canvas.rename_editor()
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "features")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.document.project.node("conv1").label == "features"


def test_the_runs_kept_beside_a_trained_example_are_not_listed_as_examples(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    examples = tmp_path / "examples"
    (examples / "runs" / "digits_cnn" / "run-1").mkdir(parents=True)
    shutil.copy(EXAMPLES / "digits_cnn.json", examples / "digits_cnn.json")
    (examples / "runs" / "digits_cnn" / "run-1" / "run.json").write_text("{}", encoding="utf-8")
    window = MainWindow(AppSettings(), ScriptedDialogs(), examples)
    qtbot.addWidget(window)
    assert window.files.examples() == [examples / "digits_cnn.json"]
