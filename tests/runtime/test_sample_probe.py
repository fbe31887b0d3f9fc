"""One sample through the network: every node's output for one sample, summarised by rank
(feature maps, bars, lines, class probabilities), small and picklable; served by a live run
between batches when asked from another thread, and computed from the drawing before and after."""

import pickle
import threading
import time

import numpy as np
import pytest
import torch

from graph import load_project, project_from_dict
from recipe.config import TrainConfig
from runtime.checkpoints import load_weights
from runtime.datasets import prepare_data
from runtime.events import RunPaused, SampleActivations
from runtime.network import build_network
from runtime.sample_probe import MAX_CHANNELS, DrawingProbe, node_modules, summarize
from runtime.trainer import Trainer
from tests.graph.blocks_helpers import chain as block_chain
from tests.graph.blocks_helpers import project_data
from tests.runtime.conftest import chain

EXAMPLES = "examples"


def small_cnn(**training):
    layers = [
        ("Conv2d", {"out_channels": 20, "kernel_size": 3, "padding": 1}),
        ("ReLU", {}),
        ("Flatten", {}),
        ("Linear", {"out_features": 10}),
    ]
    settings = {"dataset": "digits", "epochs": 1, "device": "cpu", "batch_size": 32}
    return chain("Small CNN", [1, 8, 8], layers, **(settings | training))


def test_a_conv_output_becomes_its_first_channels_as_heatmaps_equal_to_torch():
    project = small_cnn()
    event = DrawingProbe().run(project, 5)
    assert event.error == "" and event.weights == "initial" and event.step == 0
    conv = event.nodes["conv2d1"]
    assert conv.kind == "maps" and conv.shape == (20, 8, 8)
    assert conv.values.shape == (MAX_CHANNELS, 8, 8) and conv.values.dtype == np.uint8
    # the oracle: the same seeded network and sample, run by hand
    network = build_network(project, 0)
    data = prepare_data(TrainConfig.from_training(project.training), network, project)
    network.module.eval()
    expected = network.module.conv2d1(data.X_val[5:6])[0, :MAX_CHANNELS]
    expected = expected.detach().numpy()
    step = (expected.max(axis=(1, 2)) - expected.min(axis=(1, 2)))[:, None, None] / 255
    assert np.all(np.abs(conv.real_values() - expected) <= step / 2 + 1e-6)  # 8 bits a channel
    with torch.no_grad():
        low = float(network.module.conv2d1(data.X_val[5:6]).min())
    assert conv.low == pytest.approx(low, 1e-4)


def test_vectors_are_bars_sequences_lines_and_the_output_class_probabilities():
    event = DrawingProbe().run(small_cnn(), 0)
    assert event.nodes["linear4"].kind == "bars" and event.nodes["linear4"].values.shape == (10,)
    assert event.nodes["flatten3"].kind == "bars" and len(event.nodes["flatten3"].values) == 64
    out = event.nodes["out"]
    assert out.kind == "probabilities" and float(out.values.sum()) == pytest.approx(1.0, 1e-5)
    assert event.nodes["x"].kind == "maps" and event.nodes["x"].values.shape == (1, 8, 8)
    assert event.target in [str(d) for d in range(10)] and "%" in event.predicted
    rnn = DrawingProbe().run(load_project(f"{EXAMPLES}/sincos_rnn.json"), 0)
    assert rnn.nodes["rnn"].kind == "lines" and rnn.nodes["rnn"].values.shape == (8, 20)
    assert rnn.nodes["out"].kind == "bars"  # regression: the predicted values


def test_summaries_are_capped_in_channels_and_size():
    maps = summarize(torch.randn(64, 100, 50))
    assert maps.values.shape == (MAX_CHANNELS, 28, 14) and maps.shape == (64, 100, 50)
    lines = summarize(torch.randn(3, 1000))
    assert lines.kind == "lines" and lines.values.shape == (3, 128)
    assert summarize(torch.randn(5000)).values.shape == (64,)


