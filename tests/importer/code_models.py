"""Small models with parts no layer matches, imported as `path:ClassName` like a user's file.

`Shifted` rolls its input (torch.roll has no layer) with a helper function of this module,
scales it by its own parameter and adds its buffer flipped; `swap_halves` is wrapped for
torch.fx, so a trace keeps its call; `Gated` is built with a module as an argument, which no
project file can hold.
"""

from typing import Optional

import torch
import torch.fx
import torch.nn as nn
from torch import Tensor

from importer.vision import load_models

load_models()  # torchvision's model builders, loaded as the importer loads them here

from torchvision.ops import StochasticDepth  # noqa: E402


def shift(x: Tensor, by: Optional[int] = None) -> Tensor:  # noqa: UP045 (typing, as models have)
    return torch.roll(x, by or 1, dims=-1)


class Shifted(nn.Module):
    def __init__(self, width: int, by: int = 1, sizes: tuple = (1, 2)):
        super().__init__()
        self.by = by
        self.sizes = list(sizes)
        self.gain = nn.Parameter(torch.linspace(0.5, 1.5, width))
        self.register_buffer("offset", torch.full((width,), 0.25))

    def forward(self, x):
        # a buffer changed in forward (flipped) is what no node holds: the class is a Code node
        return shift(x, self.by) * self.gain + self.offset.flip(0)


def swap_halves(x: Tensor, dim: int) -> Tensor:
    return torch.roll(x, x.shape[dim] // 2, dim)


torch.fx.wrap("swap_halves")


class ShiftNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.shift = Shifted(8, by=2, sizes=(3, 4))
        self.head = nn.Linear(8, 3)
        self.spare = nn.Linear(8, 2)  # owned, never called

    def forward(self, x):
        x = swap_halves(self.fc(x), dim=-1)
        return self.head(self.shift(x))


class Residual(nn.Module):
    """A residual branch dropped per sample in training (torchvision's StochasticDepth)."""

    def __init__(self, p: float = 0.5):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.drop = StochasticDepth(p, "row")

    def forward(self, x):
        return x + self.drop(self.fc(x))


class DeepNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = Residual(0.25)
        self.block2 = Residual(0.5)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.block2(self.block1(x)))


class Halving(nn.Module):
    """Data-dependent control flow: no trace can follow it."""

    def forward(self, x):
        while x.abs().sum() > 1:
            x = x / 2
        return x


class HalvingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.halve = Halving()

    def forward(self, x):
        return self.halve(self.fc(x))


class Gated(nn.Module):
    def __init__(self, act: nn.Module):
        super().__init__()
        self.act = act

    def forward(self, x):
        return self.act(x)[:2]  # the first samples: no layer keeps part of the batch


class GatedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.gate = Gated(nn.Tanh())

    def forward(self, x):
        return self.gate(self.fc(x))
