"""Which projects' code the editor runs, and the background runner that runs it.

Code typed in this app is trusted: a new project, or a file without Code nodes, gets the runner
at once. A file from elsewhere holding Code nodes opens with them unchecked, and the person is
asked first; a yes is remembered for that file. Examples ship with the app and are trusted.
Answers come from a worker process on a thread; the project hears of them in the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction

from graph import Project
from gui.dialogs import Dialogs
from gui.document import Document
from gui.settings import AppSettings

translate = QCoreApplication.translate


_worker = None  # one warm worker process for every window of the app


def _shared_worker():  # -> CodeWorker
    global _worker
    if _worker is None:
        from runtime.code_runner import CodeWorker

        _worker = CodeWorker()
    return _worker


class CodeTrust(QObject):
    """Hands the open project the code runner once its code is trusted."""

    _answered = Signal()  # emitted from the runner's thread; delivered in the GUI thread

    def __init__(
        self, document: Document, settings: AppSettings, dialogs: Dialogs, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.settings = settings
        self.dialogs = dialogs
        self._runner = None  # BackgroundCodeShapes, made when first needed (it owns a thread)
        self._answered.connect(self._deliver)
        self.action = QAction(translate("Menu", "&Trust Code in This Project"), self)
        self.action.setObjectName("trustCode")
        self.action.triggered.connect(self.trust_now)
        document.projectReplaced.connect(self._replaced)
        document.pathChanged.connect(self._saved_as)
        self._replaced(document.project)

    @property
    def runner(self):  # -> BackgroundCodeShapes
        if self._runner is None:
            from runtime.code_runner import BackgroundCodeShapes

            self._runner = BackgroundCodeShapes(self._answered.emit, _shared_worker())
        return self._runner

    def is_trusted(self, project: Project) -> bool:
        return project.code_runner is not None

    def _replaced(self, project: object) -> None:
        assert isinstance(project, Project)
        if not project.has_code:  # whatever is typed into it is the person's own
            project.set_code_runner(self.runner)
        self.sync_action()

    def opened(self, path: object) -> None:
        """After a file (a Path) or an example/import (None) was loaded into the document."""
        project = self.document.project
        if project.code_runner is not None or not project.has_code:
            return
        if path is None or str(Path(path).resolve()) in self.settings.trusted_code_files():
            self._trust(project)
            return
        count = sum(1 for n in project.nodes if n.type == "Code")
        if self.dialogs.ask_trust_code(self.document.parent(), Path(path).name, count):
            self.settings.trust_code_file(path)
            self._trust(project)
        self.sync_action()

    def _saved_as(self, path: object) -> None:
        """Trusted code saved under a name stays trusted when that file is opened again."""
        project = self.document.project
        if path is not None and project.code_runner is not None and project.has_code:
            self.settings.trust_code_file(Path(path))

    def trust_now(self) -> None:
        """File › Trust Code in This Project."""
        project = self.document.project
        if self.document.path is not None:
            self.settings.trust_code_file(self.document.path)
        self._trust(project)

    def _trust(self, project: Project) -> None:
        runner = self.runner
        runner.warm()
        project.set_code_runner(runner)
        self.sync_action()

    def _deliver(self) -> None:
        project = self.document.project
        if project.code_runner is not None:
            project.code_runs_changed()

    def sync_action(self) -> None:
        project = self.document.project
        self.action.setEnabled(project.code_runner is None and project.has_code)
