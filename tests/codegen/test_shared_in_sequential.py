"""A block drawn as one chain in which a node calls another node's layer again is written as an
nn.Sequential holding that one layer at both places, built once before `super().__init__`."""

from __future__ import annotations

import torch

from graph import project_from_dict
from runtime.network import build_network
from tests.codegen.ruff import ruff_format_diff
from tests.graph.blocks_helpers import chain, project_data
from tests.importer.roundtrip import export_module


def _tied_block_project(frozen: bool = False):
    block = chain(
        ("x", "Input"),
        ("fc", "Linear", {"out_features": 8}, {"frozen": True} if frozen else {}),
        ("act", "ReLU"),
        ("again", "Linear", {"out_features": 8}, {"shares": "fc"}),
        ("out", "Output"),
    )
    return project_from_dict(
        project_data(
            {"Tied": block},
            ("x", "Input", {"shape": [8]}),
            ("t", "Tied"),
            ("head", "Linear", {"out_features": 2}),
            ("out", "Output"),
        )
    )


def test_a_chain_block_with_a_shared_layer_is_a_sequential_holding_it_twice(tmp_path):
    project = _tied_block_project()
    assert project.validate().valid
    code, module = export_module(project)
    lines = code.source.splitlines()
    start = lines.index("class Tied(nn.Sequential):")
    assert lines[start + 1 : start + 9] == [
        "    def __init__(self) -> None:",
        "        fc = nn.Linear(8, 8)",
        "        super().__init__(",
        "            fc,",
        "            nn.ReLU(),",
        "            fc,",
        "        )",
        "",
    ]
    assert module.t[0] is module.t[2]
    assert sum(p.numel() for p in module.parameters()) == 72 + 18
    assert code.block_attributes["Tied"] == {"fc": "0", "act": "1", "again": "2"}
    assert ruff_format_diff(code.source, tmp_path) == ""


def test_a_shared_layer_frozen_in_a_sequential_is_frozen_at_both_places():
    project = _tied_block_project(frozen=True)
    network = build_network(project, seed=0)
    tied = network.module.t
    assert not any(p.requires_grad for p in tied[0].parameters())
    assert tied[2] is tied[0]
    x = torch.randn(3, 8)
    assert torch.equal(tied(x), tied[2](torch.relu(tied[0](x))))
