"""The plots' axes: labelled only as densely as the labels fit; epochs in whole steps.

pyqtgraph's default spacing asks for at least 2.25 intervals whatever the length, so a plot
140 px wide (three plots side by side at 1280×720) got labels every 0.2 epoch that ran into each
other ("0.20.40.60.8"). Here the number of labels follows the axis length, and steps are whole
epochs once the range spans one.
"""

from __future__ import annotations

from math import floor, log10

import pyqtgraph as pg

# Room for one label ("100" or "0.5") and the gap that keeps it apart from the next: across
# the x axis, and up the y axis (a line of text and a little air).
LABEL_ROOM_PX = 42
LABEL_HEIGHT_PX = 24


def nice_step(span: float, length_px: float, room_px: float = LABEL_ROOM_PX) -> float:
    """The distance between labelled ticks: 1, 2 or 5 times a power of ten, no closer than
    `room_px` apart."""
    fit = max(1, int(length_px // room_px))
    wanted = span / fit
    power = 10 ** floor(log10(wanted))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= wanted * (1 - 1e-9))


def epoch_step(span: float, length_px: float) -> float:
    """As `nice_step` across the x axis, in whole epochs when the range is over one epoch."""
    step = nice_step(span, length_px)
    return max(step, 1.0) if span > 1 else step


class EpochAxis(pg.AxisItem):
    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        span = abs(maxVal - minVal)
        if span == 0 or size <= 0:
            return []
        return [(epoch_step(span, size), 0)]


class ValueAxis(pg.AxisItem):
    """The y axis of a plot that may be only a few dozen pixels high in a small window."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        span = abs(maxVal - minVal)
        if self.logMode or span == 0 or size <= 0:
            return super().tickSpacing(minVal, maxVal, size)
        return [(nice_step(span, size, LABEL_HEIGHT_PX), 0)]


def epoch_axis() -> dict[str, dict[str, pg.AxisItem]]:
    """`addPlot` keywords for a plot over epochs."""
    return {"axisItems": {"bottom": EpochAxis("bottom"), "left": ValueAxis("left")}}
