"""Imported torchvision models export beyond Python source: ONNX (onnx.checker, onnxruntime),
TorchScript and a torch.export program, each computing what the original model computes with
its own weights loaded."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from runtime.formats import export_program, exportable, write_onnx, write_torchscript
from tests.importer.roundtrip import round_trip

# (input shape, also TorchScript): ONNX and the program for both; TorchScript, the slowest to
# make, for one (the generated code scripts the same way for every model).
MODELS = {
    "resnet18": ((3, 32, 32), True),  # blocks, residual adds
    "shufflenet_v2_x0_5": ((3, 32, 32), False),  # Chunk, channel shuffle's reshape, transpose
}


@pytest.mark.parametrize("name", list(MODELS))
def test_an_imported_model_exports_to_onnx_torchscript_and_a_program(name, tmp_path):
    shape, torchscript = MODELS[name]
    rt = round_trip(f"torchvision:{name}", [shape], num_classes=10)
    original = rt.imported.module.eval()
    rt.exported.load_state_dict(original.state_dict(), strict=True)  # the keys are the model's
    item = exportable(rt.imported.project, rt.exported)
    with torch.no_grad():
        expected = original(*item.examples).numpy()

    program = export_program(item)
    torch.export.save(program, tmp_path / "m.pt2")
    loaded = torch.export.load(tmp_path / "m.pt2").module()
    with torch.no_grad():
        np.testing.assert_allclose(loaded(*item.examples).numpy(), expected, rtol=1e-4, atol=1e-5)

    write_onnx(item, tmp_path / "m.onnx", program)
    onnx.checker.check_model(onnx.load(tmp_path / "m.onnx"))
    session = onnxruntime.InferenceSession(tmp_path / "m.onnx")
    feeds = {i.name: e.numpy() for i, e in zip(session.get_inputs(), item.examples, strict=True)}
    (got,) = session.run(None, feeds)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)

    if not torchscript:
        return
    how = write_torchscript(item, tmp_path / "m.pt")
    assert how in ("scripted", "traced")
    with torch.no_grad():
        scripted = torch.jit.load(tmp_path / "m.pt")(*item.examples).numpy()
    np.testing.assert_allclose(scripted, expected, rtol=1e-4, atol=1e-5)
