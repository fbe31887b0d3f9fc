"""A run with torch.compile on serves samples like any other: the probe runs the plain network
(the compiled one shares its parameters), so its hooks never reach the compiled graph and the
graph is never compiled again however many samples are asked for."""

import numpy as np
import pytest
import torch
import torch._dynamo
from torch._dynamo.utils import counters

from recipe.config import TrainConfig
from runtime.checkpoints import load_weights
from runtime.datasets import prepare_data
from runtime.events import BatchMetrics, Message, RunPaused, SampleActivations
from runtime.network import build_network
from runtime.trainer import Trainer
from tests.runtime.conftest import chain


def frames_compiled() -> int:
    """Every frame dynamo has converted (a recompile is one more)."""
    return counters["frames"]["total"]


def test_a_compiled_run_serves_samples_equal_to_the_plain_network_and_never_recompiles(tmp_path):
    # 800 training samples in batches of 16: every batch has the same shape, so nothing but a
    # probe could make dynamo compile again after the first batch; a probe runs in eval mode,
    # and the compiled graph of a network with Dropout and BatchNorm is guarded on the mode
    layers = [
        ("Linear", {"out_features": 16}),
        ("BatchNorm1d", {}),
        ("ReLU", {}),
        ("Dropout", {"p": 0.2}),
        ("Linear", {"out_features": 2}),
    ]
    settings = dict(dataset="blobs", device="cpu", epochs=3, batch_size=16, lr=0.05, seed=2)
    project = chain("Tiny MLP", [2], layers, **settings)
    config = TrainConfig.from_training(project.training)
    config.compile, config.threads, config.out_dir = True, 1, str(tmp_path)
    torch._dynamo.reset()
    counters.clear()
    events, seen = [], {}

    def emit(event):
        events.append(event)
        samples = [e for e in events if isinstance(e, SampleActivations)]
        if isinstance(event, BatchMetrics) and "compiled" not in seen:
            seen["compiled"] = frames_compiled()  # the first batch has compiled the network
            trainer.request_sample(0)
        elif isinstance(event, SampleActivations) and len(samples) < 6:
            trainer.request_sample(len(samples))  # served before the next (compiled) batch
        elif isinstance(event, SampleActivations) and len(samples) == 6:
            trainer.pause()
        elif isinstance(event, RunPaused) and event.paused:
            trainer.request_sample(7)  # served while paused: the weights stay as they are
        elif isinstance(event, SampleActivations):
            trainer.stop()  # last.pt then holds the weights this sample was computed with

    trainer = Trainer(project, config, emit)
    finished = trainer.run()
    assert finished.status == "stopped", finished.message
    notes = [e.text for e in events if isinstance(e, Message)]
    assert any("not counted in samples/s" in n for n in notes), notes  # it did compile
    assert not any("training without it" in n for n in notes), notes  # and did not fall back
    samples = [e for e in events if isinstance(e, SampleActivations)]
    assert [s.index for s in samples] == [0, 1, 2, 3, 4, 5, 7]
    assert all(s.weights == "live" and s.error == "" for s in samples)
    steps = [s.step for s in samples]
    assert steps[0] > 0 and steps == sorted(steps) and steps[5] > steps[0] + 4  # between batches
    # six samples, each followed by compiled training steps: not one frame compiled again
    assert seen["compiled"] > 0 and frames_compiled() == seen["compiled"]

    # the oracle: the same network with the weights the run saved, run plainly by hand
    last = samples[-1]
    network = build_network(project, config.seed)
    network.module.load_state_dict(load_weights(tmp_path / "last.pt"))
    network.module.eval()
    data = prepare_data(config, network, project)
    x = data.X_val[7:8]
    with torch.no_grad():
        hidden = network.module.relu3(network.module.batchnorm1d2(network.module.linear1(x)))
        hidden = hidden[0].numpy()
        probabilities = torch.softmax(network.module(x), 1)[0].numpy()
    assert np.allclose(last.nodes["relu3"].values, hidden, atol=1e-5)
    assert np.allclose(last.nodes["out"].values, probabilities, atol=1e-5)
    assert float(last.nodes["out"].values.sum()) == pytest.approx(1.0, abs=1e-5)
