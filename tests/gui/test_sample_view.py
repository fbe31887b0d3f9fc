"""One sample through the network, in the editor: before training the Sample dock shows a grid of
heatmaps for a conv node and the canvas a thumbnail under each node, computed off the GUI thread;
a vector node shows bars, the output class probabilities that sum to 1; clicking a node shows its
full view; during a run the view updates live, and after it shows the final weights."""

import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from graph import load_project, save_project
from gui.training.sample_thumbs import CHUNK
from runtime.sample_probe import DrawingProbe
from tests.gui.window_helpers import EXAMPLES, isolate, make_window
from tests.runtime.conftest import chain

TIMEOUT_MS = 90_000


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def small_cnn(epochs=40):
    layers = [
        ("Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1}),
        ("ReLU", {}),
        ("Flatten", {}),
        ("Linear", {"out_features": 10}),
    ]
    training = {"dataset": "digits", "epochs": epochs, "device": "cpu", "batch_size": 16}
    project = chain("Sample CNN", [1, 8, 8], layers, **training)
    for i, node in enumerate(project.nodes):
        node.pos = (0.0, 150.0 * i)
    return project


def open_window(qtbot, monkeypatch, tmp_path, project):
    isolate(monkeypatch, tmp_path)
    path = tmp_path / "cnn.json"
    save_project(project, path)
    window = make_window(qtbot)
    window.resize(1400, 900)
    assert window.files.open_path(path, ask=False)
    return window


def click_node(qtbot, window, node_id):
    window.canvas.fit_to_view()
    item = window.canvas.canvas_scene.nodes[node_id]
    where = window.canvas.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_before_training_a_conv_node_shows_a_grid_and_every_node_a_thumbnail(
    qtbot, monkeypatch, tmp_path
):
    window = open_window(qtbot, monkeypatch, tmp_path, small_cnn())
    window.act.sample_view.trigger()  # Train › Sample Through the Network
    samples = window.training.panel.samples
    assert samples.dock.isVisible() and samples.busy()  # asked, and computing elsewhere
    qtbot.waitUntil(lambda: samples.latest is not None, timeout=TIMEOUT_MS)
    assert samples.latest.weights == "initial" and samples.latest.error == ""
    qtbot.waitUntil(lambda: samples.thumbs.pixmap_of("conv2d1") is not None, timeout=TIMEOUT_MS)
    for node_id in ("x", "conv2d1", "relu2", "flatten3", "linear4", "out"):
        pixmap = samples.thumbs.pixmap_of(node_id)
        assert pixmap is not None and not pixmap.isNull(), node_id

    # nothing selected: the full view shows the output's class probabilities, summing to 1
    view = samples.view
    assert view.shown_kind == "probabilities"
    heights = view.bar_item.opts["height"]
    assert len(heights) == 10 and float(np.sum(heights)) == pytest.approx(1.0, 1e-5)

    click_node(qtbot, window, "conv2d1")
    assert samples.node == "conv2d1" and view.shown_kind == "maps"
    image = view.image_item.image  # 8 channels of 8×8 in a grid, one-pixel gaps
    assert image.shape[2] == 4 and image.shape[0] > 8 and image.shape[1] > 8
    assert "conv2d1" in view.title.text() and "8×8×8" in view.title.text()

    click_node(qtbot, window, "linear4")
    assert view.shown_kind == "bars" and len(view.bar_item.opts["height"]) == 10

    # in another language the texts made with fields are said again at once
    try:
        window.set_language("zh_CN")
        qtbot.waitUntil(lambda: "样本 0" in view.info.text())
        assert "输出" in view.title.text() and samples.dock.windowTitle() == "样本"
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: "Sample 0" in view.info.text())

    # another sample: Next asks for it, and the answer comes back for that index
    first = samples.latest.nodes["x"].values.copy()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: samples.latest.index == 1, timeout=TIMEOUT_MS)
    assert not np.array_equal(samples.latest.nodes["x"].values, first)
    assert view.index.value() == 1 and "Sample 1" in view.info.text()

    # an edit: the network is built and run again, on a thread that is not the GUI's
    probe_threads = []
    real_run = DrawingProbe.run

    def run_and_note_the_thread(self, *args, **kwargs):
        probe_threads.append(threading.get_ident())
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(DrawingProbe, "run", run_and_note_the_thread)
    window.document.set_param("conv2d1", "out_channels", 12)
    qtbot.waitUntil(lambda: samples.latest.nodes["conv2d1"].shape[0] == 12, timeout=TIMEOUT_MS)
    assert probe_threads and threading.get_ident() not in probe_threads
    window.close()


def test_during_a_run_the_view_updates_live_and_after_it_shows_the_final_weights(
    qtbot, monkeypatch, tmp_path
):
    window = open_window(qtbot, monkeypatch, tmp_path, small_cnn(epochs=40))
    window.show_sample_view()
    panel = window.training.panel
    samples = panel.samples
    qtbot.waitUntil(lambda: samples.latest is not None, timeout=TIMEOUT_MS)
    click_node(qtbot, window, "conv2d1")
    before = samples.latest.nodes["conv2d1"].values.copy()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: samples.latest.weights == "live" and samples.latest.step > 0, timeout=TIMEOUT_MS
    )
    first = samples.latest
    qtbot.waitUntil(lambda: samples.latest.step > first.step, timeout=TIMEOUT_MS)
    live = samples.latest
    assert samples.view.shown_kind == "maps" and panel.is_running()
    assert not np.array_equal(live.nodes["conv2d1"].values, before)  # the weights moved
    pixmap = samples.thumbs.pixmap_of("conv2d1")
    assert pixmap is not None and not pixmap.isNull()
    with qtbot.waitSignal(panel.runFinished, timeout=TIMEOUT_MS):
        panel.stop()
    qtbot.waitUntil(lambda: samples.latest.weights == "final", timeout=TIMEOUT_MS)
    assert samples.latest.error == "" and samples.view.shown_kind == "maps"
    # moving a node keeps the network and its weights; changing a layer does not
    window.document.move_nodes({"relu2": (40.0, 300.0)})
    assert samples.final_weights is not None
    window.document.set_param("linear4", "bias", False)
    assert samples.final_weights is None
    qtbot.waitUntil(lambda: samples.latest.weights == "initial", timeout=TIMEOUT_MS)
    window.close()


