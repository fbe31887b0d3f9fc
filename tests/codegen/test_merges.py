"""Merges of any number of inputs, one included, become code that compiles and runs in torch."""

from __future__ import annotations

import pytest
import torch

from codegen import generate_model
from graph import Edge, Node, Project
from tests.codegen.roundtrip import load_class


def merge(kind: str, k: int) -> Project:
    """Input [3] → k Identity branches → one `kind` merge → Output."""
    nodes = [Node("x", "Input", {"shape": [3]})]
    nodes += [Node(f"i{j}", "Identity") for j in range(k)]
    nodes += [Node("m", kind), Node("out", "Output")]
    edges = [Edge("x", f"i{j}") for j in range(k)]
    edges += [Edge(f"i{j}", "m", 0, j) for j in range(k)] + [Edge("m", "out")]
    return Project("merge", nodes, edges)


def expected(kind: str, x: torch.Tensor, k: int) -> torch.Tensor:
    if kind == "Concat":
        return torch.cat([x] * k, dim=1)
    out = x
    for _ in range(k - 1):
        out = out + x if kind == "Add" else out * x
    return out


@pytest.mark.parametrize("kind", ["Add", "Multiply", "Concat"])
def test_a_merge_of_one_input_is_valid_and_passes_it_on(kind):
    project = Project(
        "one",
        [Node("x", "Input", {"shape": [3]}), Node("m", kind), Node("out", "Output")],
        [Edge("x", "m"), Edge("m", "out")],
    )
    assert project.validate().valid
    model = load_class(generate_model(project))()
    x = torch.randn(2, 3)
    assert torch.equal(model(x), x)


@pytest.mark.parametrize("kind", ["Add", "Multiply", "Concat"])
@pytest.mark.parametrize("k", [3, 65, 3000])
def test_a_merge_of_many_inputs_compiles_and_computes_in_port_order(kind, k):
    generated = generate_model(merge(kind, k))
    compile(generated.source, "<merge>", "exec")  # 3,000 chained `+` overflowed the compiler
    model = load_class(generated)()
    x = torch.rand(2, 3) * 0.01 + 1.0  # products of 3,000 such values stay finite
    assert torch.equal(model(x), expected(kind, x, k))
