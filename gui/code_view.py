"""The code preview: the PyTorch module the drawing becomes, regenerated shortly after each edit,
syntax highlighted, with the lines of the selected layers marked.

An invalid drawing has no code; the preview then explains why in a short comment.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QShowEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from graph import Project
from gui.highlighter import PythonHighlighter
from gui.theme import colors
from i18n import localize

translate = QCoreApplication.translate

REGENERATE_DELAY_MS = 150


def explain_invalid(project: Project) -> str:
    """The comment shown instead of code when the drawing has errors."""
    report = project.validate()
    if not project.nodes:
        empty = translate(
            "CodeView", "The drawing is empty: add an Input layer from the palette to begin."
        )
        return f"# {empty}\n"
    lines = [
        "# "
        + translate("CodeView", "No code yet: the drawing has {count} error(s).").format(
            count=len(report.errors)
        ),
        "# "
        + translate("CodeView", "Fix them (see the Problems tab) and the module appears here."),
        "#",
    ]
    for problem in report.errors[:5]:
        lines.append(f"# - {localize(problem.message)}")
    if len(report.errors) > 5:
        more = translate("CodeView", "... and {count} more").format(count=len(report.errors) - 5)
        lines.append(f"# {more}")
    return "\n".join(lines) + "\n"


def _commented(text: str) -> str:
    return "".join(f"# {line}\n" for line in text.splitlines())


class CodePreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("codePreview")
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        self.highlighter = PythonHighlighter(self.editor.document())
        self._project: Project | None = None
        self.line_map: dict[int, str] = {}
        self.block_lines: dict[int, tuple[str, str]] = {}  # line -> (block, node in its drawing)
        self._selected: list[str] = []
        self._block: str | None = None  # the selection is inside this block's drawing
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REGENERATE_DELAY_MS)
        self._timer.timeout.connect(self._regenerate_if_shown)
        self._stale = False

    def set_project(self, project: Project) -> None:
        self._project = project
        self._stale = True
        self._regenerate_if_shown()

    def schedule(self) -> None:
        """The drawing changed: regenerate soon (many quick edits cost one regeneration)."""
        self._stale = True
        self._timer.start()

    def source(self) -> str:
        """The text the tab shows (brought up to date first, even while the tab is hidden)."""
        if self._stale:
            self.regenerate()
        return self.editor.toPlainText()

    def _regenerate_if_shown(self) -> None:
        # A hidden tab waits until it is shown: startup and edits made with the tab closed do not
        # pay for code generation nobody reads.
        if self.isVisible():
            self.regenerate()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.regenerate()
        self.highlight_nodes(self._selected, block=self._block)  # bring their lines into view

    def regenerate(self) -> None:
        self._timer.stop()
        if self._project is None:
            return
        self._stale = False
        text, line_map = self._generate(self._project)
        self.line_map = line_map
        if text != self.editor.toPlainText():
            bar = self.editor.verticalScrollBar()
            scroll = bar.value()
            self.editor.setPlainText(text)
            bar.setValue(scroll)
        self.highlight_nodes(self._selected, scroll=False, block=self._block)

    def _generate(self, project: Project) -> tuple[str, dict[int, str]]:
        self.block_lines = {}
        report = project.validate()
        if not report.valid or not project.nodes:
            return explain_invalid(project), {}
        try:
            from codegen import CodegenError, generate_model
        except ImportError:
            return "# Code generation is not available in this build.\n", {}
        try:
            generated = generate_model(project, report)
        except CodegenError as exc:
            return _commented(
                translate("CodeView", "The code could not be generated: {exc}").format(exc=exc)
            ), {}
        except Exception as exc:  # a codegen bug: say so here instead of a dialog per edit
            traceback.print_exc()
            return _commented(
                translate("CodeView", "Code generation failed unexpectedly ({exc!r}).").format(
                    exc=exc
                )
            ), {}
        self.block_lines = dict(generated.block_lines)
        return generated.source, dict(generated.line_map)

    def set_theme(self) -> None:
        self.highlighter.set_theme(colors())
        self.highlight_nodes(self._selected, scroll=False, block=self._block)

    def highlighted_lines(self) -> list[int]:
        """1-based numbers of the lines marked for the selected layers."""
        if self._stale:
            self.regenerate()
        if self._block is not None:
            return sorted(
                line
                for line, (block, node) in self.block_lines.items()
                if block == self._block and node in self._selected
            )
        return sorted(line for line, node in self.line_map.items() if node in self._selected)

    def highlight_nodes(
        self, node_ids: list[str], scroll: bool = True, block: str | None = None
    ) -> None:
        """Mark the lines of the selected layers: of the model, or inside `block`'s class."""
        self._block = block
        self._selected = list(node_ids)
        if self._stale and not self.isVisible():
            return  # applied when the tab is shown and the code regenerated
        selections = []
        color = QColor(colors().line_highlight)
        doc = self.editor.document()
        lines = self.highlighted_lines()
        for line in lines:
            block = doc.findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            sel.format.setBackground(color)
            sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            sel.cursor = QTextCursor(block)
            selections.append(sel)
        self.editor.setExtraSelections(selections)
        if scroll and lines:
            block = doc.findBlockByNumber(lines[0] - 1)
            if block.isValid():
                self.editor.setTextCursor(QTextCursor(block))
                self.editor.centerCursor()
