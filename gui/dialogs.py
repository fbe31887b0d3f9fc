"""Every question and message box the window shows, in one replaceable object.

The window asks `Dialogs` rather than calling QMessageBox/QFileDialog itself, so a test can hand it
scripted answers instead of blocking on a modal dialog.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

translate = QCoreApplication.translate

PROJECT_FILTER = "Netwright projects (*.json);;All files (*)"
PYTHON_FILTER = "Python files (*.py);;All files (*)"


class Choice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Dialogs:
    """The real dialogs. Subclass (or replace methods) to script answers."""

    def error(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
        box.setParent(parent, box.windowFlags())
        box.setObjectName("errorDialog")
        if details:
            box.setDetailedText(details)
        box.exec()

    def ask_unsaved(self, parent: QWidget | None, name: str) -> Choice:
        box = QMessageBox(parent)
        box.setObjectName("unsavedDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate("Dialogs", "Unsaved changes"))
        box.setText(translate("Dialogs", "Save the changes to “{name}” first?").format(name=name))
        box.setInformativeText(
            translate("Dialogs", "Your changes are lost if you don't save them.")
        )
        buttons = QMessageBox.StandardButton
        box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        box.setDefaultButton(buttons.Save)
        answer = box.exec()
        if answer == buttons.Save:
            return Choice.SAVE
        if answer == buttons.Discard:
            return Choice.DISCARD
        return Choice.CANCEL

    def ask_restore(self, parent: QWidget | None, description: str) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent,
            translate("Dialogs", "Restore unsaved work?"),
            translate(
                "Dialogs",
                "Netwright did not close normally last time.\n\n{description}\n\nRestore "
                "these unsaved changes?",
            ).format(description=description),
            buttons.Yes | buttons.No,
            buttons.Yes,
        )
        return answer == buttons.Yes

    def ask_trust_code(self, parent: QWidget | None, name: str, count: int) -> bool:
        """A file holding Code nodes: may its Python run on this computer?"""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            parent,
            translate("Dialogs", "Run this project's code?"),
            translate(
                "Dialogs",
                "“{name}” holds {count} Code node(s): Python written by whoever made the file. "
                "Netwright runs it to check their shapes, and to train.\n\nTrust it only if you "
                "trust where the file came from. Until then those nodes stay unchecked and "
                "nothing in them runs.\n\nTrust this project's code?",
            ).format(name=name, count=count),
            buttons.Yes | buttons.No,
            buttons.No,
        )
        return answer == buttons.Yes

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(parent, title, text, buttons.Yes | buttons.No, buttons.No)
        return answer == buttons.Yes

    def ask_text(self, parent: QWidget | None, title: str, label: str, text: str) -> str | None:
        """A line of text from the user (None when cancelled)."""
        answer, ok = QInputDialog.getText(parent, title, label, text=text)
        return answer if ok else None

    def open_path(self, parent: QWidget | None, folder: Path | None) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            parent, translate("Dialogs", "Open project"), str(folder or ""), PROJECT_FILTER
        )
        return Path(path) if path else None

    def save_path(
        self, parent: QWidget | None, title: str, suggested: Path, file_filter: str
    ) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
        return Path(path) if path else None

    def folder_path(self, parent: QWidget | None, title: str, folder: Path) -> Path | None:
        path = QFileDialog.getExistingDirectory(parent, title, str(folder))
        return Path(path) if path else None

    def number(
        self, parent: QWidget | None, title: str, label: str, value: int, low: int, high: int
    ) -> int | None:
        """A whole number from the person, or None when they cancel."""
        chosen, ok = QInputDialog.getInt(parent, title, label, value, low, high)
        return chosen if ok else None
