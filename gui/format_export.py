"""File › Export ONNX… / TorchScript… / torch.export Program…: the drawing in another format.

torch's exporters take seconds on a big network, so the export runs elsewhere: `main.py export`
in a worker process (QProcess) on a copy of the drawing saved for it, never in the GUI thread.
The window stays responsive; the command's line (`wrote m.pt (TorchScript, scripted)`) is
shown in the status bar, a failure is its one error line.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph import Project, save_project
from gui.command_process import CommandRun
from i18n import msg


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
        folder = Path(tempfile.mkdtemp(prefix="netwright-export-"))
        drawing = folder / "drawing.json"
        save_project(project, drawing)
        arguments = ["export", str(drawing), FORMATS[kind].option, str(output)]
        if project.code_runner is not None and project.has_code:
            arguments.append("--trust")  # its Code nodes are trusted here: the export runs them
        self.command = CommandRun(arguments, self._finished, lambda line: done(None, line))

    def _finished(self, code: int, said: list[str], errors: list[str]) -> None:
        if code == 0 and said:
            self.done(said[-1], None)
        elif errors:
            self.done(None, errors[-1])
        else:
            language = self.command.language
            self.done(None, msg("the export exited {code}", code=code).localized(language))
