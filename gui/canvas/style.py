"""Colours, fonts and sizes of the canvas, derived from the widget's QPalette.

Everything the items paint comes from one CanvasStyle, so a dark palette gives a dark canvas and
a theme change is one `set_style` away. Category colours come from gui.theme (the palette's dots
use the same), keep their hue in both themes, and only their lightness follows the background.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette

from gui.theme import category_color

# Geometry in scene units (1 unit = 1 px at 100%).
NODE_WIDTH = 188.0
HEADER_HEIGHT = 24.0
ROW_HEIGHT = 19.0
NODE_HEIGHT = HEADER_HEIGHT + 2 * ROW_HEIGHT + 8.0
CORNER = 7.0
PORT_RADIUS = 5.5
PORT_SPACING = 26.0
GRID = 20.0
BADGE_RADIUS = 9.0


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


@dataclass
class CanvasStyle:
    """The resolved colours and fonts for one palette."""

    dark: bool
    background: QColor
    grid: QColor
    node_fill: QColor
    node_border: QColor
    text: QColor
    muted_text: QColor
    selection: QColor
    wire: QColor
    wire_selected: QColor
    wire_label_fill: QColor
    port_fill: QColor
    port_border: QColor
    fits: QColor
    refuses: QColor
    error: QColor
    warning: QColor
    hint_fill: QColor
    hint_text: QColor
    title_font: QFont
    body_font: QFont
    small_font: QFont

    @classmethod
    def from_palette(cls, palette: QPalette, base_font: QFont | None = None) -> CanvasStyle:
        dark = is_dark(palette)
        window = palette.color(QPalette.ColorRole.Window)
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        background = window.darker(112) if dark else _mix(window, base, 0.5)
        node_fill = base.lighter(135) if dark else base
        if dark and node_fill.lightness() < 40:
            node_fill = QColor(48, 50, 56)
        muted = _mix(text, background, 0.42)
        font = QFont(base_font) if base_font is not None else QFont()
        if font.pointSizeF() <= 0:
            font.setPixelSize(12)
        else:
            font.setPointSizeF(9.5)
        title = QFont(font)
        title.setBold(True)
        small = QFont(font)
        small.setPointSizeF(8.5)
        return cls(
            dark=dark,
            background=background,
            grid=_mix(text, background, 0.86 if dark else 0.88),
            node_fill=node_fill,
            node_border=_mix(text, node_fill, 0.72),
            text=text,
            muted_text=muted,
            selection=highlight,
            wire=_mix(text, background, 0.45),
            wire_selected=highlight,
            wire_label_fill=_with_alpha(background, 225),
            port_fill=node_fill,
            port_border=_mix(text, node_fill, 0.35),
            fits=QColor(46, 196, 104) if dark else QColor(24, 150, 72),
            refuses=QColor(235, 87, 87) if dark else QColor(205, 45, 45),
            error=QColor(235, 87, 87) if dark else QColor(210, 48, 48),
            warning=QColor(240, 175, 40) if dark else QColor(214, 140, 0),
            hint_fill=palette.color(QPalette.ColorRole.ToolTipBase),
            hint_text=palette.color(QPalette.ColorRole.ToolTipText),
            title_font=title,
            body_font=font,
            small_font=small,
        )

    def __post_init__(self) -> None:
        self._category_cache: dict[str, QColor] = {}
        self.title_text = TextFitter(self.title_font)
        self.body_text = TextFitter(self.body_font)
        self.small_text = TextFitter(self.small_font)
        # For zoomed-out nodes, whose type is written in screen pixels.
        self.far_text = TextFitter(_pixel_font(self.title_font, 11))
        self.far_small_text = TextFitter(_pixel_font(self.title_font, 9))

    def category_colour(self, category: str) -> QColor:
        """The header colour of a category: the palette's colour for it (gui.theme), as a soft
        tint on light backgrounds and a deep shade on dark ones, so both carry white or dark
        text and match the palette's dots."""
        colour = self._category_cache.get(category)
        if colour is None:
            base = QColor(category_color(category))
            hue, saturation = max(base.hslHue(), 0), base.hslSaturation()
            if self.dark:
                colour = QColor.fromHsl(hue, min(saturation, 120), 84)
            else:
                colour = QColor.fromHsl(hue, min(saturation, 175), 202)
            self._category_cache[category] = colour
        return colour

    def header_text(self, header: QColor) -> QColor:
        """Readable text on a category band."""
        return QColor(245, 245, 245) if header.lightness() < 140 else QColor(28, 30, 36)


def _pixel_font(font: QFont, pixels: int) -> QFont:
    sized = QFont(font)
    sized.setPixelSize(pixels)
    return sized


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved towards `b` by `t` (0 = a, 1 = b)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def _with_alpha(colour: QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


class TextFitter:
    """Text widths and elisions for one font, remembered: a drawing repeats the same few
    strings ("ReLU", "→ [64]") across hundreds of nodes."""

    def __init__(self, font: QFont) -> None:
        self.font = font
        self._metrics = QFontMetricsF(font)
        self.height = self._metrics.height()
        self._widths: dict[str, float] = {}
        self._elided: dict[tuple[str, int], str] = {}

    def width(self, text: str) -> float:
        w = self._widths.get(text)
        if w is None:
            w = self._widths[text] = self._metrics.horizontalAdvance(text) if text else 0.0
        return w

    def elide(self, text: str, width: float) -> str:
        key = (text, int(width))
        out = self._elided.get(key)
        if out is None:
            if self.width(text) <= int(width):
                out = text
            else:
                out = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width))
            self._elided[key] = out
        return out


def format_count(n: int) -> str:
    """`456`, `61.7k`, `3.2M` trainable values."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
