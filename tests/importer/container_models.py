"""Models that keep their layers in an nn.ModuleList or nn.ModuleDict, as tutorials write them
when the depth or the set of heads is a constructor argument. Imported as `path:ClassName`."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class DeepMLP(nn.Module):
    """Hidden layers in a ModuleList, walked in a loop."""

    def __init__(self, features=2, width=16, depth=3, classes=2):
        super().__init__()
        self.hidden = nn.ModuleList(
            [nn.Linear(features if i == 0 else width, width) for i in range(depth)]
        )
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        for layer in self.hidden:
            x = torch.relu(layer(x))
        return self.head(x)


class SmallConv(nn.Module):
    """Indexes its ModuleList, and defines its head and norm in another order than forward
    calls them (the state_dict lists them as defined)."""

    def __init__(self):
        super().__init__()
        self.head = nn.Linear(8 * 4 * 4, 10)
        self.convs = nn.ModuleList([nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 8, 3, padding=1)])
        self.norm = nn.BatchNorm2d(8)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.convs[0](x)), 2)
        x = F.max_pool2d(F.relu(self.norm(self.convs[1](x))), 2)
        return self.head(torch.flatten(x, 1))


class EncoderLayer(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.mix = nn.Linear(width, width)
        self.norms = nn.ModuleList([nn.LayerNorm(width), nn.LayerNorm(width)])
        self.ff = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))

    def forward(self, x):
        x = x + self.mix(self.norms[0](x))
        return x + self.ff(self.norms[1](x))


class Encoder(nn.Module):
    """Blocks of its own class in a ModuleList, each with a ModuleList of its own inside."""

    def __init__(self, width=8, depth=2, classes=3):
        super().__init__()
        self.embed = nn.Linear(4, width)
        self.layers = nn.ModuleList([EncoderLayer(width) for _ in range(depth)])
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        x = self.embed(x)
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


class MultiTask(nn.Module):
    """One trunk and a head per task in a ModuleDict, each called by its key."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(6, 16), nn.ReLU())
        self.heads = nn.ModuleDict({"digit": nn.Linear(16, 10), "parity": nn.Linear(16, 2)})

    def forward(self, x):
        h = self.trunk(x)
        return torch.cat([self.heads["digit"](h), self.heads["parity"](h)], dim=1)


class Towers(nn.Module):
    """A ModuleDict walked with .values(), each tower an nn.Sequential (a block)."""

    def __init__(self):
        super().__init__()
        self.towers = nn.ModuleDict(
            {
                "wide": nn.Sequential(nn.Linear(6, 12), nn.ReLU()),
                "narrow": nn.Sequential(nn.Linear(6, 4), nn.Tanh()),
            }
        )
        self.out = nn.Linear(16, 2)

    def forward(self, x):
        return self.out(torch.cat([tower(x) for tower in self.towers.values()], 1))


class Stages(nn.Module):
    """A ModuleList of ModuleLists (stages of layers), walked in two loops: the keys are
    `stages.0.1.weight`."""

    def __init__(self, width=8):
        super().__init__()
        self.stem = nn.Linear(4, width)
        self.stages = nn.ModuleList(
            [
                nn.ModuleList([nn.Linear(width, width), nn.ReLU(), nn.LayerNorm(width)])
                for _ in range(2)
            ]
        )
        self.head = nn.Linear(width, 2)

    def forward(self, x):
        x = self.stem(x)
        for stage in self.stages:
            for layer in stage:
                x = layer(x)
        return self.head(x)


class DoubleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))


class TinyUNet(nn.Module):
    """A U-Net as they are often written: each level of the way down and of the way up a
    ModuleList of a block of its own class and a layer, the levels in a ModuleList, the skip
    connections concatenated."""

    def __init__(self, widths=(4, 8)):
        super().__init__()
        channels = [1, *widths]
        self.down = nn.ModuleList(
            [
                nn.ModuleList([DoubleConv(channels[i], channels[i + 1]), nn.MaxPool2d(2)])
                for i in range(len(widths))
            ]
        )
        self.bottom = DoubleConv(widths[-1], 2 * widths[-1])
        ups = []
        for width in reversed(widths):
            ups.append(
                nn.ModuleList(
                    [nn.ConvTranspose2d(2 * width, width, 2, 2), DoubleConv(2 * width, width)]
                )
            )
        self.up = nn.ModuleList(ups)
        self.out = nn.Conv2d(widths[0], 2, 1)

    def forward(self, x):
        skips = []
        for block, pool in self.down:
            x = block(x)
            skips.append(x)
            x = pool(x)
        x = self.bottom(x)
        for (grow, block), skip in zip(self.up, reversed(skips), strict=True):
            x = block(torch.cat([grow(x), skip], 1))
        return self.out(x)


class Routes(nn.Module):
    """A ModuleDict of ModuleLists, one list of layers per route, each called by key and index."""

    def __init__(self):
        super().__init__()
        self.routes = nn.ModuleDict(
            {
                "fast": nn.ModuleList([nn.Linear(6, 4)]),
                "slow": nn.ModuleList([nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 4)]),
            }
        )

    def forward(self, x):
        slow = x
        for layer in self.routes["slow"]:
            slow = layer(slow)
        return self.routes["fast"][0](x) + slow


class Skips(nn.Module):
    """A ModuleList whose parameterless middle member forward never calls: the member after
    it keeps its key `layers.2.weight`."""

    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3)])

    def forward(self, x):
        return self.layers[2](torch.tanh(self.layers[0](x)))


class Scales(nn.Module):
    """Per-stage scales in an nn.ParameterList and biases in an nn.ParameterDict, used in
    forward as tensors: the keys are `scales.0` and `shifts.out`."""

    def __init__(self):
        super().__init__()
        self.scales = nn.ParameterList([nn.Parameter(torch.rand(8) + 0.5) for _ in range(2)])
        self.fc = nn.Linear(8, 8)
        self.shifts = nn.ParameterDict({"out": nn.Parameter(torch.randn(8))})

    def forward(self, x):
        x = self.fc(x * self.scales[0]) * self.scales[1]
        return x + self.shifts["out"]
