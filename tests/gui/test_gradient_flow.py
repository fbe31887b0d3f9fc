"""Gradient flow on the canvas: during a run the nodes are tinted by the chosen statistic and
the tint changes as the network learns; a ReLU behind a large negative bias is flagged dead on
its node; clicking a node shows its statistic's history in the inspector; inside an opened block
the inner nodes are tinted and have their own history."""

import pytest
from PySide6.QtCore import Qt

from graph import load_project, save_project
from tests.gui.window_helpers import EXAMPLES, isolate, make_window
from tests.runtime.conftest import chain

RUN_TIMEOUT_MS = 90_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def dead_relu_mlp():
    layers = [
        ("Linear", {"out_features": 16}),
        ("ReLU", {}),
        ("Linear", {"out_features": 32}),
        ("ReLU", {}),
        ("Linear", {"out_features": 10}),
    ]
    project = chain("Dead ReLU", [64], layers, dataset="digits", epochs=30, device="cpu")
    project.node("linear1").init = {"bias": {"kind": "constant", "val": -100.0}}
    for i, node in enumerate(project.nodes):
        node.pos = (0.0, 140.0 * i)
    return project


def test_the_tint_changes_during_a_run_and_a_dead_relu_is_flagged(qtbot, monkeypatch, tmp_path):
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "dead.json"
    save_project(dead_relu_mlp(), path)
    window = make_window(qtbot)
    window.resize(1400, 900)
    assert window.files.open_path(path, ask=False)
    panel = window.show_training_panel()
    flow = panel.layer_stats
    assert flow is not None and flow.view.collect.isChecked()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.tint_of("linear5") is not None, timeout=RUN_TIMEOUT_MS)
    first = flow.tint_of("linear5").name()  # on the fixed scale from 1e-7 (blue) to 1e3 (red)
    qtbot.waitUntil(
        lambda: panel.is_running() and flow.tint_of("linear5").name() != first,
        timeout=RUN_TIMEOUT_MS,
    )
    assert "dead ReLUs" in flow.warning_of("relu2")
    assert "vanishing gradient" in flow.warning_of("linear1")
    assert flow.warning_of("linear5") == ""

    # click linear5 on the canvas: its gradient-norm history is drawn in the inspector
    window.canvas.fit_to_view()
    item = window.canvas.canvas_scene.nodes["linear5"]
    where = window.canvas.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert flow.node == "linear5"
    qtbot.waitUntil(lambda: len(flow.curve_data[0]) >= 2, timeout=RUN_TIMEOUT_MS)
    steps, norms = flow.curve_data
    assert steps == sorted(steps) and min(norms) > 0
    assert len(flow.view.curve.getData()[0]) == len(steps)  # the plotted history
    assert window.inspector.widget().isAncestorOf(flow.view.plots)
    assert window.inspector.label_edit.text() == "" and flow.view.plots.isVisible()

    # another statistic re-tints: the dead ReLU is at the top of the dead-fraction scale
    flow.view.statistic.setCurrentIndex(flow.view.statistic.findData("dead_fraction"))
    assert flow.tint_of("relu2").name() == "#d7191c"
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS):
        panel.stop()
    window.close()


def test_inside_an_opened_block_the_inner_nodes_are_tinted_and_keep_their_history(
    qtbot, monkeypatch, tmp_path
):
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "nested.json"
    project = load_project(EXAMPLES / "nested_blocks.json")
    project.set_training({**project.training, "epochs": 200, "device": "cpu"})
    save_project(project, path)
    window = make_window(qtbot)
    window.resize(1400, 900)
    assert window.files.open_path(path, ask=False)
    panel = window.show_training_panel()
    flow = panel.layer_stats
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.tint_of("fc") is not None, timeout=RUN_TIMEOUT_MS)
    assert "b2/blocks/fc1" in flow.history.latest  # statistics of a node two blocks down
    assert window.document.open_block("b2") and window.document.open_block("blocks")
    qtbot.waitUntil(lambda: flow.tint_of("fc1") is not None, timeout=RUN_TIMEOUT_MS)
    assert flow.tint_of("fc") is None  # the top level's fc is not this drawing's node
    window.canvas.fit_to_view()
    item = window.canvas.canvas_scene.nodes["fc1"]
    where = window.canvas.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert flow.node == "b2/blocks/fc1"
    flow.view.statistic.setCurrentIndex(flow.view.statistic.findData("act_std"))
    qtbot.waitUntil(lambda: len(flow.curve_data[0]) >= 2, timeout=RUN_TIMEOUT_MS)
    _steps, spreads = flow.curve_data
    assert spreads[-1] == flow.history.latest["b2/blocks/fc1"]["act_std"]
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT_MS):
        panel.stop()
    window.close()