def test_closing_the_dock_stops_the_thumbnails(qtbot, monkeypatch, tmp_path):
    window = open_window(qtbot, monkeypatch, tmp_path, small_cnn())
    window.show_sample_view()
    samples = window.training.panel.samples
    qtbot.waitUntil(lambda: samples.thumbs.pixmap_of("x") is not None, timeout=TIMEOUT_MS)
    samples.dock.toggleViewAction().trigger()
    assert not samples.active and samples.thumbs.pixmap_of("x") is None
    window.close()


def test_inside_an_opened_block_the_inner_nodes_show_their_own_outputs(
    qtbot, monkeypatch, tmp_path
):
    window = open_window(
        qtbot, monkeypatch, tmp_path, load_project(EXAMPLES / "nested_blocks.json")
    )
    window.show_sample_view()
    samples = window.training.panel.samples
    qtbot.waitUntil(lambda: samples.thumbs.pixmap_of("b2") is not None, timeout=TIMEOUT_MS)
    assert window.document.open_block("b2") and window.document.open_block("blocks")
    qtbot.waitUntil(lambda: samples.thumbs.pixmap_of("fc1") is not None, timeout=TIMEOUT_MS)
    assert samples.thumbs.pixmap_of("relu2") is not None
    click_node(qtbot, window, "fc1")
    assert samples.key() == "b2/blocks/fc1" and samples.view.shown_kind == "bars"
    assert len(samples.view.bar_item.opts["height"]) == 8  # Linear(4, 8) of the first copy
    window.close()


def test_a_large_drawing_gets_its_thumbnails_a_chunk_at_a_time_those_in_sight_first(
    qtbot, monkeypatch, tmp_path
):
    layers = [("Linear", {"out_features": 8}), ("ReLU", {})] * 60 + [
        ("Linear", {"out_features": 10})
    ]
    project = chain("Deep MLP", [64], layers, dataset="digits", device="cpu")
    for i, node in enumerate(project.nodes):
        node.pos = (0.0, 130.0 * i)
    window = open_window(qtbot, monkeypatch, tmp_path, project)
    window.show_sample_view()
    samples = window.training.panel.samples
    qtbot.waitUntil(lambda: samples.latest is not None, timeout=TIMEOUT_MS)
    thumbs = samples.thumbs
    window.act.zoom_reset.trigger()  # actual size: a few nodes in sight
    window.canvas.centerOn(window.canvas.canvas_scene.nodes["out"])  # the foot of the drawing
    thumbs.clear()
    thumbs.show(samples.latest, "")  # as a new answer does
    nodes = window.canvas.canvas_scene.nodes
    painted = [n for n in nodes if thumbs.pixmap_of(n) is not None]
    assert len(painted) == CHUNK < len(nodes)  # one chunk now, the rest in later turns
    # the foot first (in sight), then the rest in order: the middle waits for a later turn
    assert thumbs.pixmap_of("linear121") is not None and thumbs.pixmap_of("linear61") is None
    qtbot.waitUntil(lambda: all(thumbs.pixmap_of(n) is not None for n in nodes), timeout=TIMEOUT_MS)
    window.close()


def test_the_thumbnails_and_the_full_view_follow_the_dark_theme_and_back(
    qtbot, monkeypatch, tmp_path
):
    window = open_window(qtbot, monkeypatch, tmp_path, small_cnn())
    window.show_sample_view()
    samples = window.training.panel.samples
    qtbot.waitUntil(lambda: samples.thumbs.pixmap_of("linear4") is not None, timeout=TIMEOUT_MS)

    def card(node_id):  # the thumbnail's background, just inside its frame
        return samples.thumbs.pixmap_of(node_id).toImage().pixelColor(3, 3)

    def plot_background():
        return samples.view.plots.backgroundBrush().color()

    def bar_colour():
        return samples.view.bar_item.opts["brushes"][1].color()  # not the predicted class

    assert card("linear4").lightness() > 200 and plot_background().lightness() > 200
    light_bars = bar_colour().name()
    try:
        window.act.theme_dark.trigger()  # View › Theme › Dark
        scene = window.canvas.canvas_scene
        qtbot.waitUntil(lambda: card("linear4").lightness() < 80)
        for node_id in ("x", "conv2d1", "out"):  # every node's card, on the node's own colour
            assert abs(card(node_id).lightness() - scene.style.node_fill.lightness()) < 12
        assert plot_background().lightness() < 80
        assert bar_colour().lightness() > QColor(light_bars).lightness()  # lighter on dark
    finally:
        window.act.theme_light.trigger()
    qtbot.waitUntil(lambda: card("linear4").lightness() > 200)
    assert plot_background().lightness() > 200 and bar_colour().name() == light_bars
    window.close()
