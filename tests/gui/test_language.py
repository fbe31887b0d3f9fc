"""View › Language: English or 简体中文, remembered, with Qt's own dialogs in the same language."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

import i18n
from gui.language import apply_language, chosen_language, system_language
from gui.settings import AppSettings
from tests.gui.window_helpers import isolate, make_window


def menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_the_view_menu_offers_each_language_named_in_itself(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    assert [a.text() for a in window.act.languages.values()] == ["English", "简体中文"]
    assert window.act.languages["en"].isChecked()


def test_choosing_chinese_is_remembered_and_the_next_window_speaks_it(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    assert menu_titles(window)[0] == "&File"
    window.act.languages["zh_CN"].trigger()
    assert i18n.language() == "zh_CN"
    assert AppSettings().language == "zh_CN"
    qtbot.waitUntil(lambda: "简体中文" in window.statusBar().currentMessage())

    again = make_window(qtbot)
    assert menu_titles(again)[:3] == ["文件(&F)", "编辑(&E)", "视图(&V)"]
    assert again.act.languages["zh_CN"].isChecked()


def test_qt_standard_dialog_buttons_follow_the_language(qapp):
    apply_language(qapp, "zh_CN")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    apply_language(qapp, "en")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_without_a_setting_the_language_follows_the_system():
    assert chosen_language(None) == system_language()
    assert chosen_language("zh_CN") == "zh_CN"
    assert chosen_language("klingon") == system_language()


# English that may appear in the Chinese editor: torch's and the drawing's own names, keys,
# units and code. Everything else a person reads must be Chinese.
ALLOWED_ENGLISH = {
    *("Netwright", "PyTorch", "torch", "Ctrl", "Shift", "Del", "Tab", "Enter", "Esc", "Escape"),
    *("CPU", "GPU", "cuda", "mps", "RMSE", "JSON", "state_dict", "Adam", "AdamW", "SGD"),
    *("RMSprop", "Smooth", "One", "cycle", "BCE", "logits", "ETA", "csv", "npz", "py", "pt"),
    *("pth", "None", "True", "False", "id", "LeNet", "MNIST", "xW", "model", "Nesterov"),
    "English",  # View › Language names each language in itself
    *("B", "kB", "MB", "GB"),  # memory units, as torch and the docs write them
    *("compile", "fp32", "bf16", "fp16", "autocast", "GradScaler", "DataLoader"),  # torch's speed
    *("TensorBoard", "tensorboard", "logdir"),  # a tool and its command
    *("ONNX", "TorchScript", "export"),  # File › Export's formats (torch.export's program)
}


def code_names(window) -> set[str]:
    from graph import all_specs
    from recipe.data import BUILTIN_DATASETS

    names = {n.name for n in window.document.project.nodes}
    names |= {n.id for n in window.document.project.nodes}
    for spec in all_specs():
        names.update((spec.type, *spec.inputs, *spec.outputs, *(p.name for p in spec.params)))
    names |= {o for spec in all_specs() for p in spec.params for o in p.choices}
    names |= set(BUILTIN_DATASETS)
    names |= {"weight", "bias"}  # a module's tensors (state_dict keys), named as in the code
    return names


def english_in(texts: list[str], allowed: set[str]) -> list[str]:
    import re

    found = []
    for text in texts:
        plain = re.sub(r"&(?=\w)", "", text)  # menu mnemonics
        # words, not the exponent of a number written like 1e3
        words = set(re.findall(r"(?<![0-9])[A-Za-z][A-Za-z0-9_]+", plain)) - allowed
        if words:
            found.append(f"{text!r}: {sorted(words)}")
    return found


def visible_texts(window) -> list[str]:
    """What a person reads: menus (file names in Recent/Examples aside), dock and tab titles,
    labels, buttons, group boxes, the problems list and the inspector."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QDockWidget,
        QGroupBox,
        QLabel,
        QMenu,
        QTabWidget,
        QTreeWidget,
    )

    texts: list[str] = []

    def walk_menu(menu: QMenu) -> None:
        for action in menu.actions():
            if action.text():
                texts.append(action.text())
            sub = action.menu()
            if sub is not None and sub not in (window.act.recent_menu, window.act.examples_menu):
                walk_menu(sub)

    for action in window.menuBar().actions():
        texts.append(action.text())
        walk_menu(action.menu())
    for dock in window.findChildren(QDockWidget):
        texts.append(dock.windowTitle())
    for tabs in window.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for widget in window.findChildren(QLabel):
        texts.append(widget.text())
    for widget in window.findChildren(QAbstractButton):
        texts += [widget.text(), widget.toolTip()]
    for widget in window.findChildren(QGroupBox):
        texts.append(widget.title())
    for tree in window.findChildren(QTreeWidget):
        header = tree.headerItem()
        texts += [header.text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            texts += [item.text(c) for c in range(tree.columnCount())]
    return [t for t in texts if t]


def test_the_editor_in_chinese_shows_no_english_in_menus_panels_and_problems(
    qtbot, monkeypatch, tmp_path, qapp
):
    from tests.gui.window_helpers import EXAMPLES

    isolate(monkeypatch, tmp_path)
    apply_language(qapp, "zh_CN")
    window = make_window(qtbot)
    assert window.files.open_path(EXAMPLES / "broken" / "lenet_mismatch.json", ask=False)
    window.select_nodes(["fc1"])
    window.show_training_panel()
    qtbot.waitUntil(lambda: window.training_panel is not None)
    texts = visible_texts(window)
    assert any("期望 576 个输入特征" in t for t in texts)  # the problems list, in Chinese
    leftover = english_in(texts, ALLOWED_ENGLISH | code_names(window))
    assert leftover == [], "\n".join(leftover)
