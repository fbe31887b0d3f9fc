"""The inline editor for a node's label: Enter (or clicking away) keeps, Escape cancels."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget


class RenameEditor(QLineEdit):
    """Calls `on_done(text)` once when kept, `on_done(None)` when cancelled, then goes away."""

    def __init__(self, text: str, parent: QWidget, on_done: Callable[[str | None], None]) -> None:
        super().__init__(text, parent)
        self._on_done: Callable[[str | None], None] | None = on_done
        self.selectAll()
        self.editingFinished.connect(lambda: self._finish(self.text()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._finish(None)
            return
        super().keyPressEvent(event)

    def _finish(self, text: str | None) -> None:
        on_done, self._on_done = self._on_done, None
        if on_done is None:
            return  # editingFinished also fires when the editor loses focus on its way out
        self.hide()
        self.deleteLater()
        on_done(text)
