"""Training › Start from Weights…: the state_dict the next runs load before training.

The chosen file is read once when chosen (safely: runtime.start_weights reads it with
weights_only=True), so a file that is no weights file is refused at once, in one line. What does
not fit the drawing is reported by the run, per layer, in the dashboard's log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from i18n import localize, message_of

translate = QCoreApplication.translate


class StartWeightsRow(QWidget):
    """'Start from weights…', the chosen file, Strict and Clear."""

    def __init__(
        self,
        on_error: Callable[[str], None],
        folder: Callable[[], Path | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._folder = folder  # where the dialog opens: the project's folder, if saved
        self.path: Path | None = None
        self.choose_button = QPushButton(translate("TrainingPanel", "Start from weights…"))
        self.choose_button.setToolTip(
            translate("TrainingPanel", "Load a state_dict (.pt) into the network before training")
        )
        self.label = QLabel()
        self.label.setObjectName("startWeightsLabel")
        self.strict = QCheckBox(translate("TrainingPanel", "Strict"))
        self.strict.setToolTip(
            translate("TrainingPanel", "Refuse the file unless every tensor fits the drawing")
        )
        self.clear_button = QPushButton(translate("TrainingPanel", "Clear"))
        self.clear_button.setToolTip(translate("TrainingPanel", "Start from random weights again"))
        self.choose_button.clicked.connect(self.choose)
        self.clear_button.clicked.connect(lambda: self.set_path(None))
        # Two lines: on one, the file name would make the settings column as wide as itself
        # and squeeze the plots beside it (at 1280×720 they scrolled out of sight).
        self.label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.strict)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.label)
        self.set_path(None)

    def choose(self) -> QFileDialog:
        """Open the file dialog (window-modal, not blocking); the chosen file is used."""
        dialog = QFileDialog(
            self.window(),
            translate("TrainingPanel", "Start from weights"),
            str(self._folder() or ""),
            translate("TrainingPanel", "PyTorch weights (*.pt *.pth);;All files (*)"),
        )
        dialog.setObjectName("startWeightsDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.set_path(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_path(self, path: Path | None) -> bool:
        """Use the weights at `path` (None: random weights); False, with a message, if unusable."""
        if path is not None:
            from runtime.start_weights import StartWeightsError, read_state_dict

            try:
                read_state_dict(path)
            except StartWeightsError as exc:
                self._on_error(
                    translate("TrainingPanel", "Cannot start from these weights: {why}").format(
                        why=localize(message_of(exc))
                    )
                )
                return False
        self.path = path
        if path is None:
            self.label.setText(translate("TrainingPanel", "Random initial weights"))
            self.label.setToolTip("")
        else:
            self.label.setText(
                translate("TrainingPanel", "Starts from {file}").format(file=path.name)
            )
            self.label.setToolTip(str(path))
        self.clear_button.setEnabled(path is not None)
        self.strict.setEnabled(path is not None)
        return True
