"""A model imported from an nn.Sequential holding one layer at two places (D2L's parameter
tying) is written back as one: the layer built once before `super().__init__`, passed at both
places, so both keys stay. A block a person draws with a shared layer stays a class with that
layer as one attribute (one key, as a tutorial's FixedHiddenMLP has)."""

from __future__ import annotations

import torch

from codegen.block_gen import SEQUENTIAL_KEY
from graph import project_from_dict
from runtime.network import build_network
from tests.codegen.ruff import ruff_format_diff
from tests.graph.blocks_helpers import chain, project_data
from tests.importer.roundtrip import export_module

TIED = (
    ("fc", "Linear", {"out_features": 8}),
    ("act", "ReLU"),
    ("again", "Linear", {"out_features": 8}, {"shares": "fc"}),
)


def _tied_sequential(frozen: bool = False):
    fc = ("fc", "Linear", {"out_features": 8}, {"frozen": True} if frozen else {})
    data = project_data({}, ("x", "Input", {"shape": [8]}), fc, *TIED[1:], ("out", "Output"))
    project = project_from_dict(data)
    project.extra[SEQUENTIAL_KEY] = True  # as the importer marks an nn.Sequential model
    return project


def test_a_sequential_model_with_a_shared_layer_holds_it_at_both_places(tmp_path):
    project = _tied_sequential()
    assert project.validate().valid
    code, module = export_module(project)
    lines = code.source.splitlines()
    start = lines.index("class T(nn.Sequential):")
    assert lines[start + 1 : start + 8] == [
        "    def __init__(self) -> None:",
        "        fc = nn.Linear(8, 8)",
        "        super().__init__(",
        "            fc,",
        "            nn.ReLU(),",
        "            fc,",
        "        )",
    ]
    assert module[0] is module[2]
    assert list(module.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert sum(p.numel() for p in module.parameters()) == 72
    assert code.attributes == {"fc": "0", "act": "1", "again": "2"}
    assert ruff_format_diff(code.source, tmp_path) == ""


def test_a_shared_layer_frozen_in_a_sequential_is_frozen_at_both_places():
    network = build_network(_tied_sequential(frozen=True), seed=0)
    net = network.module
    assert not any(p.requires_grad for p in net[0].parameters())
    assert net[2] is net[0]
    x = torch.randn(3, 8)
    assert torch.equal(net(x), net[2](torch.relu(net[0](x))))


def test_a_drawn_block_with_a_shared_layer_is_a_class_with_that_layer_once():
    block = chain(("x", "Input"), *TIED, ("out", "Output"))
    data = project_data(
        {"Tied": block},
        ("x", "Input", {"shape": [8]}),
        ("t", "Tied"),
        ("head", "Linear", {"out_features": 2}),
        ("out", "Output"),
    )
    code, module = export_module(project_from_dict(data))
    assert "class Tied(nn.Module):" in code.source
    assert [k for k in module.state_dict() if k.startswith("t.")] == ["t.fc.weight", "t.fc.bias"]
    assert code.source.count("self.fc(") == 2
