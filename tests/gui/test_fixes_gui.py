"""Fixes in the editor: the light bulb in the Problems list, on the node badge and in the
inspector, and Ctrl+.; each fix is one undo step. Driven with real clicks and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.canvas_support import node_centre, to_view
from tests.gui.window_helpers import copy_example, isolate, make_window, press

FIXED = "Set in_features of 'fc1' to 400 (what arrives)"


def open_lenet(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.refresh()
    window.canvas.canvas_scene.flush()
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def choose_first(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.fix_menu is not None and window.fix_menu.isVisible())
    menu = window.fix_menu
    assert menu.actions()[0].text() == FIXED
    assert not menu.actions()[0].icon().isNull()  # the light bulb, drawn (no emoji font needed)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.document.project.validate().valid)
    qtbot.waitUntil(lambda: not menu.isVisible())


def in_features(window):
    return window.document.project.node("fc1").params.get("in_features")


def test_the_problems_list_light_bulb_offers_the_fix_and_one_undo_takes_it_back(
    qtbot, tmp_path, monkeypatch
):
    window = open_lenet(qtbot, tmp_path, monkeypatch)
    panel = window.problems
    item = panel.topLevelItem(0)
    assert not item.icon(2).isNull()  # the light bulb
    rect = panel.visualItemRect(item)
    cell = rect.adjusted(panel.columnViewportPosition(2) - rect.left(), 0, 0, 0).center()
    cell.setX(panel.columnViewportPosition(2) + panel.columnWidth(2) // 2)
    QTest.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    steps = window.document.undo_stack.count()
    choose_first(qtbot, window)
    assert in_features(window) == 400
    assert window.document.undo_stack.count() == steps + 1
    assert window.document.undo_stack.undoText() == FIXED
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert in_features(window) == 576


def test_ctrl_dot_on_the_selected_node_opens_its_fixes(qtbot, tmp_path, monkeypatch):
    window = open_lenet(qtbot, tmp_path, monkeypatch)
    view = window.canvas
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(view, node_centre(view, "fc1"))
    )
    assert window.selected_node_ids() == ["fc1"]
    press(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    choose_first(qtbot, window)
    assert in_features(window) == 400


def test_the_badge_shows_a_light_bulb_and_clicking_it_offers_the_fixes(
    qtbot, tmp_path, monkeypatch
):
    window = open_lenet(qtbot, tmp_path, monkeypatch)
    view = window.canvas
    badge = view.canvas_scene.nodes["fc1"].badge
    assert badge.isVisible() and badge.fixable
    assert not view.canvas_scene.nodes["conv1"].badge.isVisible()
    view.centerOn(badge)
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(view, badge.scenePos())
    )
    choose_first(qtbot, window)
    assert in_features(window) == 400


def test_the_inspector_lists_the_fixes_of_the_selected_node_as_buttons(
    qtbot, tmp_path, monkeypatch
):
    window = open_lenet(qtbot, tmp_path, monkeypatch)
    window.select_nodes(["fc1"])
    box = window.inspector.fixes
    qtbot.waitUntil(lambda: len(box.buttons) == 2)
    assert [b.text() for b in box.buttons] == [
        FIXED,
        "Unpin in_features of 'fc1' (infer it from the input)",
    ]
    QTest.mouseClick(box.buttons[1], Qt.MouseButton.LeftButton)
    assert in_features(window) is None
    assert window.document.project.validate().valid
    window.refresh()
    qtbot.waitUntil(lambda: not box.isVisible() or not box.buttons)
