"""Light and dark looks for the editor: a Fusion palette, a small style sheet, and named colours.

Views that paint by hand (code highlighting, problem icons, category dots) read `colors()` so they
follow the theme without knowing which one is active.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")


@dataclass(frozen=True)
class ThemeColors:
    name: str
    window: str
    panel: str
    base: str
    alt_base: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    error: str
    warning: str
    ok: str
    # code preview
    keyword: str
    builtin: str
    string: str
    number: str
    comment: str
    definition: str
    line_highlight: str


LIGHT = ThemeColors(
    name="light",
    window="#f3f4f6",
    panel="#fbfbfc",
    base="#ffffff",
    alt_base="#f6f7f9",
    text="#1f2328",
    muted="#6b7280",
    border="#d8dbe0",
    accent="#2f6fde",
    accent_text="#ffffff",
    error="#c62828",
    warning="#b26a00",
    ok="#2e7d32",
    keyword="#7c3aed",
    builtin="#0b7285",
    string="#2b8a3e",
    number="#c2410c",
    comment="#8a8f98",
    definition="#1d4ed8",
    line_highlight="#fff3bf",
)

DARK = ThemeColors(
    name="dark",
    window="#1e2127",
    panel="#23262d",
    base="#181a1f",
    alt_base="#1f2228",
    text="#e3e6eb",
    muted="#9aa1ac",
    border="#343842",
    accent="#5b8def",
    accent_text="#ffffff",
    error="#ef5350",
    warning="#f0b429",
    ok="#66bb6a",
    keyword="#c792ea",
    builtin="#56b6c2",
    string="#98c379",
    number="#f78c6c",
    comment="#7f848e",
    definition="#82aaff",
    line_highlight="#3d3a24",
)

_CATEGORY_HUES = {
    "Input / Output": "#64748b",
    "Linear": "#2f6fde",
    "Convolution": "#7c3aed",
    "Pooling": "#0891b2",
    "Activation": "#ea580c",
    "Normalization": "#16a34a",
    "Recurrent": "#db2777",
    "Merge": "#ca8a04",
    "Reshape": "#6b7280",
}

_current: ThemeColors = LIGHT


def colors() -> ThemeColors:
    """The colours of the active theme."""
    return _current


def category_color(category: str) -> str:
    """A stable colour per layer category (palette dots; the canvas may use it too)."""
    if category in _CATEGORY_HUES:
        return _CATEGORY_HUES[category]
    hues = ("#0f766e", "#9333ea", "#b45309", "#be123c", "#4d7c0f")
    return hues[sum(map(ord, category)) % len(hues)]


def apply_theme(app: QApplication, name: str) -> ThemeColors:
    """Switch the whole application to the light or dark theme (unknown names mean light)."""
    global _current
    theme = DARK if name == "dark" else LIGHT
    _current = theme
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    app.setStyleSheet(_style_sheet(theme))
    return theme


def _palette(t: ThemeColors) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: t.window,
        QPalette.ColorRole.WindowText: t.text,
        QPalette.ColorRole.Base: t.base,
        QPalette.ColorRole.AlternateBase: t.alt_base,
        QPalette.ColorRole.Text: t.text,
        QPalette.ColorRole.Button: t.panel,
        QPalette.ColorRole.ButtonText: t.text,
        QPalette.ColorRole.ToolTipBase: t.panel,
        QPalette.ColorRole.ToolTipText: t.text,
        QPalette.ColorRole.Highlight: t.accent,
        QPalette.ColorRole.HighlightedText: t.accent_text,
        QPalette.ColorRole.PlaceholderText: t.muted,
        QPalette.ColorRole.Link: t.accent,
        QPalette.ColorRole.Mid: t.border,
        QPalette.ColorRole.Midlight: t.border,
        QPalette.ColorRole.Dark: t.border,
    }
    for role, value in roles.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(t.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(t.muted))
    return p


def _style_sheet(t: ThemeColors) -> str:
    # Sizes in pt/em-free px stay crisp: Qt scales them with QT_SCALE_FACTOR.
    return f"""
QMainWindow::separator {{ background: {t.border}; width: 1px; height: 1px; }}
QDockWidget {{ titlebar-close-icon: none; }}
QDockWidget::title {{
    background: {t.window}; padding: 6px 8px; color: {t.muted};
    text-transform: uppercase; font-weight: 600;
}}
QTabWidget::pane {{ border: none; border-top: 1px solid {t.border}; }}
QTabBar::tab {{
    background: transparent; color: {t.muted}; padding: 6px 14px; border: none;
    border-bottom: 2px solid transparent;
}}
QTabBar::tab:selected {{ color: {t.text}; border-bottom: 2px solid {t.accent}; }}
QTabBar::tab:hover {{ color: {t.text}; }}
QLineEdit, QPlainTextEdit {{
    border: 1px solid {t.border}; border-radius: 4px; padding: 3px 5px;
    background: {t.base}; selection-background-color: {t.accent};
}}
QLineEdit:focus {{ border: 1px solid {t.accent}; }}
QPlainTextEdit#codePreview {{ border: none; border-radius: 0; }}
QToolButton#linkToggle:checked, QToolButton#pinToggle:checked {{
    background: {t.alt_base}; color: {t.accent}; border: 1px solid {t.accent};
}}
QFrame#divider {{ background: {t.border}; border: none; min-height: 1px; max-height: 1px; }}
QLineEdit[invalid="true"] {{ border: 1px solid {t.error}; }}
QTreeView, QListView {{ border: none; background: {t.panel}; outline: 0; }}
QTreeView::item {{ padding: 3px 2px; }}
QListView::item {{ padding: 4px 6px; }}
QTreeView::item:hover {{ background: {t.alt_base}; }}
QTreeView::item:selected {{ background: {t.accent}; color: {t.accent_text}; }}
QScrollArea {{ border: none; background: {t.panel}; }}
QScrollArea > QWidget > QWidget {{ background: {t.panel}; }}
QStatusBar {{ background: {t.window}; border-top: 1px solid {t.border}; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QToolButton {{ border: 1px solid transparent; border-radius: 4px; padding: 2px; }}
QToolButton:hover {{ border: 1px solid {t.border}; background: {t.alt_base}; }}
QToolButton:checked {{ background: {t.accent}; color: {t.accent_text}; }}
QLabel#sectionTitle {{ font-weight: 600; font-size: 13pt; }}
QLabel#muted {{ color: {t.muted}; }}
QLabel#error {{ color: {t.error}; }}
QLabel#warning {{ color: {t.warning}; }}
QLabel#ok {{ color: {t.ok}; }}
QToolTip {{ border: 1px solid {t.border}; padding: 4px; }}
"""
