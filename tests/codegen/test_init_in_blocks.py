"""Initialisation of nodes inside blocks and repeats reaches the exported module: every copy
and every instance starts from the scheme drawn inside the block."""

from __future__ import annotations

import torch

from codegen.model_gen import generate_model
from graph import project_from_dict
from runtime.network import build_network
from tests.codegen.ruff import ruff_format_diff
from tests.graph.blocks_helpers import mlp_block_project, project_data

CONSTANT = {"weight": {"kind": "constant", "val": 0.5}, "bias": {"kind": "zeros"}}


def test_init_inside_a_sequential_block_reaches_every_instance_copy(tmp_path):
    project = mlp_block_project(out=8, width=4, repeat=3)
    body = project.blocks.get("MLPBlock").body
    body.set_init("fc2", CONSTANT)
    source = generate_model(project, project.validate()).source
    assert "nn.init.constant_(self[2].weight, val=0.5)" in source
    module = build_network(project, seed=0).module
    copies = [m for m in module.modules() if type(m).__name__ == "MLPBlock"]
    assert len(copies) == 3
    for copy in copies:
        assert torch.all(copy[2].weight == 0.5) and torch.all(copy[2].bias == 0)
        assert not torch.all(copy[0].weight == 0.5)  # fc keeps torch's default
    assert ruff_format_diff(source, tmp_path) == ""


def test_init_of_a_repeated_layer_inside_a_block_sets_every_copy():
    block = {
        "params": {"n": {"type": "int", "default": 2}},
        "nodes": [
            {"id": "x", "type": "Input"},
            {"id": "fc", "type": "Linear", "params": {"out_features": 6}},
            {
                "id": "deep",
                "type": "Linear",
                "params": {"out_features": 6},
                "repeat": "$n",
                "init": {"weight": {"kind": "ones"}},
            },
            {"id": "out", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "fc"},
            {"source": "fc", "target": "deep"},
            {"source": "deep", "target": "out"},
        ],
    }
    project = project_from_dict(
        project_data(
            {"Deep": block},
            ("x", "Input", {"shape": [3]}),
            ("d", "Deep", {"n": 3}),
            ("out", "Output"),
        )
    )
    assert project.validate().valid, project.validate().errors
    source = generate_model(project, project.validate()).source
    assert "        for layer in list(self)[1 : n + 1]:\n" in source
    module = build_network(project, seed=0).module
    (deep,) = [m for m in module.modules() if type(m).__name__ == "Deep"]
    assert len(deep) == 4
    for layer in list(deep)[1:]:
        assert torch.all(layer.weight == 1)
    assert not torch.all(deep[0].weight == 1)


def test_init_inside_a_block_with_branches_is_called_on_its_attribute():
    block = {
        "nodes": [
            {"id": "x", "type": "Input"},
            {
                "id": "fc",
                "type": "Linear",
                "params": {"out_features": 5},
                "init": {"bias": {"kind": "constant", "val": 2}},
            },
            {"id": "skip", "type": "Linear", "params": {"out_features": 5}},
            {"id": "add", "type": "Add"},
            {"id": "out", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "fc"},
            {"source": "x", "target": "skip"},
            {"source": "fc", "target": "add"},
            {"source": "skip", "target": "add", "target_port": 1},
            {"source": "add", "target": "out"},
        ],
    }
    project = project_from_dict(
        project_data(
            {"Branchy": block},
            ("x", "Input", {"shape": [3]}),
            ("b1", "Branchy"),
            ("b2", "Branchy"),
            ("out", "Output"),
        )
    )
    source = generate_model(project, project.validate()).source
    assert "nn.init.constant_(self.fc.bias, val=2.0)" in source
    module = build_network(project, seed=0).module
    assert torch.all(module.b1.fc.bias == 2) and torch.all(module.b2.fc.bias == 2)
    assert not torch.all(module.b1.skip.bias == 2)


def test_init_of_a_repeated_layer_at_the_top_sets_every_copy():
    project = project_from_dict(
        project_data(
            {},
            ("x", "Input", {"shape": [4]}),
            (
                "fc",
                "Linear",
                {"out_features": 4},
                {"repeat": 3, "init": {"bias": {"kind": "ones"}}},
            ),
            ("out", "Output"),
        )
    )
    module = build_network(project, seed=0).module
    assert len(module.fc) == 3
    assert all(torch.all(layer.bias == 1) for layer in module.fc)


def test_a_frozen_node_inside_a_sequential_block_is_frozen_in_every_instance():
    project = mlp_block_project(out=8, width=4, repeat=2)
    body = project.blocks.get("MLPBlock").body
    body.set_frozen("fc", True)
    module = build_network(project, seed=0).module
    copies = [m for m in module.modules() if type(m).__name__ == "MLPBlock"]
    assert len(copies) == 2
    for copy in copies:
        assert not copy[0].weight.requires_grad and not copy[0].bias.requires_grad
        assert copy[2].weight.requires_grad
