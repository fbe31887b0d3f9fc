"""What an exported file must do: compute what the generated module computes. ONNX passes
onnx.checker and runs in onnxruntime, TorchScript loads with torch.jit, the torch.export program
loads with torch.export; each on the same example inputs, within a tolerance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import torch

from runtime.formats import Exportable, export_program, write_onnx, write_torchscript


def outputs(result: object) -> list[np.ndarray]:
    items = result if isinstance(result, tuple | list) else (result,)
    return [t.detach().numpy() for t in items]


def assert_exports_compute(
    item: Exportable,
    expected: list[np.ndarray],
    folder: Path,
    close: tuple[float, float],
    onnx_close: tuple[float, float],
) -> str:
    """Export `item` in the three formats into `folder` and compare each file's outputs with
    `expected` (within `close`, rtol and atol; ONNX, computed by another runtime, within
    `onnx_close`); returns how TorchScript was made ("scripted" or "traced")."""
    program = export_program(item)
    torch.export.save(program, folder / "m.pt2")
    loaded = torch.export.load(folder / "m.pt2").module()
    with torch.no_grad():
        _assert_close(outputs(loaded(*item.examples)), expected, close, "program")

    write_onnx(item, folder / "m.onnx", program)
    onnx.checker.check_model(str(folder / "m.onnx"))  # by path: a model over 2 GB is checked too
    session = onnxruntime.InferenceSession(folder / "m.onnx")
    feeds = {i.name: e.numpy() for i, e in zip(session.get_inputs(), item.examples, strict=True)}
    _assert_close(session.run(None, feeds), expected, onnx_close, "ONNX")

    how = write_torchscript(item, folder / "m.pt")
    scripted = torch.jit.load(folder / "m.pt")
    with torch.no_grad():
        _assert_close(outputs(scripted(*item.examples)), expected, close, "TorchScript")
    return how


def _assert_close(got: list, expected: list, close: tuple[float, float], what: str) -> None:
    assert len(got) == len(expected), what
    rtol, atol = close
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, err_msg=what)
