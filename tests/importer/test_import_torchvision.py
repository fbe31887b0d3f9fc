"""The torchvision list of issue 13, weights=None, nothing downloaded: import, export, compare.

Small inputs keep it inside the test budget. Models that need what the importer cannot draw yet
(torchvision's LayerNorm2d calls F.layer_norm with its own weights; Swin's wrapped attention)
are refused in one line naming the operation and its line; each such case is listed with the
reason, so a change that makes one importable turns its case into a failure to update.
"""

from __future__ import annotations

import pytest

from importer import ImportFailed, import_model
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
    "efficientnet_b0": (3, 32, 32),  # stochastic depth: identity in eval, left out (a note)
    "googlenet": (3, 32, 32),  # without its auxiliary heads (see below)
}

NOT_YET = {
    "convnext_tiny": ((3, 32, 32), "no layer matches the call layer_norm() at convnext.py:"),
    "swin_t": ((3, 32, 32), "no layer matches the call shifted_window_attention() at "),
}

ARGS = {"vit_b_16": {"image_size": 32}, "googlenet": {"aux_logits": False, "init_weights": False}}


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
    assert list(exported) == list(original)
    assert all(exported[key].shape == original[key].shape for key in original)
    rt.exported.load_state_dict(original, strict=True)
    again = reimport(rt, tmp_path, [shape])
    assert drawing_signature(again) == drawing_signature(rt.imported.project)


@pytest.mark.parametrize("name", list(NOT_YET))
def test_a_model_needing_missing_layers_is_refused_in_one_line(name):
    shape, expected = NOT_YET[name]
    kwargs = {"num_classes": 10, **ARGS.get(name, {})}
    with pytest.raises(ImportFailed) as info:
        import_model(f"torchvision:{name}", [shape], kwargs=kwargs)
    assert "\n" not in str(info.value)
    assert expected in str(info.value)


def test_googlenets_auxiliary_heads_not_called_in_eval_are_named_in_a_note():
    kwargs = {"num_classes": 10, "init_weights": False}
    result = import_model("torchvision:googlenet", [(3, 32, 32)], kwargs=kwargs)
    assert "not called in eval mode, left out: aux1, aux2" in result.notes
    assert not any(b.name.startswith("InceptionAux") for b in result.project.blocks)
