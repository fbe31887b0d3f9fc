"""Models that call one layer or block in several places, sharing its weights, as D2L's
parameter-tying examples do. Imported as `path:ClassName` or `path:function`."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class TiedMLP(nn.Module):
    """D2L's FixedHiddenMLP without its data-dependent loop and fixed random matrix:
    `self.linear` is called twice, the same weights at both places."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 20)
        self.linear = nn.Linear(20, 20)

    def forward(self, x):
        x = self.linear(x)
        x = F.relu(self.hidden(x) + 1)
        x = self.linear(x)
        return x.sum(dim=1, keepdim=True)


def tied_sequential():
    """D2L's parameter tying: one `shared` Linear at two places of an nn.Sequential."""
    shared = nn.Linear(8, 8)
    return nn.Sequential(
        nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1)
    )


class Residual(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return x + F.gelu(self.norm(self.fc(x)))


class Recurrent(nn.Module):
    """A block of its own class applied three times (weights tied across steps), then a
    ModuleList member called twice."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(6, 8)
        self.step = Residual(8)
        self.heads = nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 3)])

    def forward(self, x):
        x = self.embed(x)
        for _ in range(3):
            x = self.step(x)
        return self.heads[1](torch.tanh(self.heads[0](self.heads[0](x))))
