"""A run that fails inside a block says where: the instance and the node inside it, in the
message and in RunFinished's `path`, for forward errors and for a loss that became NaN."""

from __future__ import annotations

import pytest
import torch

from codegen.sequential_map import sequential_owner
from graph import project_from_dict
from recipe.config import TrainConfig
from runtime.network import build_network
from runtime.trainer import Trainer
from tests.graph.blocks_helpers import chain, project_data
from tests.runtime.test_blocks_training import blobs_block_project

HUGE = {"weight": {"kind": "constant", "val": 1e30}, "bias": {"kind": "zeros"}}
FROZEN = {"frozen": True}  # the weights stay as drawn, so the overflow stays where it began


def exploding_project():
    """Input [2] -> Hidden (fc, fc2 with frozen weights 1e30: fc2's output overflows) -> head."""
    hidden = chain(
        ("x", "Input"),
        ("fc", "Linear", {"out_features": 8}, {"init": HUGE, **FROZEN}),
        ("fc2", "Linear", {"out_features": 8}, {"init": HUGE, **FROZEN}),
        ("act", "ReLU"),
        ("o", "Output"),
    )
    return project_from_dict(
        project_data(
            {"Hidden": hidden},
            ("x", "Input", {"shape": [2]}),
            ("body", "Hidden"),
            ("head", "Linear", {"out_features": 2}),
            ("out", "Output"),
        )
    )


def test_a_forward_error_inside_a_sequential_block_names_the_inner_node():
    network = build_network(blobs_block_project(repeat=2), seed=0)
    with pytest.raises(RuntimeError) as info:
        network.module(torch.zeros(3, 5))  # five features where the block's Linear takes two
    assert network.path_for_exception(info.value) == ["body", "fc"]


def test_a_module_after_a_repeat_counted_at_run_time_is_found_by_its_place():
    block = {
        "params": {"n": {"type": "int", "default": 2}},
        **chain(
            ("x", "Input"),
            ("fc", "Linear", {"out_features": 6}),
            ("deep", "Linear", {"out_features": 6}, {"repeat": "$n"}),
            ("act", "ReLU"),
            ("o", "Output"),
        ),
    }
    project = project_from_dict(
        project_data(
            {"Deep": block},
            ("x", "Input", {"shape": [3]}),
            ("d", "Deep", {"n": 3}),
            ("out", "Output"),
        )
    )
    network = build_network(project, seed=0)
    deep = network.module.d
    items = network.code.sequential_items
    owners = [sequential_owner(items, {"self": deep, "module": m}) for m in deep]
    assert owners == ["fc", "deep", "deep", "deep", "act"]


def test_a_nan_loss_inside_a_block_names_the_layer_where_values_stopped_being_finite(tmp_path):
    config = TrainConfig(dataset="blobs", device="cpu", epochs=1, lr=0.05, out_dir=str(tmp_path))
    finished = Trainer(exploding_project(), config, lambda event: None).run()
    assert finished.status == "failed"
    assert "the loss became" in finished.message
    assert finished.node_id == "body"
    assert finished.path == ("body", "fc2")
    assert "Linear 'fc2'" in finished.message or "fc2" in finished.message
    assert "body.fc2" in finished.message


def test_a_run_finished_has_no_path_outside_blocks(tmp_path):
    project = blobs_block_project()
    project.remove_edge(project.in_edges("head")[0])  # not trainable: the drawing has errors
    config = TrainConfig(dataset="blobs", device="cpu", epochs=1, out_dir=str(tmp_path))
    finished = Trainer(project, config, lambda event: None).run()
    assert finished.status == "failed" and finished.path == ()
