"""A model's own submodules import as block definitions and instances: one definition per class
and structure, the values its instances differ in as block parameters, instances named as in
the code, so the original state_dict loads strictly into the exported module as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from importer.naming import PATH_KEY
from tests.importer.roundtrip import (
    assert_same_weights_and_outputs,
    drawing_signature,
    reimport,
    round_trip,
)

SEEDS = str(Path(__file__).with_name("seed_models.py"))


@pytest.fixture(scope="module")
def resnet18():
    return round_trip("torchvision:resnet18", [(3, 32, 32)], num_classes=10)


def test_resnet18_is_one_definition_per_class_and_structure(resnet18):
    project = resnet18.imported.project
    blocks = {b.name: [p.name for p in b.params] for b in project.blocks}
    assert blocks == {
        "BasicBlock": ["out_channels"],  # layer1.0 ... layer4.1, planes 64 to 512
        "Layer1": [],
        "Downsample": ["out_channels"],
        "BasicBlock2": ["out_channels"],  # the first of layers 2-4: stride 2 and a downsample
        "Layer2": ["out_channels"],  # layer2, layer3, layer4
    }
    stages = [(n.id, n.type, n.params) for n in project.nodes if n.id.startswith("layer")]
    assert stages == [
        ("layer1", "Layer1", {}),
        ("layer2", "Layer2", {"out_channels": 128}),
        ("layer3", "Layer2", {"out_channels": 256}),
        ("layer4", "Layer2", {"out_channels": 512}),
    ]
    block = project.blocks.get("BasicBlock2").body
    assert block.node("conv1").params["out_channels"] == "$out_channels"
    assert block.node("downsample").type == "Downsample"
    assert project.node("layer3").extra[PATH_KEY] == "layer3"


def test_resnet18s_own_state_dict_loads_strictly_without_renaming(resnet18):
    original = resnet18.imported.module.eval()
    exported = resnet18.exported.eval()
    assert list(exported.state_dict()) == list(original.state_dict())
    exported.load_state_dict(original.state_dict(), strict=True)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        assert torch.allclose(exported(x), original(x), rtol=1e-4, atol=1e-5)
    assert "class BasicBlock(nn.Module):" in resnet18.code.source
    assert "self.layer3 = Layer2(128, 256)" in resnet18.code.source


def test_resnet18_imports_again_as_the_same_blocks(resnet18, tmp_path):
    again = reimport(resnet18, tmp_path, [(3, 32, 32)])
    assert drawing_signature(again) == drawing_signature(resnet18.imported.project)


def test_the_seeds_nested_blocks_share_one_definition_and_round_trip(tmp_path):
    """D2L's rgnet: Sequential(block2(), Linear), block2 holding four block1()s named
    `block 0`...: names no attribute can have, so the nn.Sequential adds each child under its
    own name. The model itself, an nn.Sequential, is written as one, so its keys stay `0...`."""
    rt = round_trip(f"{SEEDS}:rgnet", [(4,)])
    project = rt.imported.project
    assert [b.name for b in project.blocks] == ["Block0", "Sequential"]
    body = project.blocks.get("Sequential").body
    inner = [n for n in body.nodes if n.type == "Block0"]
    assert [(n.id, n.label, n.extra[PATH_KEY]) for n in inner] == [
        (f"block {i}", None, f"block {i}") for i in range(4)
    ]
    assert '        self.add_module("block 0", Block0())' in rt.code.source.splitlines()
    assert "class Rgnet(nn.Sequential):" in rt.code.source
    assert list(rt.exported.state_dict()) == list(rt.imported.module.state_dict())
    rt.exported.load_state_dict(rt.imported.module.state_dict(), strict=True)
    assert_same_weights_and_outputs(rt, [(4,)])
    again = reimport(rt, tmp_path, [(4,)])
    assert drawing_signature(again) == drawing_signature(project)
