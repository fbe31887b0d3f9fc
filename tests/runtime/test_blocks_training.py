"""Training through blocks: the run trains the exported block classes, its checkpoint loads into
them, and an error raised inside a block names the instance and the node inside it."""

from __future__ import annotations

import pytest
import torch

from graph import project_from_dict
from runtime.config import TrainConfig
from runtime.network import NetworkError, build_network
from runtime.trainer import Trainer
from tests.graph.blocks_helpers import chain, project_data


def blobs_block_project(repeat: int = 2):
    """Input [2] -> Hidden(width=8) ×repeat -> Linear(2) -> Output, for the blobs dataset."""
    hidden = {
        "params": {"width": {"type": "int", "default": 8}},
        **chain(
            ("x", "Input"),
            ("fc", "Linear", {"out_features": "$width"}),
            ("act", "ReLU"),
            ("o", "Output"),
        ),
    }
    return project_from_dict(
        project_data(
            {"Hidden": hidden},
            ("x", "Input", {"shape": [2]}),
            ("body", "Hidden", {"width": 8}, {"repeat": repeat}),
            ("head", "Linear", {"out_features": 2}),
            ("out", "Output"),
        )
    )


def test_a_block_network_trains_and_its_checkpoint_loads_into_the_exported_module(tmp_path):
    project = blobs_block_project()
    config = TrainConfig(dataset="blobs", device="cpu", epochs=2, lr=0.05, out_dir=str(tmp_path))
    events = []
    finished = Trainer(project, config, events.append).run()
    assert finished.status == "completed", finished.message
    assert finished.val_accuracy > 0.9
    network = build_network(project, seed=0)
    state = torch.load(finished.checkpoint, weights_only=True)
    state = state.get("model", state) if isinstance(state, dict) else state
    network.module.load_state_dict(state, strict=True)
    assert "body.0.0.weight" in network.module.state_dict()


def test_an_error_inside_a_block_names_the_instance_and_the_inner_node():
    network = build_network(blobs_block_project(), seed=0)
    with pytest.raises(RuntimeError) as info:
        network.module(torch.zeros(3, 5))  # five features where the block's Linear takes two
    assert network.node_for_exception(info.value) == "body"
    assert network.path_for_exception(info.value)[0] == "body"


def test_an_error_inside_a_class_block_reaches_the_inner_node():
    hidden = {
        **chain(("x", "Input"), ("fc", "Linear", {"out_features": 4}), ("o", "Output")),
        "nodes": [
            {"id": "x", "type": "Input"},
            {"id": "fc", "type": "Linear", "params": {"out_features": 2}},
            {"id": "sum", "type": "Add"},
            {"id": "o", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "fc"},
            {"source": "fc", "target": "sum"},
            {"source": "x", "target": "sum", "target_port": 1},
            {"source": "sum", "target": "o"},
        ],
    }
    project = project_from_dict(
        project_data(
            {"Residual": hidden},
            ("x", "Input", {"shape": [2]}),
            ("res", "Residual"),
            ("out", "Output"),
        )
    )
    network = build_network(project, seed=0)
    with pytest.raises(RuntimeError) as info:
        network.module(torch.zeros(3, 5))
    assert network.path_for_exception(info.value) == ["res", "fc"]


def test_a_block_network_that_torch_refuses_to_build_names_the_instance():
    project = blobs_block_project()
    project.blocks.get("Hidden").body.set_param("fc", "out_features", 10**12)
    with pytest.raises(NetworkError) as info:
        build_network(project, seed=0)
    assert info.value.node_id == "body"
    assert "failed at body.fc" in str(info.value)
