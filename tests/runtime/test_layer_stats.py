"""Per-layer statistics of a live run: sampled every k batches through hooks, per node; a ReLU
behind a large negative bias is flagged dead and the layer before it as vanishing."""

import pytest
import torch
from torch import nn

from graph import load_project
from recipe.config import TrainConfig
from runtime.events import LayerStats
from runtime.layer_stats import LayerStatistics, warnings_for
from runtime.trainer import Trainer
from tests.runtime.conftest import chain


def digits_mlp(dead: bool = False):
    layers = [("Linear", {"out_features": 16}), ("ReLU", {}), ("Linear", {"out_features": 10})]
    project = chain("Digits MLP", [64], layers)
    if dead:  # every unit of relu2 starts (and stays) at zero
        project.node("linear1").init = {"bias": {"kind": "constant", "val": -100.0}}
    return project


def run_with_stats(project, every=5):
    events = []
    trainer = Trainer(project, TrainConfig(dataset="digits", epochs=1, device="cpu"), events.append)
    trainer.layer_stats_every = every
    finished = trainer.run()
    assert finished.status == "completed", finished.message
    return [e for e in events if isinstance(e, LayerStats)]


def test_statistics_are_sampled_every_k_batches_for_each_node_with_a_module():
    samples = run_with_stats(digits_mlp(), every=5)
    assert [s.step for s in samples] == [1, 5, 10, 15, 20]  # 23 batches in one epoch
    first = samples[0].values
    assert set(first) == {"linear1", "relu2", "linear3"}
    assert set(first["linear1"]) == {"grad_norm", "update_ratio", "act_mean", "act_std"}
    assert set(first["relu2"]) == {"act_mean", "act_std", "dead_fraction"}
    assert first["linear1"]["grad_norm"] > 0 and 0 < first["linear1"]["update_ratio"] < 1
    assert samples[0].warnings == {}


def test_a_relu_behind_a_large_negative_bias_is_flagged_dead_and_its_layer_vanishing():
    samples = run_with_stats(digits_mlp(dead=True), every=5)
    last = samples[-1]
    assert last.values["relu2"]["dead_fraction"] == 1.0
    assert "dead" in last.warnings["relu2"]
    assert "vanishing" in last.warnings["linear1"]  # nothing flows back through dead units


def test_the_figures_match_torch_on_one_observed_step():
    torch.manual_seed(0)
    net = nn.Sequential()
    net.fc = nn.Linear(3, 4)
    net.act = nn.ReLU()
    stats = LayerStatistics(net, {"fc": "fc", "act": "act"}, every=1)
    x = torch.randn(8, 3)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    before = net.fc.weight.detach().clone(), net.fc.bias.detach().clone()

    def step():
        optimizer.zero_grad()
        out = net(x)
        out.sum().backward()
        grad = torch.cat([net.fc.weight.grad.ravel(), net.fc.bias.grad.ravel()]).norm()
        optimizer.step()
        return out.detach(), grad

    (out, grad), sample = stats.observe(1, step)
    stats.close()
    assert sample.values["fc"]["grad_norm"] == pytest.approx(float(grad), rel=1e-5)
    change = torch.cat(
        [(net.fc.weight - before[0]).ravel(), (net.fc.bias - before[1]).ravel()]
    ).detach()
    size = torch.cat([before[0].ravel(), before[1].ravel()])
    assert sample.values["fc"]["update_ratio"] == pytest.approx(
        float(change.norm() / size.norm()), rel=1e-4
    )
    assert sample.values["act"]["act_mean"] == pytest.approx(float(out.mean()), rel=1e-5)
    dead = float(((out > 0).sum(0) == 0).float().mean())
    assert sample.values["act"]["dead_fraction"] == pytest.approx(dead)


def test_thresholds_name_vanishing_exploding_and_dead():
    assert warnings_for({"grad_norm": 1e-9}) == ["vanishing"]
    assert warnings_for({"grad_norm": 1e4}) == ["exploding"]
    assert warnings_for({"grad_norm": 0.1, "dead_fraction": 0.6}) == ["dead"]
    assert warnings_for({"grad_norm": 0.1, "dead_fraction": 0.1}) == []


def test_nodes_inside_blocks_have_their_own_statistics_keyed_by_their_path():
    project = load_project("examples/nested_blocks.json")
    events = []
    config = TrainConfig.from_training({**project.training, "epochs": 1, "device": "cpu"})
    trainer = Trainer(project, config, events.append)
    trainer.layer_stats_every = 2
    assert trainer.run().status == "completed"
    first = next(e for e in events if isinstance(e, LayerStats)).values
    assert {"b2", "b2/blocks", "b2/blocks/fc1", "b2/blocks/relu2", "fc"} <= set(first)
    assert "dead_fraction" in first["b2/blocks/relu1"] and "grad_norm" in first["b2/blocks/fc2"]
