"""Initialisation per layer: saved in the node, checked, and written into the exported module as
nn.init calls, so training (which runs that module) starts from it. The seeds' examples:
init_normal (normal(0, 0.01) weights, zero bias), init_constant (weights 1) and xavier."""

from __future__ import annotations

import pytest
import torch

from codegen.model_gen import generate_model
from graph import load_project, project_from_json, project_to_json
from runtime.network import build_network
from tests.codegen.ruff import ruff_format_diff
from tests.graph.layer_helpers import chain

INIT_NORMAL = {"weight": {"kind": "normal", "mean": 0, "std": 0.01}, "bias": {"kind": "zeros"}}
INIT_CONSTANT = {"weight": {"kind": "constant", "val": 1}, "bias": {"kind": "zeros"}}


def seeds_net():
    """The seed's nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))."""
    return chain(
        [4], ("Linear", {"out_features": 8}), ("ReLU", {}), ("Linear", {"out_features": 1})
    )


def test_the_seeds_init_normal_and_init_constant_are_applied_when_the_network_is_built():
    project = seeds_net()
    project.set_init("linear1", INIT_NORMAL)
    project.set_init("linear3", INIT_CONSTANT)
    module = build_network(project, seed=0).module
    first, last = module.linear1, module.linear3
    assert abs(first.weight.std().item() - 0.01) < 0.005
    assert torch.all(first.bias == 0)
    assert torch.all(last.weight == 1) and torch.all(last.bias == 0)


def test_exported_code_has_nn_init_calls_in_init_and_is_ruff_formatted(tmp_path):
    project = seeds_net()
    project.set_init("linear1", {"weight": {"kind": "xavier_uniform", "gain": 2}})
    project.set_init(
        "linear3",
        {"weight": {"kind": "kaiming_normal", "mode": "fan_out", "nonlinearity": "relu"}},
    )
    source = generate_model(project).source
    assert "        nn.init.xavier_uniform_(self.linear1.weight, gain=2.0)\n" in source
    flat = " ".join(source.split())
    assert (
        'nn.init.kaiming_normal_( self.linear3.weight, a=0.0, mode="fan_out", nonlinearity="relu" )'
    ) in flat
    assert ruff_format_diff(source, tmp_path) == ""


def test_every_scheme_runs_in_torch_with_the_values_it_names():
    project = chain([3, 8, 8], ("Conv2d", {"out_channels": 4, "kernel_size": 3}))
    for scheme, check in (
        ({"kind": "uniform", "a": -0.1, "b": 0.1}, lambda w: w.abs().max() <= 0.1),
        ({"kind": "ones"}, lambda w: torch.all(w == 1)),
        ({"kind": "xavier_normal"}, lambda w: w.std() > 0),
        ({"kind": "kaiming_uniform", "a": 0.1}, lambda w: w.std() > 0),
        (
            {"kind": "orthogonal"},
            lambda w: torch.allclose(
                w.reshape(4, -1) @ w.reshape(4, -1).T, torch.eye(4), atol=1e-5
            ),
        ),
        ({"kind": "default"}, lambda w: w.std() > 0),
    ):
        project.set_init("conv2d1", {"weight": scheme})
        assert project.validate().valid, scheme
        weight = build_network(project, seed=0).module.conv2d1.weight.detach()
        assert check(weight), scheme


def test_init_is_saved_in_the_node_and_read_back():
    project = seeds_net()
    project.set_init("linear1", INIT_NORMAL)
    again = project_from_json(project_to_json(project))
    assert again.node("linear1").init == INIT_NORMAL
    assert '"init": {"weight": {"kind": "normal"' in project_to_json(project)


@pytest.mark.parametrize(
    ("init", "says"),
    [
        (
            {"bias": {"kind": "xavier_uniform"}},
            "cannot initialise the 1-d bias with xavier_uniform",
        ),
        (
            {"kernel": {"kind": "zeros"}},
            "has no tensor 'kernel' to initialise (it has weight, bias)",
        ),
        ({"weight": {"kind": "glorot"}}, "initialises weight with 'glorot', which is not one of"),
        ({"weight": {"kind": "normal", "std": "big"}}, "std of normal must be a number"),
        ({"weight": {"kind": "normal", "sd": 1}}, "normal takes no argument 'sd'"),
        (
            {"weight": {"kind": "kaiming_normal", "mode": "fan"}},
            "mode must be one of fan_in, fan_out",
        ),
        ({"weight": {"kind": "uniform", "a": 1, "b": 0}}, "uniform needs a ≤ b"),
    ],
)
def test_an_init_the_layer_cannot_take_is_an_error_on_its_node(init, says):
    project = seeds_net()
    project.set_init("linear1", init)
    (error,) = project.validate().errors
    assert (error.code, error.node, error.param) == ("bad_init", "linear1", "init")
    assert says in error.message


def test_a_layer_without_weights_or_bias_refuses_init_for_them():
    project = chain([4], ("Linear", {"out_features": 2, "bias": False}), ("ReLU", {}))
    project.set_init("linear1", {"bias": {"kind": "zeros"}})
    assert "has no tensor 'bias'" in project.validate().errors[0].message
    project.set_init("relu2", {"weight": {"kind": "zeros"}})
    assert "'relu2': has no weights to initialise" in project.validate().errors[-1].message


def test_examples_keep_torchs_default_and_emit_no_init():
    source = generate_model(load_project("examples/lenet5.json")).source
    assert "nn.init" not in source
