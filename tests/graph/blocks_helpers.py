"""Small block projects for tests, built through the model as a file would build them."""

from __future__ import annotations

import itertools
from typing import Any

from graph import project_from_dict


def chain(*specs: tuple) -> dict[str, list[dict[str, Any]]]:
    """Nodes and wires of a chain; each spec is (id, type, params[, extra keys])."""
    nodes = []
    for spec in specs:
        node = {"id": spec[0], "type": spec[1]}
        if len(spec) > 2 and spec[2]:
            node["params"] = spec[2]
        if len(spec) > 3:
            node.update(spec[3])
        nodes.append(node)
    edges = [{"source": a["id"], "target": b["id"]} for a, b in itertools.pairwise(nodes)]
    return {"nodes": nodes, "edges": edges}


def project_data(blocks: dict[str, Any], *top: tuple) -> dict[str, Any]:
    return {"format": "netwright", "version": 2, "name": "t", "blocks": blocks, **chain(*top)}


def mlp_block_project(out: int = 8, repeat: int | None = None, width: Any = 16):
    """Input [4] -> MLPBlock(width) [×repeat] -> Linear(out) -> Output."""
    block = {
        "params": {"width": {"type": "int", "default": 16}},
        **chain(
            ("x", "Input"),
            ("fc", "Linear", {"out_features": "$width"}),
            ("act", "ReLU"),
            ("fc2", "Linear", {"out_features": "$width * 2"}),
            ("out", "Output"),
        ),
    }
    extra = {"repeat": repeat} if repeat is not None else {}
    return project_from_dict(
        project_data(
            {"MLPBlock": block},
            ("x", "Input", {"shape": [4]}),
            ("b", "MLPBlock", {"width": width}, extra),
            ("head", "Linear", {"out_features": out}),
            ("out", "Output"),
        )
    )
