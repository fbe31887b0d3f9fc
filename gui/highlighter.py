"""A small Python syntax highlighter for the code preview (keywords, builtins, strings, numbers,
comments, and the names a `def`/`class` introduces)."""

from __future__ import annotations

import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from gui.theme import ThemeColors, colors


def _fmt(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    f.setFontItalic(italic)
    return f


_KEYWORDS = r"\b(?:" + "|".join(keyword.kwlist) + r")\b"
# The builtins generated code and training scripts use; the full list costs a slow regex compile
# at startup for names that never appear.
_BUILTIN_NAMES = [
    "abs",
    "all",
    "any",
    "bool",
    "dict",
    "enumerate",
    "float",
    "getattr",
    "hasattr",
    "int",
    "isinstance",
    "len",
    "list",
    "max",
    "min",
    "print",
    "range",
    "round",
    "set",
    "sorted",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "zip",
    "ValueError",
    "RuntimeError",
]
_BUILTINS = r"\b(?:" + "|".join(_BUILTIN_NAMES) + r")\b"
_NUMBER = r"\b(?:0[xob][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?)\b"
_DEFINITION = r"\b(?:def|class)\s+(\w+)"
_DECORATOR = r"^\s*@[\w.]+"
_STRING = r"[rbfuRBFU]{0,2}(?:'[^'\\\n]*(?:\\.[^'\\\n]*)*'|\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\")"
_TRIPLE = re.compile(r'"""|\'\'\'')
_IN_TRIPLE = {'"""': 1, "'''": 2}


class PythonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, theme: ThemeColors | None = None) -> None:
        super().__init__(document)
        self.set_theme(theme or colors())

    def set_theme(self, theme: ThemeColors) -> None:
        self._rules = [
            (re.compile(_KEYWORDS), _fmt(theme.keyword, bold=True), 0),
            (re.compile(_BUILTINS), _fmt(theme.builtin), 0),
            (re.compile(r"\bself\b"), _fmt(theme.builtin, italic=True), 0),
            (re.compile(_NUMBER), _fmt(theme.number), 0),
            (re.compile(_DEFINITION), _fmt(theme.definition, bold=True), 1),
            (re.compile(_DECORATOR), _fmt(theme.definition), 0),
        ]
        self._string = _fmt(theme.string)
        self._comment = _fmt(theme.comment, italic=True)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for pattern, fmt, group in self._rules:
            for m in pattern.finditer(text):
                self.setFormat(m.start(group), m.end(group) - m.start(group), fmt)
        # Strings and comments last: they win over keywords inside them.
        covered: list[tuple[int, int]] = []
        for m in re.finditer(_STRING, text):
            self.setFormat(m.start(), m.end() - m.start(), self._string)
            covered.append((m.start(), m.end()))
        for m in re.finditer(r"#.*$", text):
            if not any(a <= m.start() < b for a, b in covered):
                self.setFormat(m.start(), len(text) - m.start(), self._comment)
                break
        self._triple_quotes(text)

    def _triple_quotes(self, text: str) -> None:
        """Docstrings over several lines: block state remembers an open triple quote."""
        self.setCurrentBlockState(0)
        start = 0
        state = self.previousBlockState()
        quote = next((q for q, s in _IN_TRIPLE.items() if s == state), None)
        pos = 0
        while True:
            if quote is None:
                m = _TRIPLE.search(text, pos)
                if not m:
                    return
                quote, start, pos = m.group(), m.start(), m.end()
            end = text.find(quote, pos)
            if end < 0:
                self.setFormat(start, len(text) - start, self._string)
                self.setCurrentBlockState(_IN_TRIPLE[quote])
                return
            self.setFormat(start, end + 3 - start, self._string)
            pos, quote = end + 3, None
