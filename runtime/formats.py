"""The network in formats beyond Python source: ONNX, TorchScript and a torch.export program.

Each is made from the module Netwright generates (what you train is what you export), on random
example inputs shaped as the Input nodes say, with the batch left free where the format allows.
Failures are ExportFailed with one line naming the format.
"""

from __future__ import annotations

import linecache
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from codegen import GENERATED_FILENAME, generate_model
from graph import Project
from i18n import msg

EXAMPLE_BATCH = 2  # torch.export specialises a batch of 1; 2 keeps the batch dimension free


class ExportFailed(ValueError):
    """The network cannot be written in a format; the message is one line."""


@dataclass
class Exportable:
    module: torch.nn.Module
    examples: tuple[torch.Tensor, ...]
    input_names: list[str]


def exportable(project: Project, module: torch.nn.Module | None = None) -> Exportable:
    """The generated module in eval mode and example inputs for it."""
    code = generate_model(project)
    if module is None:
        # TorchScript reads the class's source through linecache: give it the generated text.
        filename = f"{GENERATED_FILENAME[:-1]}-{abs(hash(code.source))}>"
        lines = code.source.splitlines(keepends=True)
        linecache.cache[filename] = (len(code.source), None, lines, filename)
        namespace: dict[str, Any] = {"__name__": "netwright_model"}
        exec(compile(code.source, filename, "exec"), namespace)
        module = namespace[code.class_name]()
    report = project.validate()
    examples = []
    for node_id in code.input_nodes:
        tensor = report.nodes[node_id].outputs[0]
        shape = (EXAMPLE_BATCH, *tensor.shape)
        if tensor.dtype == "int64":
            examples.append(torch.zeros(shape, dtype=torch.int64))
        else:
            examples.append(torch.randn(shape))
    return Exportable(module.eval(), tuple(examples), list(code.input_names))


def export_program(item: Exportable) -> Any:
    """The torch.export ExportedProgram, the batch dimension dynamic."""
    batch = torch.export.Dim("batch", min=1)
    shapes = tuple({0: batch} for _ in item.examples)
    try:
        return torch.export.export(item.module, item.examples, dynamic_shapes=shapes)
    except Exception:  # some layers fix the batch (a reshape that folds it): export it fixed
        try:
            return torch.export.export(item.module, item.examples)
        except Exception as exc:
            raise ExportFailed(
                msg("torch.export cannot export the model: {why}", why=_line(exc))
            ) from None


def write_exported_program(item: Exportable, path: Path) -> None:
    torch.export.save(export_program(item), str(path))


def write_onnx(item: Exportable, path: Path, program: Any = None) -> None:
    """ONNX through the torch.export-based exporter; the file passes onnx.checker."""
    program = program if program is not None else export_program(item)
    try:
        onnx_program = torch.onnx.export(program, item.examples, verbose=False)
        onnx_program.save(str(path), external_data=False)
    except Exception as exc:
        raise ExportFailed(msg("ONNX export failed: {why}", why=_line(exc))) from None


def write_torchscript(item: Exportable, path: Path) -> str:
    """TorchScript, scripted where torch.jit can compile the code, else traced: says which."""
    try:
        scripted = torch.jit.script(item.module)
        how = "scripted"
    except Exception:
        try:
            with torch.no_grad():
                scripted = torch.jit.trace(item.module, item.examples)
        except Exception as exc:
            raise ExportFailed(msg("TorchScript export failed: {why}", why=_line(exc))) from None
        how = "traced"
    scripted.save(str(path))
    return how


def _line(exc: BaseException) -> str:
    text = [t for t in str(exc).strip().splitlines() if t.strip()]
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")
