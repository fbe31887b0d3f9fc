"""Stack: inputs of one shape joined along a new dim (torch.stack), as a loop's steps become a
sequence again."""

from __future__ import annotations

import torch

from graph import Edge, Node, Project
from tests.importer.roundtrip import export_module


def _stacked(shapes: list[list[int]], dim: int = 1) -> Project:
    nodes = [Node(f"x{i}", "Input", {"shape": shape}) for i, shape in enumerate(shapes)]
    nodes += [Node("stack", "Stack", {"dim": dim}), Node("out", "Output")]
    edges = [Edge(f"x{i}", "stack", 0, i) for i in range(len(shapes))]
    return Project("Stacked", nodes, [*edges, Edge("stack", "out")])


def test_stack_puts_a_new_dim_of_one_per_input_where_dim_says():
    for dim, shape in ((1, (3, 4, 5)), (2, (4, 3, 5)), (-1, (4, 5, 3)), (3, (4, 5, 3))):
        report = _stacked([[4, 5]] * 3, dim).validate()
        assert report.valid, dim
        assert report.nodes["stack"].output_shapes[0] == shape


def test_stack_of_different_shapes_names_both_on_the_node():
    report = _stacked([[4, 5], [4, 6]]).validate()
    (error,) = report.errors
    assert error.node == "stack"
    assert "[4, 5] from 'x0' and [4, 6] from 'x1' differ" in error.message


def test_stack_along_the_batch_is_refused():
    (error,) = _stacked([[4], [4]], dim=0).validate().errors
    assert error.node == "stack" and error.param == "dim"


def test_stack_is_torch_stack_in_the_code():
    code, module = export_module(_stacked([[2, 3]] * 2, dim=-1))
    assert "torch.stack([x0, x1], dim=-1)" in code.source
    a, b = torch.randn(4, 2, 3), torch.randn(4, 2, 3)
    assert torch.equal(module(a, b), torch.stack([a, b], dim=-1))
