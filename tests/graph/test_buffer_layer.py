"""Buffer: a fixed tensor a model keeps with its weights (a mean to subtract, a table of
positions), the same for every sample, never trained and counted in no parameter total."""

from __future__ import annotations

import torch

from graph import Edge, Node, Project
from tests.importer.roundtrip import export_module


def _normalised(**buffer: object) -> Project:
    """x - mean, then a Linear: the mean a Buffer of the given params."""
    params = {"shape": [3, 1], "batch": True, **buffer}
    nodes = [
        Node("x", "Input", {"shape": [3, 4]}),
        Node("mean", "Buffer", params),
        Node("centre", "Subtract"),
        Node("flat", "Flatten"),
        Node("fc", "Linear", {"out_features": 2}),
        Node("out", "Output"),
    ]
    edges = [
        Edge("x", "centre"),
        Edge("mean", "centre", 0, 1),
        Edge("centre", "flat"),
        Edge("flat", "fc"),
        Edge("fc", "out"),
    ]
    return Project("Normalised", nodes, edges)


def test_a_buffer_is_saved_with_the_weights_and_counted_in_no_parameter_total():
    project = _normalised()
    report = project.validate()
    assert report.valid
    assert report.nodes["mean"].params == 0 and report.total_params == 12 * 2 + 2
    code, module = export_module(project)
    assert "        self.mean = nn.Buffer(torch.zeros(1, 3, 1))" in code.source
    assert "        mean = self.mean.expand(x.size(0), 3, 1)  # [N, 3, 1]" in code.source
    assert list(module.state_dict()) == ["mean", "fc.weight", "fc.bias"]
    assert [name for name, _ in module.named_parameters()] == ["fc.weight", "fc.bias"]
    # the values come with the weights, and the forward uses them
    state = module.state_dict()
    state["mean"] = torch.full((1, 3, 1), 2.0)
    module.load_state_dict(state, strict=True)
    x = torch.randn(5, 3, 4)
    with torch.no_grad():
        expected = module.fc((x - 2.0).flatten(1))
        assert torch.allclose(module(x), expected)


def test_a_buffer_that_is_not_persistent_is_made_from_its_init_and_left_out_of_the_weights():
    code, module = export_module(_normalised(persistent=False, init="ones"))
    assert "nn.Buffer(torch.ones(1, 3, 1), persistent=False)" in code.source
    assert "mean" not in module.state_dict()
    assert torch.equal(module.mean, torch.ones(1, 3, 1))
