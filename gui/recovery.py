"""Crash safety: unsaved edits are written to a recovery file within a fraction of a second, and
the next launch finds the files that a crashed (or killed) session left behind.

Each running editor owns `session-<pid>.json` in the recovery folder; a file whose process is gone
is a leftover of a crash. The folder is `NETWRIGHT_RECOVERY_DIR` when set (tests), else the
platform's application-data folder.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, QTimer

from graph import Project, ProjectFileError, project_from_dict, project_to_dict
from graph.events import ProjectEvent

translate = QCoreApplication.translate

RECOVERY_FORMAT = "netwright-recovery"
AUTOSAVE_DELAY_MS = 250  # the most work a crash can lose, plus one write


def recovery_dir() -> Path:
    configured = os.environ.get("NETWRIGHT_RECOVERY_DIR")
    if configured:
        return Path(configured)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".netwright") / "recovery"


@dataclass
class Recovery:
    """Unsaved work a previous session left behind."""

    file: Path
    project: Project
    original_path: Path | None
    saved_at: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved_at))
        where = f" ({self.original_path})" if self.original_path else ""
        if not self.original_path:
            where = translate("Recovery", " (never saved)")
        return translate("Recovery", "“{name}”{where}, last changed {when}.").format(
            name=self.project.name, where=where, when=when
        )

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except OSError:
        return False
    return True


def find_recoveries(folder: Path | None = None) -> list[Recovery]:
    """Recovery files of sessions that are no longer running, newest first.

    Unreadable or malformed files are removed: they cannot be restored and would ask forever.
    """
    folder = folder or recovery_dir()
    found: list[Recovery] = []
    for file in sorted(folder.glob("session-*.json")):
        try:
            pid = int(file.stem.removeprefix("session-"))
        except ValueError:
            continue
        if _pid_alive(pid):
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != RECOVERY_FORMAT:
                raise ProjectFileError(translate("Recovery", "not a recovery file"))
            project = project_from_dict(data.get("project"))
            original = data.get("path")
            saved_at = float(data.get("saved_at", file.stat().st_mtime))
        except (OSError, ValueError, ProjectFileError, RecursionError):
            file.unlink(missing_ok=True)
            continue
        found.append(
            Recovery(file, project, Path(original) if isinstance(original, str) else None, saved_at)
        )
    found.sort(key=lambda r: r.saved_at, reverse=True)
    return found


class Autosaver(QObject):
    """Writes the document's project to this session's recovery file shortly after each edit.

    The timer is started by the first edit and not restarted by later ones, so a steady stream of
    edits (a long drag) is still written every AUTOSAVE_DELAY_MS.
    """

    def __init__(self, document: Any, folder: Path | None = None) -> None:
        super().__init__(document)
        self._document = document
        self.folder = folder or recovery_dir()
        self.file = self.folder / f"session-{os.getpid()}.json"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.write_now)
        self._project: Project | None = None
        document.projectReplaced.connect(self._watch)
        document.undo_stack.cleanChanged.connect(self._clean_changed)
        self._watch(document.project)

    def _watch(self, project: Project) -> None:
        if self._project is not None:
            self._project.unsubscribe(self._changed)
        self._project = project
        project.subscribe(self._changed)
        self._clean_changed(self._document.undo_stack.isClean())

    def _changed(self, event: ProjectEvent) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _clean_changed(self, clean: bool) -> None:
        if clean:
            self._timer.stop()
            self.discard()
        elif not self._timer.isActive():
            self._timer.start()

    def write_now(self) -> None:
        """Write the recovery file (atomically) if there is anything unsaved."""
        self._timer.stop()
        if not self._document.is_modified():
            self.discard()
            return
        path = self._document.path
        data = {
            "format": RECOVERY_FORMAT,
            "saved_at": time.time(),
            "path": str(path) if path else None,
            "project": project_to_dict(self._document.project),
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".session.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a full disk must not break editing; the next edit tries again

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)

    def stop(self) -> None:
        """The session ends normally: nothing to recover, and nothing more to watch."""
        self._timer.stop()
        if self._project is not None:
            self._project.unsubscribe(self._changed)
            self._project = None
        self.discard()
