"""One `main.py` command in a worker process (QProcess), never in the GUI thread.

Import and the export formats run code that takes seconds (or the user's own code), so the
window starts the command line instead and reads back what it said: its stdout lines, and the
one line each failure writes to stderr as `error: …`, in the window's language.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QProcess

import i18n
from i18n import msg

MAIN = Path(__file__).resolve().parents[1] / "main.py"
STOP_WAIT_MS = 5_000  # a killed process is gone at once; this only bounds a stuck kernel


class CommandRun:
    """Starts `main.py --lang LANG *arguments`; `finished(code, said, errors)` when it exits
    (stdout's non-blank lines, the stderr error lines without their prefix), or
    `failed(line)` when Python cannot start."""

    def __init__(
        self,
        arguments: list[str],
        finished: Callable[[int, list[str], list[str]], None],
        failed: Callable[[str], None],
    ) -> None:
        self.language = i18n.language()  # the worker says its lines in the window's language
        self._finished_with = finished
        self._failed_with = failed
        self.process = QProcess()
        self.process.setProgram(sys.executable)
        self.process.setArguments([str(MAIN), "--lang", self.language, *arguments])
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed_to_start)
        self.process.start()

    def stop(self) -> None:
        """Kill the worker (a hung import: the user's code may ignore anything gentler) and
        wait for it to go; neither callback is called."""
        self.process.finished.disconnect(self._finished)
        self.process.errorOccurred.disconnect(self._failed_to_start)
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.kill()
            self.process.waitForFinished(STOP_WAIT_MS)

    def _failed_to_start(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._failed_with(i18n.localize(msg("cannot start {program}", program=sys.executable)))

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        out = bytes(self.process.readAllStandardOutput().data()).decode("utf-8", "replace")
        err = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        prefix = msg("error: {message}", message="").localized(self.language)
        errors = [line[len(prefix) :] for line in err.splitlines() if line.startswith(prefix)]
        said = [line for line in out.splitlines() if line.strip()]
        self._finished_with(code, said, errors)
