"""Random valid projects for codegen tests: chains that fork and merge again, with one or two
Inputs and Outputs, sometimes a dead end. Built layer by layer; a layer the checker rejects is
taken out again and another tried, so every project returned validates.

Layer types that are not registered (yet) are skipped, so new specs join the mix when they land.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from graph import Edge, Node, Project, get_spec
from graph.tensor import INT

Shape = tuple[int, ...]
Params = Callable[[random.Random, Shape], dict[str, Any]]


def _k(rng: random.Random) -> int:
    return rng.choice([1, 2, 3])


def _conv(rng: random.Random, shape: Shape) -> dict[str, Any]:
    p: dict[str, Any] = {"out_channels": rng.randint(1, 6), "kernel_size": _k(rng)}
    if rng.random() < 0.3:
        p["padding"] = rng.choice([1, "same"])
    if rng.random() < 0.2:
        p["bias"] = False
    if rng.random() < 0.2 and p.get("padding") != "same":
        p["stride"] = 2
    return p


def _pool(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"kernel_size": rng.choice([1, 2])}


def _linear(rng: random.Random, shape: Shape) -> dict[str, Any]:
    p: dict[str, Any] = {"out_features": rng.randint(1, 12)}
    if rng.random() < 0.2:
        p["bias"] = False
    return p


def _recurrent(rng: random.Random, shape: Shape) -> dict[str, Any]:
    p: dict[str, Any] = {"hidden_size": rng.randint(1, 6), "batch_first": True}
    if rng.random() < 0.3:
        p["num_layers"] = 2
    if rng.random() < 0.3:
        p["bidirectional"] = True
    return p


def _attention(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {
        "num_heads": rng.choice([h for h in (1, 2, 3) if shape[-1] % h == 0]),
        "batch_first": True,
    }


def _encoder(rng: random.Random, shape: Shape) -> dict[str, Any]:
    heads = rng.choice([h for h in (1, 2) if shape[-1] % h == 0])
    return {"nhead": heads, "batch_first": True, "dim_feedforward": 8}


def _none(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {}


def _softmax(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"dim": rng.choice([1, -1])}


def _leaky(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"negative_slope": rng.choice([0.01, 0.2, 1e-05])} if rng.random() < 0.5 else {}


def _dropout(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"p": rng.choice([0.1, 0.5])}


def _upsample(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"scale_factor": 2}


def _permute(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"dims": [0, *reversed(range(1, len(shape) + 1))]}


def _reshape(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"shape": rng.choice([[-1], [1, -1], [-1, 1]])}


def _index(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"dim": 1, "index": rng.choice([0, -1])}


def _unflatten(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {"dim": -1, "unflattened_size": [1, -1]}


def _features(rng: random.Random, shape: Shape) -> dict[str, Any]:
    return {}


ANY_RANK: dict[str, Params] = {
    "ReLU": _none,
    "Tanh": _none,
    "Sigmoid": _none,
    "GELU": _none,
    "SiLU": _none,
    "LeakyReLU": _leaky,
    "Identity": _none,
    "Dropout": _dropout,
    "Softmax": _softmax,
    "Linear": _linear,
    "LayerNorm": _features,
    "Reshape": _reshape,
}
BY_RANK: dict[int, dict[str, Params]] = {
    1: {"Unflatten": _unflatten, "BatchNorm1d": _features},
    2: {
        "Conv1d": _conv,
        "MaxPool1d": _pool,
        "Flatten": _none,
        "Permute": _permute,
        "Index": _index,
        "RNN": _recurrent,
        "LSTM": _recurrent,
        "GRU": _recurrent,
        "MultiheadAttention": _attention,
        "TransformerEncoderLayer": _encoder,
        "BatchNorm1d": _features,
    },
    3: {
        "Conv2d": _conv,
        "ConvTranspose2d": _conv,
        "MaxPool2d": _pool,
        "AvgPool2d": _pool,
        "BatchNorm2d": _features,
        "Dropout2d": _dropout,
        "Flatten": _none,
        "Upsample": _upsample,
        "Permute": _permute,
    },
}
MERGES = ("Add", "Multiply", "Concat")


class _Builder:
    def __init__(self, rng: random.Random, name: str) -> None:
        self.rng = rng
        self.project = Project(name)
        self.count = 0

    def add(self, type_: str, params: dict[str, Any], sources: list[tuple[str, int]]) -> str | None:
        """Add a node fed by `sources`; None (and nothing added) if the checker rejects it."""
        self.count += 1
        node_id = f"{type_.lower()}{self.count}"
        self.project.add_node(Node(node_id, type_, params))
        edges = [Edge(s, node_id, p, i) for i, (s, p) in enumerate(sources)]
        for edge in edges:
            self.project.add_edge(edge)
        if self.project.validate().nodes[node_id].ok:
            return node_id
        for edge in edges:
            self.project.remove_edge(edge)
        self.project.remove_node(node_id)
        return None

    def shape(self, value: tuple[str, int]) -> Shape:
        out = self.project.validate().nodes[value[0]].outputs[value[1]]
        assert out is not None
        return out.shape

    def dtype(self, value: tuple[str, int]) -> str:
        out = self.project.validate().nodes[value[0]].outputs[value[1]]
        assert out is not None
        return out.dtype


def random_project(rng: random.Random, name: str = "Random net") -> Project:
    """A valid project of about 2..12 layers drawn with `rng`."""
    b = _Builder(rng, name)
    frontier: list[tuple[str, int]] = []
    for _ in range(1 if rng.random() < 0.8 else 2):
        shape = rng.choice([[3, 8, 8], [2, 6], [5, 4], [6], [1, 5, 7]])
        if get_spec("Embedding") is not None and rng.random() < 0.1:
            node = b.add("Input", {"shape": [5], "dtype": INT}, [])
            assert node
            emb = b.add("Embedding", {"num_embeddings": 10, "embedding_dim": 4}, [(node, 0)])
            assert emb
            frontier.append((emb, 0))
            continue
        node = b.add("Input", {"shape": shape}, [])
        assert node
        frontier.append((node, 0))
    for _ in range(rng.randint(1, 10)):
        if len(frontier) >= 2 and rng.random() < 0.35 and _merge(b, frontier):
            continue
        value = rng.choice(frontier)
        shape = b.shape(value)
        if b.dtype(value) == INT:
            continue
        menu = {**ANY_RANK, **BY_RANK.get(len(shape), {})}
        menu = {t: f for t, f in menu.items() if get_spec(t) is not None}
        for _attempt in range(4):
            type_ = rng.choice(sorted(menu))
            node = b.add(type_, menu[type_](rng, shape), [value])
            if node is None:
                continue
            if rng.random() > 0.3:  # fork: otherwise the old value stays available too
                frontier.remove(value)
            spec = get_spec(type_)
            assert spec is not None
            ports = range(len(spec.outputs))
            frontier += [(node, p) for p in ports if p == 0 or rng.random() < 0.5]
            break
    outputs = rng.sample(frontier, k=min(len(frontier), rng.choice([1, 1, 2])))
    for i, value in enumerate(outputs):
        assert b.add("Output", {}, [value]), f"output {i}"
    assert b.project.validate().valid
    return b.project


def _merge(b: _Builder, frontier: list[tuple[str, int]]) -> bool:
    a, c = b.rng.sample(frontier, 2)
    if b.shape(a) != b.shape(c) or b.dtype(a) != b.dtype(c):
        return False
    type_ = b.rng.choice(MERGES)
    params = {"dim": 1} if type_ == "Concat" else {}
    node = b.add(type_, params, [a, c])
    if node is None:
        return False
    frontier.remove(a)
    frontier.remove(c)
    frontier.append((node, 0))
    return True
