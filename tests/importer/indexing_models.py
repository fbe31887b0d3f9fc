"""Models that index tensors (`x[:, :2]`, `out[:, -1, :]`, `x[..., 1:]`, `x[:, None]`) or call
with a dtype, imported as `path:ClassName` like a user's file."""

import torch
import torch.nn as nn


class Halves(nn.Module):
    """Two slices of one layer's output, added."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        x = self.fc(x)
        return x[:, :2] + x[:, 2:4]


class LastStep(nn.Module):
    """The RNN tutorials' classifier: the LSTM's output at the last time step."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


class LastLayer(nn.Module):
    """The other tutorials' classifier: the last layer's final state, h_n[-1]; torch gives
    h_n as [layers, batch, hidden], the drawing batch first."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, num_layers=2, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)
        return self.fc(h_n[-1])


class BothWays(nn.Module):
    """A bidirectional GRU's last forward and backward states, side by side."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 6, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(torch.cat((h[-2], h[-1]), dim=1))


class Squeezed(nn.Module):
    """One layer's h_n squeezed, and its states batch first by transpose."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.fc(h.squeeze(0)) + h.transpose(0, 1)[:, 0, :3]


class WholeState(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)
        return self.fc(h_n)  # [layers, batch, 3]: the drawing would give [batch, layers, 3]


class Tail(nn.Module):
    """`...` stands for the dims before the last."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 4, 3, padding=1)

    def forward(self, x):
        return self.conv(x)[..., 1:]


class Channel(nn.Module):
    """None inserts the channel dim a Conv2d wants."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)

    def forward(self, x):
        return self.conv(x[:, None])


class Window(nn.Module):
    """A slice of two dims in one indexing, every other position of the second."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 5)

    def forward(self, x):
        return self.fc(x[:, 1:3, ::2])


class Picks(nn.Module):
    """Ints, slices, None and `...` in one indexing: each component at the dim the ones
    before it left."""

    def forward(self, x):
        return x[:, 0, None, ..., -2:, 1]


def interleave(x):
    return torch.cat([x[:, ::2], x[:, 1::2]], 1)  # its body maps: two slices and a Concat


torch.fx.wrap("interleave")  # a leaf for fx: a Code node calling it


class Interleaved(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return interleave(self.fc(x))


class FirstSample(nn.Module):
    def forward(self, x):
        return x[0] * 2  # one sample of the batch: the drawing keeps the batch whole


class Ids(nn.Module):
    """A tensor method with torch's arguments and a dtype, which no layer matches."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x).sum(1, keepdim=True, dtype=torch.float32)


class Wider(nn.Module):
    def forward(self, x):
        return x.to(torch.float64)  # a drawing carries float32 and int64 tensors


class Reordered(nn.Module):
    """BGR to RGB: a list as an index picks channels in its order (advanced indexing)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(x[:, [2, 1, 0]])


class Spread(nn.Module):
    """A list index after a slice: the same position may be picked twice."""

    def forward(self, x):
        return x[:, 1:, [0, 0, 3]]


class Rows(nn.Module):
    def forward(self, x):
        return x[[0, 1]]  # a list on the batch: samples picked out of it
