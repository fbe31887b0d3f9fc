"""Small builders for layer tests: a chain of layers from one Input, and torch's own count."""

from __future__ import annotations

from typing import Any

from graph import Edge, Node, Project, Report, get_spec


def chain(shape: list[int], *layers: tuple[str, dict[str, Any]], dtype: str = "float32") -> Project:
    """Input(shape) → layers in order (ids: the type in lower case + position) → Output."""
    project = Project("test")
    params: dict[str, Any] = {"shape": shape}
    if dtype != "float32":
        params["dtype"] = dtype
    project.add_node(Node("x", "Input", params))
    previous = "x"
    for i, (node_type, node_params) in enumerate(layers, start=1):
        node_id = f"{node_type.lower()}{i}"
        project.add_node(Node(node_id, node_type, dict(node_params)))
        project.add_edge(Edge(previous, node_id))
        previous = node_id
    project.add_node(Node("out", "Output"))
    project.add_edge(Edge(previous, "out"))
    return project


def check(shape: list[int], *layers: tuple[str, dict[str, Any]], dtype: str = "float32") -> Report:
    return chain(shape, *layers, dtype=dtype).validate()


def only(report: Report, severity: str = "error") -> str:
    """The message of the one problem of that severity (fails if there are more or none)."""
    problems = [p for p in report.problems if p.severity == severity and p.code != "dead_end"]
    assert len(problems) == 1, [p.message for p in problems]
    return problems[0].message


def torch_count(node_type: str, resolved: dict[str, Any]) -> int:
    """Trainable values of the real torch module built from the app's resolved params."""
    import warnings

    from torch import nn

    spec = get_spec(node_type)
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in resolved.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's advice (dropout with one layer) is not a count
        module = getattr(nn, spec.torch_class)(**kwargs)
    return sum(p.numel() for p in module.parameters())
