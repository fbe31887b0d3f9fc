"""The torchvision list of issue 13, weights=None, nothing downloaded: import, export, compare.

Small inputs keep it inside the test budget. What no layer matches becomes a Code node holding
the original class (convnext's LayerNorm2d, swin's window attention, stochastic depth), and
what the model owns but never calls in eval (googlenet's auxiliary heads) is kept, so every
model's own state_dict loads strictly into the exported module.
"""

from __future__ import annotations

import pytest

from graph.code_source import read_code_class
from importer import import_model
from importer.vision import load_models
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

ROUND_TRIP = {
    "alexnet": (3, 64, 64),
    "vgg11": (3, 32, 32),
    "vgg16_bn": (3, 32, 32),
    "resnet18": (3, 32, 32),
    "resnet50": (3, 32, 32),
    "squeezenet1_0": (3, 64, 64),
    "densenet121": (3, 32, 32),
    "regnet_x_400mf": (3, 32, 32),
    "mnasnet0_5": (3, 32, 32),
    "mobilenet_v3_small": (3, 32, 32),
    "mobilenet_v2": (3, 32, 32),
    "shufflenet_v2_x0_5": (3, 32, 32),  # .chunk() -> Chunk; channel_shuffle's view/transpose
    "vit_b_16": (3, 32, 32),  # class token, position embedding -> Parameter nodes
    "efficientnet_b0": (3, 32, 32),  # stochastic depth: a Code node, acting in training
    "googlenet": (3, 32, 32),  # its auxiliary heads, not called in eval: kept, not called
    "convnext_tiny": (3, 32, 32),  # LayerNorm2d (F.layer_norm on its own weight): a Code node
    "swin_t": (3, 32, 32),  # window attention: a Code node; windows of 7 pad the 8x8 patches
}

ARGS = {"vit_b_16": {"image_size": 32}, "googlenet": {"init_weights": False}}


def test_the_builders_load_here_without_the_compiled_ops():
    models = load_models()
    assert callable(models.resnet18)


@pytest.mark.parametrize("name", list(ROUND_TRIP))
def test_a_torchvision_model_round_trips_with_its_weights_and_outputs(name, tmp_path):
    shape = ROUND_TRIP[name]
    rt = round_trip(f"torchvision:{name}", [shape], num_classes=10, **ARGS.get(name, {}))
    assert_same_weights_and_outputs(rt, [shape])
    # submodules are blocks named as in the code: the model's own state_dict loads as it is
    original = rt.imported.module.state_dict()
    exported = rt.exported.state_dict()
    # the same keys in the same order: the generated __init__ defines the layers as the model
    # does (swin's PatchMerging defines `reduction` before the `norm` it calls first)
    assert list(exported) == list(original)
    assert all(exported[key].shape == original[key].shape for key in original)
    rt.exported.load_state_dict(original, strict=True)
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


def test_googlenets_auxiliary_heads_are_kept_built_but_not_called():
    """Not called in eval, so not in the trace; kept as Code nodes holding InceptionAux (with
    the BasicConv2d it builds), so the state_dict is the model's and they can train later."""
    kwargs = {"num_classes": 10, "init_weights": False}
    result = import_model("torchvision:googlenet", [(3, 32, 32)], kwargs=kwargs)
    assert not any("left out" in note for note in result.notes)
    project = result.project
    aux = [n for n in project.nodes if n.not_called]
    assert [(n.id, n.type) for n in aux] == [("aux1", "Code"), ("aux2", "Code")]
    assert aux[0].params["args"] == {"in_channels": 512, "num_classes": 10}
    assert "class BasicConv2d(nn.Module):" in aux[0].params["source"]
    assert read_code_class(aux[0].params["source"]).name == "InceptionAux"
    assert not project.wires_in("aux1") and not project.wires_out("aux1")
    report = project.validate()
    assert report.valid and report.total_params == sum(
        p.numel() for p in result.module.parameters()
    )
    # the main path's BasicConv2d blocks give the name to the class the heads build
    assert "BasicConv2d2" in [b.name for b in project.blocks]
