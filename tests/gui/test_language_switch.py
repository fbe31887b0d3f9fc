"""View › Language switches the editor live: menus, docks, panels, plots and the status bar
change at once, through the real menu, and back again."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

import i18n
from gui.language import apply_language
from tests.gui.test_language import ALLOWED_ENGLISH, code_names, english_in, visible_texts
from tests.gui.window_helpers import EXAMPLES, isolate, make_window


def menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def palette_items(window) -> dict[str, list[str]]:
    """Each category of the palette -> the layer types under it, as shown."""
    tree = window.palette.tree
    categories = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return {c.text(0): [c.child(i).text(0) for i in range(c.childCount())] for c in categories}


def click_menu_path(qtbot, window, *texts: str) -> None:
    """Open the menu bar's menu `texts[0]`, then each submenu, and click the last item, with the
    mouse as a person does."""
    bar = window.menuBar()
    action = next(a for a in bar.actions() if a.text() == texts[0])
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(action).center())
    menu: QMenu = action.menu()
    qtbot.waitUntil(menu.isVisible)
    for text in texts[1:]:
        item = next(a for a in menu.actions() if a.text() == text)
        point: QPoint = menu.actionGeometry(item).center()
        qtbot.mouseMove(menu, point)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=point)
        if item.menu() is not None:
            menu = item.menu()
            qtbot.waitUntil(menu.isVisible)


def test_choosing_chinese_in_the_menu_changes_the_open_window_at_once(
    qtbot, monkeypatch, tmp_path, qapp
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    try:
        assert window.files.open_path(EXAMPLES / "broken" / "lenet_mismatch.json", ask=False)
        window.select_nodes(["fc1"])
        window.show_training_panel()
        qtbot.waitUntil(lambda: window.training_panel is not None)
        assert menu_titles(window)[:3] == ["&File", "&Edit", "&View"]

        click_menu_path(qtbot, window, "&View", "&Language", "简体中文")
        qtbot.waitUntil(lambda: menu_titles(window)[0] == "文件(&F)")
        assert i18n.language() == "zh_CN" and window.act.languages["zh_CN"].isChecked()
        assert menu_titles(window)[:3] == ["文件(&F)", "编辑(&E)", "视图(&V)"]
        assert window.palette_dock.windowTitle() != "Layers"
        texts = visible_texts(window)
        assert any("期望 576 个输入特征" in t for t in texts)  # the problems list
        leftover = english_in(texts, ALLOWED_ENGLISH | code_names(window))
        assert leftover == [], "\n".join(leftover)
        plots = window.training_panel.dashboard.plots
        assert plots.loss_plot.getAxis("bottom").labelText == "轮次"
        # the category Linear is 全连接层; the layer type Linear (torch's name) stays as it is
        assert palette_items(window)["全连接层"][:2] == ["Linear", "Bilinear"]
        assert "简体中文" in window.statusBar().currentMessage()
        # the canvas nodes draw their texts again ("156 params" on conv1)
        assert window.canvas.canvas_scene.nodes["conv1"].params_text == "156 个参数"

        click_menu_path(qtbot, window, "视图(&V)", "语言(&L)", "English")
        qtbot.waitUntil(lambda: menu_titles(window)[0] == "&File")
        assert window.palette_dock.windowTitle() == "Layers"
        assert palette_items(window)["Linear"][:2] == ["Linear", "Bilinear"]
        assert plots.loss_plot.getAxis("bottom").labelText == "epoch"
        assert any("expects 576 input features" in t for t in visible_texts(window))
        assert window.canvas.canvas_scene.nodes["conv1"].params_text == "156 params"
    finally:
        apply_language(qapp, "en")


def test_a_new_drawing_is_untitled_in_the_windows_language(qtbot, monkeypatch, tmp_path, qapp):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    try:
        window.act.new.trigger()
        assert window.windowTitle() == "Netwright — Untitled"
        window.act.languages["zh_CN"].trigger()
        qtbot.waitUntil(lambda: window.windowTitle() == "Netwright — 未命名")
        assert window.document.project.name == "Untitled"  # the file's data stays as it is
    finally:
        apply_language(qapp, "en")
