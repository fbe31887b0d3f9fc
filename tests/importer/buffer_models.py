"""Models that use their buffers (`register_buffer`) directly in forward. Imported as
`path:ClassName`."""

import torch
import torch.nn as nn


class Normalised(nn.Module):
    """Subtracts a stored mean and divides by a stored std before its convolution, as models
    that normalise their own input do."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv((x - self.mean) / self.std)


class ZeroState(nn.Module):
    """A buffer left out of the state_dict (persistent=False) that is all zeros."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)
        self.register_buffer("offset", torch.zeros(6), persistent=False)

    def forward(self, x):
        return self.fc(x) + self.offset


class RandomTable(nn.Module):
    """A non-persistent buffer of random values: no drawing can make the same ones."""

    def __init__(self):
        super().__init__()
        self.register_buffer("table", torch.randn(6), persistent=False)

    def forward(self, x):
        return x * self.table


class Reversed(nn.Module):
    """Adds its parameter reversed: no node makes the reversal."""

    def __init__(self):
        super().__init__()
        self.ramp = nn.Parameter(torch.linspace(-1.0, 1.0, 6))

    def forward(self, x):
        return x + self.ramp.flip(0)


class WithReversed(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 6)
        self.rev = Reversed()

    def forward(self, x):
        return self.rev(self.fc(x))
