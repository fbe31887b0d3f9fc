"""Code node sources the tests share: the seeds' own layers, and a few that misbehave."""

from __future__ import annotations

CENTERED = """class CenteredLayer(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, X):
        return X - X.mean()
"""

VALUES = """class Halving(nn.Module):
    def forward(self, X):
        while X.abs().sum() > 1:
            X = X / 2
        return X
"""

FAILS_ON_LINE_4 = """class Broken(nn.Module):
    def forward(self, x):
        y = x * 2
        return y @ torch.ones(3, 5)
"""

FOREVER = """class Forever(nn.Module):
    def forward(self, x):
        while True:
            pass
"""

TWO_OUT = """class Halves(nn.Module):
    def forward(self, a, b):
        return a + b, a - b
"""

NOT_A_TENSOR = """class Scalar(nn.Module):
    def forward(self, x):
        return 3
"""

NO_BATCH = """class Total(nn.Module):
    def forward(self, x):
        return x.sum()
"""

PRINTS = """class Loud(nn.Module):
    def forward(self, x):
        print("hello from forward")
        return x
"""


def canary(path: str) -> str:
    """A class that, if it ever ran, writes `path` (at definition, construction and forward)."""
    return f"""class Canary(nn.Module):
    open({path!r}, "w").write("class body ran")

    def __init__(self):
        super().__init__()
        open({path!r}, "w").write("constructor ran")
        print("CANARY RAN")

    def forward(self, x):
        open({path!r}, "w").write("forward ran")
        return x
"""
