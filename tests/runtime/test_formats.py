"""Every example exports as ONNX, TorchScript and a torch.export program that compute what the
generated PyTorch module computes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from graph import load_project
from runtime.formats import (
    export_program,
    exportable,
    write_onnx,
    write_torchscript,
)

# Every example that checks (one that does not has no code to export; `check` says why).
EXAMPLES = [
    path
    for path in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
    if load_project(path).validate().valid
]


def outputs(result: object) -> list[np.ndarray]:
    items = result if isinstance(result, tuple | list) else (result,)
    return [t.detach().numpy() for t in items]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_an_example_exports_to_onnx_torchscript_and_exported_program(path, tmp_path):
    item = exportable(load_project(path))
    with torch.no_grad():
        expected = outputs(item.module(*item.examples))
    program = export_program(item)

    torch.export.save(program, tmp_path / "m.pt2")
    loaded = torch.export.load(tmp_path / "m.pt2").module()
    with torch.no_grad():
        for got, want in zip(outputs(loaded(*item.examples)), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)

    write_onnx(item, tmp_path / "m.onnx", program)
    onnx.checker.check_model(onnx.load(tmp_path / "m.onnx"))
    session = onnxruntime.InferenceSession(tmp_path / "m.onnx")
    feeds = {i.name: e.numpy() for i, e in zip(session.get_inputs(), item.examples, strict=True)}
    for got, want in zip(session.run(None, feeds), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)

    how = write_torchscript(item, tmp_path / "m.pt")
    assert how == "scripted"
    scripted = torch.jit.load(tmp_path / "m.pt")
    with torch.no_grad():
        for got, want in zip(outputs(scripted(*item.examples)), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_export_command_writes_all_three_formats_and_says_how(tmp_path):
    root = Path(__file__).resolve().parents[2]
    out = {suffix: tmp_path / f"m.{suffix}" for suffix in ("onnx", "pt", "pt2")}
    done = subprocess.run(
        [
            sys.executable,
            str(root / "main.py"),
            "export",
            str(root / "examples" / "lenet5.json"),
            "--onnx",
            str(out["onnx"]),
            "--torchscript",
            str(out["pt"]),
            "--exported-program",
            str(out["pt2"]),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"wrote {out['pt2']} (torch.export ExportedProgram)",
        f"wrote {out['onnx']} (ONNX)",
        f"wrote {out['pt']} (TorchScript, scripted)",
    ]
    assert all(path.stat().st_size > 0 for path in out.values())
