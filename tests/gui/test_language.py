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
    assert "简体中文" in window.statusBar().currentMessage()

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
