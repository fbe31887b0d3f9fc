"""MACs and memory per node: MACs agree with torch's FlopCounterMode (FLOPs / 2) for every layer
it counts, on every example and on random networks; memory is bytes of real tensors."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from torch.utils.flop_counter import FlopCounterMode

from graph import Edge, Node, Project, all_specs, get_spec, load_project
from graph.cost import node_cost, totals
from tests.graph.layer_helpers import chain
from tests.graph.strategies import valid_projects
from tests.graph.torch_oracle import _build_module, _call, _special

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Products that torch's counter does not see on the CPU (documented in docs/cost.md).
NOT_COUNTED_BY_TORCH = {"LSTM", "Bilinear"}
ATTENTION = {
    "MultiheadAttention",
    "TransformerEncoderLayer",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerDecoder",
    "Transformer",
}
SAMPLES = 2

torch.set_num_threads(1)


def torch_macs(project: Project, node_id: str) -> int:
    """FLOPs / 2 of the node's own torch module per sample, counted on a batch of two of the
    shapes the checker says (one sample of one value per group is refused by GroupNorm, as
    batch statistics need two; every layer counted here costs the same for each sample)."""
    node = project.node(node_id)
    spec = get_spec(node.type)
    report = project.validate().nodes[node_id]
    xs = [
        torch.zeros((SAMPLES, *t.shape), dtype=torch.int64)
        if t.dtype == "int64"
        else torch.randn((SAMPLES, *t.shape))
        for t in report.inputs
    ]
    with warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
        warnings.simplefilter("ignore")
        if spec.torch_class is None:
            _special(node.type, node.params, xs, SAMPLES)
        else:
            module = _build_module(node.type, node.params, xs)
            if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
                # eval mode normalises with the running statistics: the same arithmetic for
                # the counter, and any batch size is accepted
                module.eval()
            _call(module, node.type, xs)
    return counter.get_total_flops() // 2 // SAMPLES


def attends_across_the_batch(node, report) -> bool:
    """An attention layer fed [embedding] without a sequence dim: torch reads the whole batch
    as one sequence (the checker warns), so there is no cost per sample to compare."""
    inputs = report.nodes[node.id].inputs
    return node.type in ATTENTION and bool(inputs) and inputs[0] is not None and inputs[0].rank == 1


def assert_macs_agree(project: Project) -> None:
    report = project.validate()
    for node in project.nodes:
        if node.type in ("Input", "Output") or node.type in NOT_COUNTED_BY_TORCH:
            continue
        cost = node_cost(get_spec(node.type), report.nodes[node.id])
        if cost is None or not report.nodes[node.id].ok or attends_across_the_batch(node, report):
            continue
        assert cost.macs == torch_macs(project, node.id), f"{node.type} {node.params}"


def test_every_layer_spec_counts_its_macs():
    assert [s.type for s in all_specs() if s.macs is None] == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_has_the_macs_torch_counts(path):
    assert_macs_agree(load_project(path))


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(valid_projects())
def test_random_networks_have_the_macs_torch_counts(project):
    assert_macs_agree(project)


def test_layers_torch_does_not_count_are_counted_by_their_products():
    lstm = chain([7, 3], ("LSTM", {"hidden_size": 5, "batch_first": True}))
    cost = node_cost(get_spec("LSTM"), lstm.validate().nodes["lstm1"])
    assert cost.macs == 7 * 4 * 5 * (3 + 5)


def test_memory_is_the_bytes_of_outputs_and_parameters():
    project = chain([1, 28, 28], ("Conv2d", {"out_channels": 6, "kernel_size": 5}))
    cost = node_cost(get_spec("Conv2d"), project.validate().nodes["conv2d1"])
    assert cost.activation_bytes == 6 * 24 * 24 * 4
    assert cost.parameter_bytes == 156 * 4
    assert cost.macs == 6 * 24 * 24 * 25
    total = totals(project, project.validate())
    assert total.macs == cost.macs
    assert total.training_bytes(64, "adam") == 156 * 4 * 4 + 2 * 64 * total.activation_bytes
    assert total.training_bytes(64, "sgd", momentum=0) == 156 * 4 * 2 + 2 * 64 * (
        total.activation_bytes
    )


def joined(shapes: list[list[int]], node_type: str, params: dict) -> Project:
    """Inputs of the given shapes → one node taking them in order → Output."""
    project = Project("test")
    layer = Node("layer", node_type, params)
    project.add_node(layer)
    for i, shape in enumerate(shapes):
        project.add_node(Node(f"x{i}", "Input", {"shape": shape}))
        project.add_edge(Edge(f"x{i}", "layer", 0, i))
    project.add_node(Node("out", "Output"))
    project.add_edge(Edge("layer", "out"))
    return project


@pytest.mark.parametrize(
    ("shapes", "node_type", "params"),
    [
        ([[6]], "RNNCell", {"hidden_size": 5}),
        ([[6]], "GRUCell", {"hidden_size": 5}),
        ([[6]], "LSTMCell", {"hidden_size": 5}),
        ([[4, 3], [3, 5]], "MatMul", {}),
        ([[7, 8], [5, 8]], "TransformerDecoderLayer", {"nhead": 2, "dim_feedforward": 16}),
        (
            [[5, 8], [7, 8]],
            "Transformer",
            {"nhead": 2, "dim_feedforward": 16, "num_encoder_layers": 2, "num_decoder_layers": 1},
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_cells_matmul_and_transformers_have_the_macs_torch_counts(shapes, node_type, params):
    project = joined(shapes, node_type, {"batch_first": True, **params})
    if "batch_first" not in get_spec(node_type).param_index:
        project.node("layer").params.pop("batch_first")
    cost = node_cost(get_spec(node_type), project.validate().nodes["layer"])
    assert cost.macs > 0
    assert cost.macs == torch_macs(project, "layer")
