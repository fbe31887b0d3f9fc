"""The panel's 'Log to TensorBoard' checkbox: each run then writes TensorBoard logs into a
folder of its own under one root, so `tensorboard --logdir ROOT` shows the runs side by side."""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QCheckBox

translate = QCoreApplication.translate


def default_root() -> Path:
    """The app's data folder (e.g. ~/.local/share/Netwright) / tensorboard."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".netwright") / "tensorboard"


class TensorBoardBox(QCheckBox):
    def __init__(self, root: Path | None = None) -> None:
        super().__init__(translate("TrainingPanel", "Log to TensorBoard"))
        self.root = root or default_root()
        self.setToolTip(
            translate(
                "TrainingPanel",
                "Each run writes its losses, accuracies, learning rate, graph and weight "
                "histograms for TensorBoard; the run's log says where",
            )
        )

    def run_folder(self, project_name: str) -> str | None:
        """A new folder for one run's logs, or None when the box is not ticked."""
        if not self.isChecked():
            return None
        name = re.sub(r"[^\w.-]+", "_", project_name).strip("._")[:40] or "run"
        return str(self.root / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}")
