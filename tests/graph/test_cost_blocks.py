"""Cost inside blocks and repeats: a drawing with blocks costs what the same drawing ungrouped
costs, and ResNet-18 drawn from blocks has the MACs torch's FlopCounterMode counts."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from codegen import generate_model
from graph import load_project, project_from_dict
from graph.cost import deep_cost, totals
from graph.grouping import ungroup
from tests.codegen.roundtrip import load_class
from tests.graph.blocks_helpers import mlp_block_project, project_data

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def flattened(project):
    """The same network with every (unrepeated) instance ungrouped, at every level."""
    while True:
        instances = [n for n in project.nodes if n.type in project.blocks and n.repeat in (None, 1)]
        if not instances:
            return project
        ungroup(project, project, instances[0].id)


def cost_tuple(project):
    total = totals(project, project.validate())
    return total.macs, total.activation_bytes, total.parameter_bytes, total.parameters


@pytest.mark.parametrize("name", ["nested_blocks.json", "nest_mlp.json", "resnet18.json"])
def test_a_network_with_blocks_costs_what_it_costs_ungrouped(name):
    project = load_project(EXAMPLES / name)
    with_blocks = cost_tuple(project)
    flat = flattened(load_project(EXAMPLES / name))
    assert not any(n.type in flat.blocks and n.repeat in (None, 1) for n in flat.nodes)
    assert with_blocks == cost_tuple(flat)
    assert with_blocks[0] > 0


def test_an_instance_costs_the_sum_of_its_inner_nodes():
    project = mlp_block_project(out=8)
    report = project.validate()
    cost = deep_cost(project, project.node("b"), report.nodes["b"])
    # Linear 4->16 and Linear 16->32: 64 + 512 MACs; outputs 16 + 16 + 32 floats (the Output
    # passes its input on and the port Input is the wire coming in: neither counts again)
    assert cost.macs == 4 * 16 + 16 * 32
    assert cost.activation_bytes == (16 + 16 + 32) * 4
    assert cost.parameter_bytes == (4 * 16 + 16 + 16 * 32 + 32) * 4


def test_a_repeated_instance_costs_each_copy():
    one = mlp_block_project(out=8, width=4, repeat=None)
    three = mlp_block_project(out=8, width=4, repeat=3)
    # width 4: the block maps 4 -> 4 -> 8; three copies need 8 -> 4 -> 8 after the first
    first = deep_cost(one, one.node("b"), one.validate().nodes["b"])
    copies = deep_cost(three, three.node("b"), three.validate().nodes["b"])
    assert first.macs == 4 * 4 + 4 * 8
    assert copies.macs == first.macs + 2 * (8 * 4 + 4 * 8)


def test_a_repeated_layer_costs_each_copy():
    project = project_from_dict(
        project_data(
            {},
            ("x", "Input", {"shape": [10]}),
            ("fc", "Linear", {"out_features": 10}, {"repeat": 4}),
            ("out", "Output"),
        )
    )
    cost = deep_cost(project, project.node("fc"), project.validate().nodes["fc"])
    assert cost.macs == 4 * 10 * 10
    assert cost.activation_bytes == 4 * 10 * 4
    assert cost.parameter_bytes == 4 * 110 * 4


def test_a_shared_layer_counts_its_weights_once_and_its_work_twice():
    project = load_project(EXAMPLES / "shared_mlp.json")
    report = project.validate()
    total = totals(project, report)
    assert total.parameter_bytes == report.total_params * 4
    flat_macs = sum(
        deep_cost(project, n, report.nodes[n.id]).macs for n in project.nodes if n.type == "Linear"
    )
    assert total.macs == flat_macs


def test_resnet18_from_blocks_has_the_macs_torch_counts():
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    project = load_project(EXAMPLES / "resnet18.json")
    project.set_param("x", "shape", [3, 64, 64])  # the same network on smaller images: faster
    report = project.validate()
    module = load_class(generate_model(project, report))().eval()
    with torch.no_grad(), warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
        warnings.simplefilter("ignore")
        module(torch.zeros(1, 3, 64, 64))
    assert totals(project, report).macs == counter.get_total_flops() // 2
    assert totals(project, report).macs > 140_000_000


def test_check_json_gives_the_cost_of_every_node_inside_blocks():
    from cli.check import with_costs

    project = load_project(EXAMPLES / "resnet18.json")
    report = project.validate()
    data = with_costs(project, report, report.to_json())
    inner = data["inner"]
    copy = inner["layer1.0"]
    parts = [v for k, v in inner.items() if k.startswith("layer1.0.") and k != "layer1.0.x"]
    assert copy["macs"] == sum(p["macs"] for p in parts) > 0
    assert copy["activation_bytes"] == sum(p["activation_bytes"] for p in parts)
    assert inner["layer1.0.conv1"]["macs"] == 64 * 64 * 9 * 56 * 56
    assert data["nodes"]["layer1"]["macs"] == inner["layer1.0"]["macs"] + inner["layer1.1"]["macs"]
