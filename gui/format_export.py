"""File › Export ONNX… / TorchScript… / torch.export Program…: the drawing in another format.

torch's exporters take seconds on a big network, so the export runs elsewhere: `main.py export`
in a worker process (QProcess) on a copy of the drawing saved for it, never in the GUI thread.
The window stays responsive; the command's line (`wrote m.pt (TorchScript, scripted)`) is
shown in the status bar, a failure is its one error line.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QProcess

import i18n
from graph import Project, save_project
from i18n import msg

MAIN = Path(__file__).resolve().parents[1] / "main.py"


@dataclass(frozen=True)
class Format:
    option: str  # the export command's option
    suffix: str
    file_filter: str


FORMATS = {
    "onnx": Format("--onnx", ".onnx", "ONNX (*.onnx);;All files (*)"),
    "torchscript": Format("--torchscript", ".pt", "TorchScript (*.pt);;All files (*)"),
    "program": Format("--exported-program", ".pt2", "torch.export (*.pt2);;All files (*)"),
}


class FormatExportRun:
    """One `main.py export` in a worker process; `done(line, None)` or `done(None, error)`."""

    def __init__(
        self, project: Project, kind: str, output: Path, done: Callable[..., None]
    ) -> None:
        self.done = done
        self.language = i18n.language()  # the worker says its line in the window's language
        folder = Path(tempfile.mkdtemp(prefix="netwright-export-"))
        drawing = folder / "drawing.json"
        save_project(project, drawing)
        arguments = [str(MAIN), "--lang", self.language, "export", str(drawing)]
        arguments += [FORMATS[kind].option, str(output)]
        if project.code_runner is not None and project.has_code:
            arguments.append("--trust")  # its Code nodes are trusted here: the export runs them
        self.process = QProcess()
        self.process.setProgram(sys.executable)
        self.process.setArguments(arguments)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed_to_start)
        self.process.start()

    def _failed_to_start(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.done(None, i18n.localize(msg("cannot start {program}", program=sys.executable)))

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        out = bytes(self.process.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        prefix = msg("error: {message}", message="").localized(self.language)
        errors = [line[len(prefix) :] for line in err.splitlines() if line.startswith(prefix)]
        said = [line for line in out.splitlines() if line.strip()]
        if code == 0 and said:
            self.done(said[-1], None)
        elif errors:
            self.done(None, errors[-1])
        else:
            self.done(None, msg("the export exited {code}", code=code).localized(self.language))
