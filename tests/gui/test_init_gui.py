"""The inspector's Initialisation section, driven with the keyboard: choosing normal(0, 0.01)
for a Linear's weight is one undo step and reaches the exported code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from codegen.model_gen import generate_model
from tests.gui.window_helpers import copy_example, isolate, make_window, press


def test_choosing_a_scheme_and_its_std_sets_the_nodes_init(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path, "mlp.json"))
    window.activateWindow()
    qtbot.waitActive(window)
    project = window.document.project
    window.select_nodes(["hidden"])
    box = window.inspector.init
    qtbot.waitUntil(lambda: "weight" in box.editors and "bias" in box.editors)
    kinds = box.editors["weight"]
    kinds.setFocus()
    QTest.keyClick(kinds, Qt.Key.Key_Down)  # default -> normal
    qtbot.waitUntil(lambda: project.node("hidden").init.get("weight", {}).get("kind") == "normal")
    qtbot.waitUntil(lambda: "weight:std" in box.editors)
    std = box.editors["weight:std"]
    std.setFocus()
    QTest.keyClick(std, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(std, "0.01")
    QTest.keyClick(std, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: project.node("hidden").init["weight"].get("std") == 0.01)
    assert project.node("hidden").init == {"weight": {"kind": "normal", "std": 0.01}}
    source = generate_model(project).source
    assert "nn.init.normal_(self.hidden.weight, mean=0.0, std=0.01)" in source
    window.canvas.setFocus()
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.node("hidden").init == {"weight": {"kind": "normal"}}
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.node("hidden").init == {}
