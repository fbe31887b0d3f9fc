"""Plots in the application's colours: background, axes, titles and legends follow the palette,
so the dark theme has dark plots, and switching back restores light ones.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette


def plot_colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """(background, text, axis) for plots drawn on `palette`."""
    background = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    axis = QColor(
        (text.red() + background.red()) // 2,
        (text.green() + background.green()) // 2,
        (text.blue() + background.blue()) // 2,
    )
    return background, text, axis


def legend_style(palette: QPalette) -> dict[str, object]:
    """A legend that reads on the plot behind it without hiding what is under it."""
    background, _text, axis = plot_colours(palette)
    fill = QColor(background)
    fill.setAlpha(210)
    return {"brush": pg.mkBrush(fill), "pen": pg.mkPen(axis)}


def style_plots(
    widget: pg.GraphicsLayoutWidget, plots: Iterable[pg.PlotItem], palette: QPalette
) -> None:
    """Colour `widget`'s background and each plot's axes, title and legend from `palette`."""
    background, text, axis = plot_colours(palette)
    widget.setBackground(background)
    for plot in plots:
        for side in ("left", "bottom"):
            item = plot.getAxis(side)
            item.setPen(pg.mkPen(axis))
            item.setTextPen(pg.mkPen(text))
        title = plot.titleLabel
        if title.text:
            title.setText(title.text, color=text.name())
        legend = plot.legend
        if legend is not None:
            style = legend_style(palette)
            legend.setBrush(style["brush"])
            legend.setPen(style["pen"])
            legend.setLabelTextColor(text)
