"""File › Import PyTorch Model…: a model's code -> a drawing, opened as an untitled project.

The import runs the user's code, so it runs elsewhere: `main.py import` in a worker process
(QProcess), never in the GUI thread. The window stays responsive, a failure is the command's one
line, and the dialog says plainly that the code will run. The dialog stays open while the
import runs: Cancel stops the worker, and a worker still running after TIME_LIMIT_MS (the
user's code may loop forever, or wait for input) is killed, which one line says.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
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

translate = QCoreApplication.translate
TIME_LIMIT_MS = 300_000  # building and tracing a big model takes seconds; a hang is stopped


class ImportDialog(QDialog):
    """Asks for SOURCE, input shape, dtype and constructor arguments; Import asks for the
    import (`import_requested`), and the dialog shows it running until `set_running(None)`."""

    import_requested = Signal()

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
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(self.tr("Import"))
        buttons.accepted.connect(self.import_requested)  # it stays open while the import runs
        buttons.rejected.connect(self.reject)
        self.status = QLabel(self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        self._inputs: list[QWidget] = [self.source, browse, self.shape, self.dtype, self.args]
        self.run: ImportRun | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def set_running(self, run: ImportRun | None) -> None:
        """Show `run` under way (the fields locked, Cancel to stop it), or none."""
        self.run = run
        for widget in [*self._inputs, self.import_button]:
            widget.setEnabled(run is None)
        self.status.setText(self.tr("Importing… the model's code is running; Cancel stops it."))
        self.status.setVisible(run is not None)

    def reject(self) -> None:
        """Cancel, Esc or closing the dialog: an import under way is stopped first."""
        run, self.run = self.run, None
        if run is not None:
            run.cancel()
        super().reject()

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
    """One `main.py import` in a worker process; `done(path, None)` or `done(None, error_line)`,
    once, unless cancelled. Past `limit_ms` the worker is killed and the line says so."""

    def __init__(
        self, arguments: list[str], output: Path, done: Callable, limit_ms: int = TIME_LIMIT_MS
    ) -> None:
        self.output = output
        self.done = done
        self.limit_ms = limit_ms
        self.ended = False
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._too_long)
        self.command = CommandRun(arguments, self._finished, lambda line: self._end(None, line))
        self.timer.start(limit_ms)

    def cancel(self) -> None:
        """Stop the worker now; `done` is not called."""
        self.ended = True
        self.timer.stop()
        self.command.stop()

    def _too_long(self) -> None:
        if self.ended:
            return
        self.command.stop()
        line = translate(
            "ImportRun",
            "the import was stopped after {seconds} s: building or tracing the model did not "
            "finish (its code may wait for input or loop forever)",
        )
        self._end(None, line.format(seconds=f"{self.limit_ms / 1000:g}"))

    def _finished(self, code: int, _said: list[str], errors: list[str]) -> None:
        if code == 0 and self.output.is_file():
            self._end(self.output, None)
        elif errors:
            self._end(None, errors[-1])
        else:
            language = self.command.language
            self._end(None, msg("the import exited {code}", code=code).localized(language))

    def _end(self, path: Path | None, error: str | None) -> None:
        if self.ended:
            return
        self.ended = True
        self.timer.stop()
        self.done(path, error)


def ask_and_import(parent: QWidget, opened: Callable[[Path], None], failed: Callable) -> None:
    """Show the dialog (not blocking); on Import start the worker, and when it ends close the
    dialog and call back. Cancel stops the worker and calls nothing back."""
    dialog = ImportDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def start() -> None:
        output = Path(tempfile.mkdtemp(prefix="netwright-import-")) / "imported.json"
        parent.setCursor(Qt.CursorShape.BusyCursor)

        def done(path: Path | None, error: str | None) -> None:
            dialog.set_running(None)
            dialog.accept()
            if path is not None:
                opened(path)
            else:
                failed(error)

        limit = TIME_LIMIT_MS  # read now: a test sets a short one
        dialog.set_running(ImportRun(dialog.command_arguments(output), output, done, limit))

    dialog.import_requested.connect(start)
    dialog.finished.connect(lambda _result: parent.unsetCursor())
    dialog.open()