def test_nodes_inside_blocks_are_keyed_by_their_path_and_hooked_on_their_own_module():
    project = load_project(f"{EXAMPLES}/nested_blocks.json")
    network = build_network(project, 0)
    modules = node_modules(network.module, network.code, project)
    assert {"b2", "b2/blocks", "b2/blocks/fc1", "b2/blocks/relu2", "fc"} <= set(modules)
    assert modules["b2/blocks/fc1"] is network.module.b2[0][0]  # the first copy's first Linear
    assert modules["b2/blocks"] is network.module.b2[3]  # four copies: the last one's output
    event = DrawingProbe().run(project, 1)
    assert event.nodes["b2/blocks/fc1"].values.shape == (8,)


def test_a_live_run_serves_requests_from_another_thread_between_batches():
    events = []
    project = small_cnn(epochs=3)

    def emit(event):
        events.append(event)
        if isinstance(event, SampleActivations) and len(samples()) == 1:
            asker.start()  # the second request comes from another thread, mid-run
            asker.join()

    def samples():
        return [e for e in events if isinstance(e, SampleActivations)]

    trainer = Trainer(project, TrainConfig.from_training(project.training), emit)
    asker = threading.Thread(target=trainer.request_sample, args=(3,))
    trainer.request_sample(7)  # asked before the run: served at its first batch
    finished = trainer.run()
    assert finished.status == "completed", finished.message
    first, *later = samples()
    assert (first.index, first.step, first.weights) == (7, 0, "live")
    assert len(later) == 1  # one request, one answer: nothing is sent unasked
    assert later[0].index == 3 and later[0].step > 0
    assert first.nodes["conv2d1"].kind == "maps"
    assert float(first.nodes["out"].values.sum()) == pytest.approx(1.0, 1e-5)
    wire = pickle.dumps(first)  # crosses threads and processes as it is
    assert len(wire) < 50_000 and pickle.loads(wire).nodes.keys() == first.nodes.keys()


def test_the_final_weights_give_what_the_trained_network_gives(tmp_path):
    project = small_cnn()
    config = TrainConfig.from_training(project.training)
    config.out_dir = str(tmp_path / "run")
    finished = Trainer(project, config, lambda e: None).run()
    assert finished.status == "completed", finished.message
    last = tmp_path / "run" / "last.pt"
    after = DrawingProbe().run(project, 4, str(last))
    before = DrawingProbe().run(project, 4)
    assert after.weights == "final" and after.error == ""
    network = build_network(project, 0)
    network.module.load_state_dict(load_weights(last))
    network.module.eval()
    data = prepare_data(config, network, project)
    expected = torch.softmax(network.module(data.X_val[4:5]), 1)[0].detach().numpy()
    assert np.allclose(after.nodes["out"].values, expected, atol=1e-5)
    assert not np.allclose(before.nodes["out"].values, expected, atol=1e-3)


def test_a_drawing_that_cannot_run_says_why_in_one_line_and_never_raises():
    project = small_cnn()
    project.node("linear4").params["out_features"] = 0
    event = DrawingProbe().run(project, 0)
    assert event.nodes == {} and event.error and "\n" not in event.error


def test_a_paused_run_still_answers_and_a_stopped_one_ends():
    events = []
    project = small_cnn(epochs=2)
    trainer = Trainer(project, TrainConfig.from_training(project.training), events.append)
    trainer.pause()  # it waits before its first batch
    runner = threading.Thread(target=trainer.run)
    runner.start()
    deadline = time.monotonic() + 60
    while not any(isinstance(e, RunPaused) and e.paused for e in events):
        assert time.monotonic() < deadline and runner.is_alive()
        time.sleep(0.02)
    trainer.request_sample(5)
    while not any(isinstance(e, SampleActivations) for e in events):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    sample = next(e for e in events if isinstance(e, SampleActivations))
    assert (sample.index, sample.step, sample.weights) == (5, 0, "live")
    trainer.stop()
    runner.join(60)
    assert events[-1].status == "stopped"


