"""Models calling torch functions, tensor methods and operators no layer matches, imported as
`path:ClassName` like a user's file."""

import torch
import torch.nn as nn


class Smoother(nn.Module):
    """A block of the model's own with one unmapped call among its layers."""

    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)

    def forward(self, x):
        return self.fc(x).cumsum(1) / x.shape[1]


class Signal(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 8)
        self.smooth = Smoother(8)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        x = torch.special.erf(self.inp(x))
        x = self.smooth(x) * 0.5 + torch.roll(x, 1, 1)
        y = torch.cumsum(x, dim=1)  # the same function as .cumsum() above, written another way
        return self.head(y**2)


class BatchSum(nn.Module):
    def forward(self, x):
        return x.cumsum(0)  # along the batch: a drawing's nodes act on each sample alone


class BatchExpand(nn.Module):
    def forward(self, x):
        return x.unsqueeze(1).expand(2, 3, 8)  # the example's batch of 2, written as a number


class Spectrum(nn.Module):
    def forward(self, x):
        return torch.fft.rfft(x, dim=-1).abs()
