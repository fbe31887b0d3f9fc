"""The round-trip contract, checked on real modules: import M, generate E, compare."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from codegen import GENERATED_FILENAME, GeneratedModel, generate_model
from graph import Project
from importer import ImportResult, import_model
from importer.weights import translate_state_dict


@dataclass
class RoundTrip:
    imported: ImportResult
    code: GeneratedModel
    exported: torch.nn.Module


def export_module(project: Project) -> tuple[GeneratedModel, torch.nn.Module]:
    code = generate_model(project)
    namespace: dict[str, Any] = {"__name__": "netwright_model"}
    exec(compile(code.source, GENERATED_FILENAME, "exec"), namespace)
    return code, namespace[code.class_name]()


def round_trip(source: str, shapes: list[tuple[int, ...]], **kwargs: Any) -> RoundTrip:
    imported = import_model(source, shapes, kwargs=kwargs or None)
    code, exported = export_module(imported.project)
    return RoundTrip(imported, code, exported)


def assert_same_weights_and_outputs(rt: RoundTrip, shapes: list[tuple[int, ...]]) -> None:
    original, exported = rt.imported.module.eval(), rt.exported.eval()
    count = sum(p.numel() for p in original.parameters())
    assert sum(p.numel() for p in exported.parameters()) == count
    translated = translate_state_dict(
        rt.imported.project, rt.code.attributes, original.state_dict(), rt.code.block_attributes
    )
    assert translated.unmatched == []
    exported.load_state_dict(translated.state_dict, strict=True)
    torch.manual_seed(1)
    inputs = [torch.randn(3, *shape) for shape in shapes]
    with torch.no_grad():
        expected, got = original(*inputs), exported(*inputs)
    assert torch.allclose(got, expected, rtol=1e-4, atol=1e-5)


def drawing_signature(project: Project) -> tuple:
    """The drawing up to layout: nodes (id, type, params) and wires, and each block's
    name, parameters and drawing."""
    blocks = [
        (b.name, [(p.name, p.kind, p.default) for p in b.params], _level(b.body))
        for b in project.blocks
    ]
    return (*_level(project), blocks)


def _level(project: Project) -> tuple[list[tuple], list[tuple]]:
    nodes = [(n.id, n.type, sorted(n.params.items())) for n in project.nodes]
    edges = sorted((e.source, e.target, e.source_port, e.target_port) for e in project.edges)
    return nodes, edges


def reimport(rt: RoundTrip, tmp: Path, shapes: list[tuple[int, ...]]) -> Project:
    path = tmp / "exported_model.py"
    path.write_text(rt.code.source, encoding="utf-8")
    again = import_model(f"{path}:{rt.code.class_name}", shapes)
    again.project.set_name(rt.imported.project.name)
    return again.project