def test_an_add_written_as_a_function_call_shows_what_it_adds():
    # residual_block: ... bn_b -> skip: Add(bn_b, stem_relu) -> relu: ReLU -> ...
    event = DrawingProbe().run(load_project(f"{EXAMPLES}/residual_block.json"), 3)
    assert event.error == ""
    skip, relu = event.nodes["skip"], event.nodes["relu"]
    assert skip.kind == "maps" and skip.shape == relu.shape
    # the oracle: relu is max(skip, 0), so they share the top and relu's bottom is skip's, cut at 0
    assert relu.high == pytest.approx(skip.high, rel=1e-5)
    assert relu.low == pytest.approx(max(skip.low, 0.0), abs=1e-6)
    assert skip.low < 0  # a real sum of a batch norm's output and a ReLU's: not just a copy


def residual_stage_project():
    """x [64] -> proj [16] -> stage: Stage (two Res blocks) -> head -> out.

    Res: fc, relu, then add its input back."""
    res = {
        "nodes": [
            {"id": "x", "type": "Input"},
            {"id": "fc", "type": "Linear", "params": {"out_features": 16}},
            {"id": "act", "type": "ReLU"},
            {"id": "add", "type": "Add"},
            {"id": "out", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "fc"},
            {"source": "fc", "target": "act"},
            {"source": "act", "target": "add"},
            {"source": "x", "target": "add", "target_port": 1},
            {"source": "add", "target": "out"},
        ],
    }
    stage = block_chain(("x", "Input"), ("0", "Res"), ("1", "Res"), ("out", "Output"))
    data = project_data(
        {"Res": res, "Stage": stage},
        ("x", "Input", {"shape": [64]}),
        ("proj", "Linear", {"out_features": 16}),
        ("stage", "Stage"),
        ("head", "Linear", {"out_features": 10}),
        ("out", "Output"),
    )
    data["training"] = {"dataset": "digits", "epochs": 1, "batch_size": 32}
    return project_from_dict(data)


def test_an_add_inside_nested_blocks_is_shown_under_its_own_path():
    project = residual_stage_project()
    event = DrawingProbe().run(project, 0)
    assert event.error == ""
    for copy in ("0", "1"):
        add, act = event.nodes[f"stage/{copy}/add"], event.nodes[f"stage/{copy}/act"]
        assert add.kind == "bars" and add.shape == (16,)
        assert act.low >= 0 and add.high >= act.high - 1e-6  # add = act + x
    assert not any(k in event.nodes for k in ("stage/add", "add"))  # no path loses a level
    # the second Res adds to what the first one gave: its sum differs
    first, second = event.nodes["stage/0/add"], event.nodes["stage/1/add"]
    assert not np.allclose(first.values, second.values)


def test_a_runs_saved_state_is_shown_with_its_epoch_and_read_again_when_saved_again(tmp_path):
    project = small_cnn()
    config = TrainConfig.from_training(project.training)
    config.out_dir = str(tmp_path)
    assert Trainer(project, config, lambda e: None).run().status == "completed"
    probe = DrawingProbe()
    before = probe.run(project, 4)
    saved = probe.run_saved(project, 4, str(tmp_path))
    assert (saved.weights, saved.step, saved.error) == ("epoch", 1, "")
    state = torch.load(tmp_path / "state.pt", weights_only=True)
    network = build_network(project, 0)
    network.module.load_state_dict(state["model"])
    network.module.eval()
    data = prepare_data(config, network, project)
    expected = torch.softmax(network.module(data.X_val[4:5]), 1)[0].detach().numpy()
    assert np.allclose(saved.nodes["out"].values, expected, atol=1e-5)
    # the run saves again (aside, then renamed, as runs do): the next answer is of that save
    state["epoch"] = 2
    state["model"]["linear4.bias"] = state["model"]["linear4.bias"] + 5 * torch.eye(10)[3]
    torch.save(state, tmp_path / "state.tmp")
    (tmp_path / "state.tmp").replace(tmp_path / "state.pt")
    again = probe.run_saved(project, 4, str(tmp_path))
    assert again.step == 2 and again.predicted.startswith("3 ")
    # and without weights it is the drawing's own network again, not the last one loaded
    assert np.array_equal(probe.run(project, 4).nodes["out"].values, before.nodes["out"].values)
    missing = probe.run_saved(project, 4, str(tmp_path / "nowhere"))
    assert missing.nodes == {} and missing.error and "\n" not in missing.error
