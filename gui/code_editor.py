"""The editor of a Code node's source: Python with highlighting, line numbers, the error line
marked, and Apply. It only reads the text (`ast`, as the checker does); running it is the
worker's job, and its verdict comes back through the node's problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPaintEvent, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from graph.code_source import CodeSourceError, read_code_class
from graph.params import ParamSpec
from graph.report import Problem
from gui.highlighter import PythonHighlighter
from gui.param_editors import ParamEditor
from i18n import localize

translate = QCoreApplication.translate
_ERROR_BACKGROUND = QColor(255, 80, 80, 70)


class _LineNumbers(QWidget):
    """The gutter: one number per line of the text beside it."""

    def __init__(self, editor: CodeTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_gutter(event)


class CodeTextEdit(QPlainTextEdit):
    """Monospaced Python with line numbers; `mark_line` tints the line at fault."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.highlighter = PythonHighlighter(self.document())
        self.error_line: int | None = None
        self._gutter = _LineNumbers(self)
        self.blockCountChanged.connect(lambda _: self._fit_gutter())
        self.updateRequest.connect(self._scroll_gutter)
        self._fit_gutter()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Tab and not event.modifiers():
            self.insertPlainText("    ")  # Python wants spaces
            return
        super().keyPressEvent(event)

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * max(2, digits)

    def _fit_gutter(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _scroll_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self._gutter)
        painter.fillRect(event.rect(), self.palette().alternateBase())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width() - 4
        right = Qt.AlignmentFlag.AlignRight
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible():
                at_fault = number + 1 == self.error_line
                painter.setPen(QColor("#d03030") if at_fault else QColor("#888"))
                painter.drawText(0, top, width, height, right, str(number + 1))
            top += round(self.blockBoundingRect(block).height())
            block = block.next()
            number += 1

    def mark_line(self, line: int | None) -> None:
        """Tint line `line` (1-based) as the one at fault; None clears the mark."""
        self.error_line = line
        selections = []
        block = self.document().findBlockByNumber(line - 1) if line else None
        if block is not None and block.isValid():
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(_ERROR_BACKGROUND)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = self.textCursor()
            selection.cursor.setPosition(block.position())
            selection.cursor.clearSelection()
            selections.append(selection)
        self.setExtraSelections(selections)
        self._gutter.update()


class CodeEditorDialog(QDialog):
    """Edit a Code node's class; Apply hands the text on (one undoable edit)."""

    applied = Signal(str)

    def __init__(self, source: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEditor")
        self.setWindowTitle(title)
        self.resize(640, 480)
        self.text = CodeTextEdit(self)
        self.text.setObjectName("codeText")
        self.text.setPlainText(source)
        self.applied_source = source
        self.problem = QLabel(self)
        self.problem.setObjectName("codeProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton(
            translate("CodeEditor", "Apply"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.apply_button.setObjectName("applyCode")
        self.apply_button.clicked.connect(self.apply)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        hint = QLabel(
            translate(
                "CodeEditor",
                "One nn.Module class. torch, nn, F and math are there without imports; forward's "
                "tensors are the node's inputs. Ctrl+Return applies.",
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._problems: list[Problem] = []
        self._syntax = QTimer(self)
        self._syntax.setSingleShot(True)
        self._syntax.setInterval(250)
        self._syntax.timeout.connect(self._show_state)
        self.text.textChanged.connect(self._syntax.start)
        self._show_state()

    def keyPressEvent(self, event: Any) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply()
            return
        super().keyPressEvent(event)

    @property
    def source(self) -> str:
        return self.text.toPlainText()

    def apply(self) -> None:
        self.applied_source = self.source
        self.applied.emit(self.source)
        self._show_state()

    def set_source(self, source: str) -> None:
        """The node's source changed elsewhere (undo): show it unless the person is mid-edit."""
        if self.source == self.applied_source and source != self.source:
            self.text.setPlainText(source)
        self.applied_source = source
        self._show_state()

    def show_problems(self, problems: list[Problem]) -> None:
        self._problems = list(problems)
        self._show_state()

    def _show_state(self) -> None:
        """A mistake in the text as typed first (read at once); else the node's problems, which
        describe the applied text."""
        line: int | None = None
        text = ""
        try:
            read_code_class(self.source)
        except CodeSourceError as exc:
            line, text = exc.line, localize(exc.message)
        else:
            if self.source == self.applied_source and self._problems:
                first = self._problems[0]
                line, text = first.line, localize(first.message)
        self.text.mark_line(line)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class CodeSourceEditor(ParamEditor):
    """The inspector's row for a Code node's source: its class name and Edit Code…"""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        self.name = QLabel(holder)
        self.button = QPushButton(translate("CodeEditor", "Edit Code…"), holder)
        self.button.setObjectName("editCode")
        self.button.clicked.connect(self.open_editor)
        row.addWidget(self.name, 1)
        row.addWidget(self.button)
        self._layout.addWidget(holder, 1)
        self._source = ""
        self._problems: list[Problem] = []
        self.dialog: CodeEditorDialog | None = None

    def set_value(self, value: Any) -> None:
        self._source = value if isinstance(value, str) else ""
        try:
            self.name.setText(read_code_class(self._source).name)
        except CodeSourceError:
            self.name.setText("?")
        if self.dialog is not None:
            self.dialog.set_source(self._source)

    def show_problems(self, problems: list[Problem]) -> None:
        self._problems = problems
        if self.dialog is not None:
            self.dialog.show_problems(problems)

    def open_editor(self) -> None:
        if self.dialog is None:
            title = translate("CodeEditor", "Code: {name}").format(name=self.name.text())
            self.dialog = CodeEditorDialog(self._source, title, self)
            self.dialog.applied.connect(self._emit)
            self.dialog.show_problems(self._problems)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.text.setFocus()
