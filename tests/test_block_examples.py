"""The block examples export to the module a person would write by hand.

Each hand-written network below is typed in the way the seeds and torchvision write them, not
generated; the exported module must have its parameter count, output shape and exact
`state_dict` keys and shapes, so the hand-written weights load into it (strict) and both give
the same outputs. ResNet-18 is torchvision's `resnet18()` structure written out, and is also
checked against torchvision's own `resnet18()`, whose pure-Python builders importer/vision.py
loads without the CUDA-only C ops.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen import generate_model
from graph import load_project
from tests.codegen.roundtrip import load_class

torch = pytest.importorskip("torch")
nn = torch.nn

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# --- the seeds' blocks chapter -------------------------------------------------------------------


def block1():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())


class NestedBlocks(nn.Module):
    """`nn.Sequential(block2(), nn.Linear(4, 1))`, with attribute names for its two parts."""

    def __init__(self) -> None:
        super().__init__()
        self.b2 = nn.Sequential(*[block1() for _ in range(4)])
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        return self.fc(self.b2(x))


class FixedHiddenMLP(nn.Module):
    """The seeds' FixedHiddenMLP without its constant matrix and loop: one Linear used twice."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(20, 20)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.linear(self.relu(self.linear(x)))


class NestMLPChain(nn.Module):
    """The seeds' `nn.Sequential(NestMLP(), nn.Linear(16, 20), FixedHiddenMLP())`."""

    def __init__(self) -> None:
        super().__init__()
        self.nest = nn.Sequential(
            nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16)
        )
        self.mid = nn.Linear(16, 20)
        self.fixed = FixedHiddenMLP()

    def forward(self, x):
        return self.fixed(self.mid(self.nest(x)))


class SharedMLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc_in = nn.Linear(2, 16)
        self.hidden = nn.Linear(16, 16)
        self.head = nn.Linear(16, 2)

    def forward(self, x):
        x = torch.relu(self.fc_in(x))
        x = torch.relu(self.hidden(x))
        x = torch.relu(self.hidden(x))
        return self.head(x)


def vgg_stage(in_channels: int, channels: int, convs: int):
    layers = []
    for i in range(convs):
        conv = nn.Conv2d(in_channels if i == 0 else channels, channels, 3, padding=1)
        layers.append(nn.Sequential(conv, nn.ReLU(inplace=True)))
    return nn.Sequential(*layers, nn.MaxPool2d(2, 2))


class VGG16(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        cfg = [(3, 64, 2), (64, 128, 2), (128, 256, 3), (256, 512, 3), (512, 512, 3)]
        for i, (cin, cout, n) in enumerate(cfg, 1):
            setattr(self, f"stage{i}", vgg_stage(cin, cout, n))
        self.fc1 = nn.Linear(512, 512)
        self.fc2 = nn.Linear(512, 10)

    def forward(self, x):
        for i in range(1, 6):
            x = getattr(self, f"stage{i}")(x)
        return self.fc2(torch.relu(self.fc1(torch.flatten(x, 1))))


# --- torchvision's ResNet-18, written out ---------------------------------------------------------


class BasicBlock(nn.Module):
    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample=None) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNet18(nn.Module):
    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._make_layer(64, 1)
        self.layer2 = self._make_layer(128, 2)
        self.layer3 = self._make_layer(256, 2)
        self.layer4 = self._make_layer(512, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, num_classes)

    def _make_layer(self, planes: int, stride: int):
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes)
            )
        layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers.append(BasicBlock(planes, planes))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# file, the hand-written network, the sample shape (batch left out)
CASES = [
    ("nested_blocks.json", NestedBlocks, (4,)),
    ("nest_mlp.json", NestMLPChain, (20,)),
    ("shared_mlp.json", SharedMLP, (2,)),
    ("vgg16_blocks.json", VGG16, (3, 32, 32)),
    ("resnet18.json", ResNet18, (3, 64, 64)),
]
BLOCK_EXAMPLES = {c[0] for c in CASES}


def _exported(name: str) -> nn.Module:
    project = load_project(EXAMPLES / name)
    report = project.validate()
    assert report.valid, [p.message for p in report.errors]
    model = generate_model(project, report)
    return load_class(model)(), report


@pytest.mark.parametrize(("name", "build", "sample"), CASES, ids=[c[0] for c in CASES])
def test_exported_module_matches_the_hand_written_one(name, build, sample):
    torch.manual_seed(0)
    exported, report = _exported(name)
    by_hand = build()
    mine = {k: tuple(v.shape) for k, v in exported.state_dict().items()}
    theirs = {k: tuple(v.shape) for k, v in by_hand.state_dict().items()}
    assert mine == theirs
    count = sum(p.numel() for p in exported.parameters())
    assert count == sum(p.numel() for p in by_hand.parameters()) == report.total_params
    exported.load_state_dict(by_hand.state_dict(), strict=True)
    exported.eval()
    by_hand.eval()
    x = torch.randn(2, *sample, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        assert torch.allclose(exported(x), by_hand(x), atol=1e-5)


def test_resnet18_has_torchvision_parameter_count_and_keys():
    exported, report = _exported("resnet18.json")
    assert report.total_params == 11_689_512
    keys = list(exported.state_dict())
    assert keys == list(ResNet18().state_dict())
    assert "layer2.0.downsample.0.weight" in keys and "layer1.1.bn2.running_var" in keys


def test_resnet18_takes_torchvisions_own_weights_and_gives_its_outputs():
    # torchvision's CUDA-only build cannot load its C ops next to the CPU torch here; its model
    # builders are pure Python and importer/vision.py loads them without the ops.
    from importer.vision import load_models

    theirs = load_models().resnet18()
    exported, _ = _exported("resnet18.json")
    assert list(exported.state_dict()) == list(theirs.state_dict())
    exported.load_state_dict(theirs.state_dict(), strict=True)
    exported.eval()
    theirs.eval()
    x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        assert torch.allclose(exported(x), theirs(x), atol=1e-5)
