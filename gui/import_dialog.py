"""File › Import PyTorch Model…: a model's code -> a drawing, opened as an untitled project.

The import runs the user's code, so it runs elsewhere: `main.py import` in a worker process
(QProcess), never in the GUI thread. The window stays responsive, a failure is the command's one
line, and the dialog says plainly that the code will run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.command_process import CommandRun
from i18n import msg

TIME_LIMIT_MS = 300_000  # building and tracing a big model takes seconds; a hang is stopped


class ImportDialog(QDialog):
    """Asks for SOURCE, input shape, dtype and constructor arguments."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import PyTorch Model"))
        self.source = QLineEdit(self)
        self.source.setObjectName("importSource")
        self.source.setPlaceholderText(self.tr("model.py:Net  or  torchvision:resnet18"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(browse)
        self.shape = QLineEdit("3,224,224", self)
        self.shape.setObjectName("importShape")
        self.shape.setToolTip(self.tr("The input's shape without the batch; ';' between inputs"))
        self.dtype = QComboBox(self)
        self.dtype.addItems(["float32", "int64"])
        self.args = QLineEdit(self)
        self.args.setObjectName("importArgs")
        self.args.setPlaceholderText(self.tr('for example {"num_classes": 10}'))
        warning = QLabel(
            self.tr(
                "Importing runs this model's Python code on your computer (its module and its "
                "constructor). Import only code you trust."
            ),
            self,
        )
        warning.setObjectName("importWarning")
        warning.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Model:"), row)
        form.addRow(self.tr("Input shape:"), self.shape)
        form.addRow(self.tr("Input dtype:"), self.dtype)
        form.addRow(self.tr("Arguments (JSON):"), self.args)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Model file"), "", self.tr("Python files (*.py)")
        )
        if path:
            self.source.setText(f"{path}:")
            self.source.setFocus()

    def command_arguments(self, output: Path) -> list[str]:
        """The `main.py import` arguments for what the dialog holds."""
        arguments = ["import", self.source.text().strip(), "-o", str(output)]
        for shape in self.shape.text().split(";"):
            arguments += ["--input-shape", shape.strip()]
            arguments += ["--dtype", self.dtype.currentText()]
        if self.args.text().strip():
            arguments += ["--args", self.args.text().strip()]
        return arguments


class ImportRun:
    """One `main.py import` in a worker process; `done(path, None)` or `done(None, error_line)`."""

    def __init__(self, arguments: list[str], output: Path, done: Callable) -> None:
        self.output = output
        self.done = done
        self.command = CommandRun(arguments, self._finished, lambda line: done(None, line))

    def _finished(self, code: int, _said: list[str], errors: list[str]) -> None:
        if code == 0 and self.output.is_file():
            self.done(self.output, None)
        elif errors:
            self.done(None, errors[-1])
        else:
            language = self.command.language
            self.done(None, msg("the import exited {code}", code=code).localized(language))


def ask_and_import(parent: QWidget, opened: Callable[[Path], None], failed: Callable) -> None:
    """Show the dialog (not blocking); on Import start the worker and call back when it ends."""
    dialog = ImportDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def start() -> None:
        output = Path(tempfile.mkdtemp(prefix="netwright-import-")) / "imported.json"
        parent.setCursor(Qt.CursorShape.BusyCursor)

        def done(path: Path | None, error: str | None) -> None:
            parent.unsetCursor()
            if path is not None:
                opened(path)
            else:
                failed(error)

        runs.append(ImportRun(dialog.command_arguments(output), output, done))

    runs: list[ImportRun] = []
    parent._import_runs = runs  # type: ignore[attr-defined]  # kept alive while it runs
    dialog.accepted.connect(start)
    dialog.open()
