"""Every example exports as ONNX, TorchScript and a torch.export program that compute what the
generated PyTorch module computes; the examples with Code nodes (examples/code) too, trusted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from graph import load_project
from runtime.code_runner import apply_trust
from runtime.formats import exportable
from tests.export_checks import assert_exports_compute, outputs

ROOT = Path(__file__).resolve().parents[2]
# Every example that checks (one that does not has no code to export; `check` says why).
EXAMPLES = [
    path
    for path in sorted((ROOT / "examples").glob("*.json"))
    if load_project(path).validate().valid
]
CODE_EXAMPLES = sorted((ROOT / "examples" / "code").glob("*.json"))
# The user's own classes that torch.jit.script cannot compile: traced instead, and said so.
TRACED = {
    "my_dict_dense": "indexes an nn.ParameterDict with an argument",
    "my_list_dense": "indexes an nn.ParameterList with a loop variable",
}


@pytest.mark.parametrize("path", EXAMPLES + CODE_EXAMPLES, ids=lambda p: p.stem)
def test_an_example_exports_to_onnx_torchscript_and_exported_program(path, tmp_path):
    project = load_project(path)
    apply_trust(project, path.parent.name == "code")  # examples/code: the user's own layers
    item = exportable(project)
    with torch.no_grad():
        expected = outputs(item.module(*item.examples))
    how = assert_exports_compute(item, expected, tmp_path, (1e-5, 1e-6), (1e-4, 1e-5))
    assert how == ("traced" if path.stem in TRACED else "scripted")


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
