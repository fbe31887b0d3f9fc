"""Every imported torchvision model of the issue exports beyond Python source: ONNX
(onnx.checker, onnxruntime), TorchScript and a torch.export program, each computing what the
original model computes with its own state_dict loaded as it is (the keys are the model's).

One import per model serves the three formats; the inputs are as small as the model allows.
"""

from __future__ import annotations

import pytest
import torch

from importer import import_model
from runtime.formats import exportable
from tests.export_checks import assert_exports_compute, outputs
from tests.importer.test_import_torchvision import ARGS, ROUND_TRIP


@pytest.mark.parametrize("name", list(ROUND_TRIP))
def test_an_imported_model_exports_to_onnx_torchscript_and_a_program(name, tmp_path):
    shape = ROUND_TRIP[name]
    kwargs = {"num_classes": 10, **ARGS.get(name, {})}
    imported = import_model(f"torchvision:{name}", [shape], kwargs=kwargs)
    item = exportable(imported.project)
    original = imported.module.eval()
    item.module.load_state_dict(original.state_dict(), strict=True)
    with torch.no_grad():
        expected = outputs(original(*item.examples))
    how = assert_exports_compute(item, expected, tmp_path, (1e-4, 1e-5), (1e-4, 1e-4))
    assert how == "scripted"  # the generated code compiles with torch.jit.script
