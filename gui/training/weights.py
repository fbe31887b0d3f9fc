"""After a run: save its best weights, or export the model's code together with those weights.

The code is generated from the project as it was when the run started (the panel keeps that
copy), so the exported module and its state_dict always belong together.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from graph import Project
from runtime.events import RunFinished

translate = QCoreApplication.translate

MODEL_FILE = "model.py"
WEIGHTS_FILE = "weights.pt"
TRAIN_SCRIPT_FILE = "train.py"


class ExportError(Exception):
    """Writing weights or code failed; the message is one line for the panel."""


def save_weights(checkpoint: str | None, target: Path) -> Path:
    if not checkpoint or not Path(checkpoint).is_file():
        raise ExportError(translate("TrainingPanel", "this run left no weights to save"))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(checkpoint, target)
    except OSError as exc:
        raise ExportError(
            translate("TrainingPanel", "cannot write {target}: {value}").format(
                target=target, value=exc.strerror or exc
            )
        ) from exc
    return target


def export_code_with_weights(project: Project, checkpoint: str | None, folder: Path) -> list[Path]:
    """Write model.py (and train.py when the code generator offers one) and weights.pt."""
    from codegen import CodegenError, generate_model

    try:
        model = generate_model(project)
    except CodegenError as exc:
        raise ExportError(
            translate("TrainingPanel", "cannot generate code: {exc}").format(exc=exc)
        ) from exc
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MODEL_FILE).write_text(model.source, encoding="utf-8")
        written.append(folder / MODEL_FILE)
        try:
            from codegen.train_script import generate_train_script
        except ImportError:
            generate_train_script = None  # an older code generator: the model file alone
        if generate_train_script is not None:
            script = generate_train_script(project, model, model_module=Path(MODEL_FILE).stem)
            (folder / TRAIN_SCRIPT_FILE).write_text(script, encoding="utf-8")
            written.append(folder / TRAIN_SCRIPT_FILE)
    except OSError as exc:
        raise ExportError(
            translate("TrainingPanel", "cannot write into {folder}: {value}").format(
                folder=folder, value=exc.strerror or exc
            )
        ) from exc
    written.append(save_weights(checkpoint, folder / WEIGHTS_FILE))
    return written


class WeightsActions(QObject):
    """The two buttons and what they do; the panel places `layout`."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__(panel)
        self._panel = panel
        self.finished: RunFinished | None = None
        self.project: Project | None = None
        self.save_button = QPushButton(translate("TrainingPanel", "Save weights…"))
        self.save_button.setToolTip(
            translate("TrainingPanel", "Copy the best weights of the last run (a state_dict)")
        )
        self.export_button = QPushButton(translate("TrainingPanel", "Export code with weights…"))
        self.export_button.setToolTip(
            translate("TrainingPanel", "Write model.py and weights.pt into a folder")
        )
        self.save_button.clicked.connect(self._ask_save)
        self.export_button.clicked.connect(self._ask_export)
        self.layout = QHBoxLayout()
        self.layout.addWidget(self.save_button)
        self.layout.addWidget(self.export_button)
        self.set_run(None, None)

    def set_run(self, finished: RunFinished | None, project: Project | None) -> None:
        self.finished, self.project = finished, project
        has_weights = bool(finished and finished.checkpoint and Path(finished.checkpoint).is_file())
        self.save_button.setEnabled(has_weights)
        self.export_button.setEnabled(has_weights and project is not None)

    def _ask_save(self) -> None:
        name = f"{self.project.name if self.project else 'model'}.pt"
        path, _ = QFileDialog.getSaveFileName(
            self._panel,
            translate("TrainingPanel", "Save weights"),
            name,
            translate("TrainingPanel", "PyTorch weights (*.pt *.pth)"),
        )
        if path and self.finished is not None:
            self._report(lambda: [save_weights(self.finished.checkpoint, Path(path))])

    def _ask_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._panel, translate("TrainingPanel", "Export code with weights")
        )
        if folder and self.finished is not None and self.project is not None:
            project, checkpoint = self.project, self.finished.checkpoint
            self._report(lambda: export_code_with_weights(project, checkpoint, Path(folder)))

    def _report(self, action: Callable[[], list[Path]]) -> None:
        log = self._panel.dashboard.log
        try:
            written = action()
        except ExportError as exc:
            log("error", str(exc))
            return
        files = ", ".join(str(p) for p in written)
        log("info", translate("TrainingPanel", "Wrote {files}.").format(files=files))
