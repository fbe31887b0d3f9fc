""" "Why this shape?" and the cost in the inspector, the formula on the output shape's tooltip,
and the network's cost in the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.canvas_support import node_centre, to_view
from tests.gui.window_helpers import copy_example, isolate, make_window


def test_selecting_a_conv_shows_its_arithmetic_and_cost(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path, "lenet5.json"))
    window.canvas.canvas_scene.flush()
    view = window.canvas
    view.centerOn(view.canvas_scene.nodes["conv2"])
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(view, node_centre(view, "conv2"))
    )
    assert window.selected_node_ids() == ["conv2"]
    box = window.inspector.explain
    qtbot.waitUntil(lambda: box.formulas.isVisible())
    assert box.formulas.text().splitlines() == [
        "C_out = out_channels = 16",
        "H_out = ⌊(14 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 10",
        "W_out = ⌊(14 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 10",
        "parameters = 16 × (6 × 5 × 5) + 16 = 2416",
    ]
    assert window.inspector.shape_out.toolTip() == box.formulas.text()
    assert box.cost.text() == "240.0k MACs · output 6.4kB · parameters 9.7kB"
    node_tip = view.canvas_scene.nodes["conv2"].toolTip()
    assert "  H_out = ⌊(14 + 2·0 − 1·(5 − 1) − 1) / 1⌋ + 1 = 10" in node_tip.splitlines()


def test_the_status_bar_totals_macs_and_memory(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path, "lenet5.json"))
    window.refresh()
    assert window.cost_label.text() == "416.5k MACs · 63.1kB per sample"
    assert window.cost_label.toolTip() == (
        "Training memory for a batch of 64 with adam: about 9.1MB"
    )
