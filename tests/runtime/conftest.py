"""Shared helpers for runtime tests: tiny projects that train in a fraction of a second."""

from __future__ import annotations

import itertools

import pytest
import torch

from graph import Edge, Node, Project

torch.set_num_threads(1)  # the test machine's cores are shared


def chain(name: str, input_shape: list[int], layers: list[tuple[str, dict]], **training) -> Project:
    """Input -> layers... -> Output, wired in a line; ids are the layer types, lower-cased."""
    nodes = [Node("x", "Input", {"shape": input_shape})]
    for i, (layer_type, params) in enumerate(layers):
        nodes.append(Node(f"{layer_type.lower()}{i + 1}", layer_type, dict(params)))
    nodes.append(Node("out", "Output"))
    edges = [Edge(a.id, b.id) for a, b in itertools.pairwise(nodes)]
    return Project(name, nodes, edges, training)


def mlp(classes: int = 2, features: int = 2, last: str | None = None, **training) -> Project:
    layers = [("Linear", {"out_features": 16}), ("ReLU", {}), ("Linear", {"out_features": classes})]
    if last:
        layers.append((last, {"dim": 1}))
    return chain("Tiny MLP", [features], layers, **training)


@pytest.fixture
def blobs_mlp() -> Project:
    return mlp()
