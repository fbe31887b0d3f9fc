"""Growing (x, y) series for live plots: preallocated numpy buffers that double when full.

Appending a point is O(1) amortised and `view()` hands pyqtgraph the filled part without copying,
so a curve with 100,000 points costs no more per tick than one with a hundred.
"""

from __future__ import annotations

import math

import numpy as np


class GrowingSeries:
    """An (x, y) series held in float64 buffers that grow geometrically."""

    def __init__(self, capacity: int = 1024) -> None:
        self._x = np.empty(max(capacity, 16))
        self._y = np.empty(max(capacity, 16))
        self._n = 0
        self.changed = False  # set on append, cleared by whoever redraws
        self.low = math.inf  # smallest and largest finite y so far: the plots' ranges
        self.high = -math.inf

    def __len__(self) -> int:
        return self._n

    def _reserve(self, extra: int) -> None:
        need = self._n + extra
        if need <= len(self._x):
            return
        size = len(self._x)
        while size < need:
            size *= 2
        # Views handed out earlier keep the old buffers alive; they are never written again.
        for name in ("_x", "_y"):
            old = getattr(self, name)
            new = np.empty(size)
            new[: self._n] = old[: self._n]
            setattr(self, name, new)

    def append(self, x: float, y: float) -> None:
        self._reserve(1)
        self._x[self._n] = x
        self._y[self._n] = y
        self._n += 1
        self.changed = True
        if math.isfinite(y):
            self.low = min(self.low, y)
            self.high = max(self.high, y)

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        count = len(xs)
        if count == 0:
            return
        self._reserve(count)
        self._x[self._n : self._n + count] = xs
        self._y[self._n : self._n + count] = ys
        self._n += count
        self.changed = True
        finite = np.asarray(ys, dtype=float)
        finite = finite[np.isfinite(finite)]
        if len(finite):
            self.low = min(self.low, float(finite.min()))
            self.high = max(self.high, float(finite.max()))

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        """The filled part of the buffers (no copy)."""
        return self._x[: self._n], self._y[: self._n]

    def last(self) -> tuple[float, float] | None:
        if self._n == 0:
            return None
        return float(self._x[self._n - 1]), float(self._y[self._n - 1])

    def clear(self) -> None:
        self._n = 0
        self.changed = True
        self.low, self.high = math.inf, -math.inf


class Smoother:
    """Exponential moving average with start-up bias correction (as TensorBoard smooths)."""

    def __init__(self, weight: float = 0.9) -> None:
        self.weight = weight
        self._value = 0.0
        self._count = 0

    def __call__(self, value: float) -> float:
        if not math.isfinite(value):
            # One NaN must not poison the rest of the smoothed curve.
            return value
        self._count += 1
        self._value = self.weight * self._value + (1.0 - self.weight) * value
        return self._value / (1.0 - self.weight**self._count)
