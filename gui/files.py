"""File handling for the window: New, Open, Save, Save As, recent files, examples, export, and
the guard that asks before unsaved work is thrown away.

A file that cannot be read shows its one-line reason and leaves the open project untouched.
Examples open as untitled copies so Save never overwrites the shipped originals.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from graph import Project, ProjectFileError, load_project, save_project
from graph.atomic_write import write_text_atomic
from gui.dialogs import PROJECT_FILTER, PYTHON_FILTER, Choice, Dialogs
from gui.document import Document
from gui.settings import AppSettings
from i18n import localize, message_of
from runtime.run_history import RUNS_FOLDER

translate = QCoreApplication.translate

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

UNTITLED = "Untitled"  # the name of a new drawing until it is saved under a file name
_EXAMPLE_HEADER_LIMIT = 4 * 1024 * 1024  # an example larger than this is not read for its menu


class FileController(QObject):
    recentChanged = Signal()
    opened = Signal(object)  # Path | None, after a project was loaded into the document
    exported = Signal(str)  # the export command's line, once a file in another format is written

    def __init__(
        self,
        document: Document,
        settings: AppSettings,
        dialogs: Dialogs,
        parent_widget: QWidget,
        examples_dir: Path | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self.document = document
        self.settings = settings
        self.dialogs = dialogs
        self._parent = parent_widget
        self.examples_dir = examples_dir
        self._format_runs: list = []  # exports in other formats still running

    # --- unsaved-changes guard -----------------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when it is fine to throw the current project away (saved, discarded, unmodified)."""
        if not self.document.is_modified():
            return True
        choice = self.dialogs.ask_unsaved(self._parent, self.document.project.name)
        if choice is Choice.SAVE:
            return self.save()
        return choice is Choice.DISCARD

    # --- opening -------------------------------------------------------------------------------

    def new(self) -> bool:
        if not self.maybe_save():
            return False
        self.document.replace_project(Project(UNTITLED), None)
        self.opened.emit(None)
        return True

    def open(self) -> bool:
        """Ask for a file and open it."""
        if not self.maybe_save():
            return False
        folder = self.document.path.parent if self.document.path else None
        path = self.dialogs.open_path(self._parent, folder)
        return self.open_path(path, ask=False) if path else False

    def open_path(self, path: str | os.PathLike[str], ask: bool = True) -> bool:
        """Open `path`; on a bad file show why and keep the current project as it is."""
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        project = self._load(path)
        if project is None:
            return False
        self.document.replace_project(project, path.resolve())
        self.settings.add_recent_file(path)
        self.recentChanged.emit()
        self.opened.emit(path)
        return True

    def open_example(self, path: str | os.PathLike[str], ask: bool = True) -> bool:
        """Open an example as an untitled copy: Save asks where, the original stays as shipped."""
        if ask and not self.maybe_save():
            return False
        project = self._load(Path(path))
        if project is None:
            return False
        self.document.replace_project(project, None)
        self.opened.emit(None)
        return True

    def import_model(self) -> None:
        """File › Import PyTorch Model…: the drawing opens as an untitled project."""
        if not self.maybe_save():
            return
        from gui.import_dialog import ask_and_import

        def failed(error: str) -> None:
            self.dialogs.error(self._parent, "Cannot import model", error)

        ask_and_import(self._parent, lambda path: self.open_example(path, ask=False), failed)

    def examples(self) -> list[Path]:
        """Every project in the examples folder, its subfolders (examples/broken/...) last."""
        if self.examples_dir is None or not self.examples_dir.is_dir():
            return []
        found = [
            path
            for path in self.examples_dir.rglob("*.json")
            # training an example keeps its runs beside it: their files are no examples
            if RUNS_FOLDER not in path.relative_to(self.examples_dir).parts
        ]
        return sorted(found, key=lambda p: (len(p.relative_to(self.examples_dir).parts), p))

    def describe_example(self, path: Path) -> tuple[str, str]:
        """(menu text, tooltip) for an example: its description and its name, not its file name."""
        fallback = path.stem.replace("_", " ")
        try:
            if path.stat().st_size > _EXAMPLE_HEADER_LIMIT:
                return fallback, str(path)
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return fallback, str(path)
        if not isinstance(data, dict):
            return fallback, str(path)
        name = data.get("name") if isinstance(data.get("name"), str) else fallback
        text = data.get("description") if isinstance(data.get("description"), str) else name
        return text.strip() or fallback, f"{name} — {path.name}"

    def _load(self, path: Path) -> Project | None:
        try:
            return load_project(path)
        except ProjectFileError as exc:
            if not path.exists():
                self.settings.remove_recent_file(path)
                self.recentChanged.emit()
            self.dialogs.error(
                self._parent, translate("Files", "Cannot open project"), localize(message_of(exc))
            )
            return None

    # --- saving --------------------------------------------------------------------------------

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        suggested = self.document.path or self._default_folder() / _file_name(
            self.document.project.name, ".json"
        )
        path = self.dialogs.save_path(
            self._parent, translate("Files", "Save project as"), suggested, PROJECT_FILTER
        )
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".json")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        if self.document.project.name == UNTITLED:
            # A new drawing takes the name the user just gave its file (title, class name).
            self.document.rename_project(_project_name(path.stem))
        try:
            save_project(self.document.project, path)
        except OSError as exc:
            self.dialogs.error(
                self._parent,
                translate("Files", "Cannot save project"),
                f"{path}: {exc.strerror or exc}",
            )
            return False
        self.document.set_path(path.resolve())
        self.document.undo_stack.setClean()
        self.settings.add_recent_file(path)
        self.recentChanged.emit()
        return True

    def _default_folder(self) -> Path:
        recent = self.settings.recent_files()
        return recent[0].parent if recent else Path.home()

    # --- export --------------------------------------------------------------------------------

    def export_code(self) -> bool:
        """Write the network as a PyTorch module (only a valid drawing has code)."""
        model = self._generated(translate("Files", "Cannot export code"))
        if model is None:
            return False
        name = _file_name(self.document.project.name, ".py")
        return (
            self._export_text(model.source, translate("Files", "Export PyTorch code"), name)
            is not None
        )

    def export_train_script(self) -> bool:
        """Write a standalone training script, and next to it the model module it imports."""
        title = translate("Files", "Cannot export training script")
        generate = train_script_generator()
        if generate is None:
            self.dialogs.error(
                self._parent,
                title,
                translate("Files", "Training-script generation is not part of this build yet."),
            )
            return False
        model = self._generated(title)
        if model is None:
            return False
        project = self.document.project
        folder = self.document.path.parent if self.document.path else self._default_folder()
        path = self.dialogs.save_path(
            self._parent,
            translate("Files", "Export training script"),
            folder / _file_name(project.name, "_train.py"),
            PYTHON_FILTER,
        )
        if path is None:
            return False
        model_path = path.parent / _file_name(project.name, ".py")
        if model_path == path:  # the script took the model's name: keep them apart
            model_path = path.with_name(_file_name(project.name, "_model.py"))
        script = generate(project, model, model_module=model_path.stem)
        try:
            write_text_atomic(model_path, model.source)
            write_text_atomic(path, script)
        except OSError as exc:
            self.dialogs.error(self._parent, title, f"{exc.filename}: {exc.strerror or exc}")
            return False
        return True

    def export_cluster_job(self) -> bool:
        """Export › Cluster Job: model.py, train.py, torchrun.sh (the torchrun command for
        several nodes) and job.sbatch (a Slurm batch script that runs it) in a folder."""
        title = translate("Files", "Export cluster job")
        if self._generated(translate("Files", "Cannot export cluster job")) is None:
            return False
        nodes = self.dialogs.number(self._parent, title, translate("Files", "Nodes:"), 2, 1, 4096)
        if nodes is None:
            return False
        per_node = self.dialogs.number(
            self._parent, title, translate("Files", "Processes (GPUs) per node:"), 1, 1, 1024
        )
        if per_node is None:
            return False
        start = self.document.path.parent if self.document.path else self._default_folder()
        folder = self.dialogs.folder_path(self._parent, title, start)
        if folder is None:
            return False
        from recipe.config import TrainConfig
        from runtime.process_group import write_cluster_job

        project = self.document.project
        try:
            config = TrainConfig.from_training(project.training)
            write_cluster_job(project, config, folder, nodes, per_node)
        except (OSError, ValueError) as exc:
            self.dialogs.error(
                self._parent,
                translate("Files", "Cannot export cluster job"),
                localize(message_of(exc)),
            )
            return False
        return True

    def export_format(self, kind: str) -> bool:
        """File › Export ONNX / TorchScript / torch.export Program…: `main.py export` writes the
        file in a worker process (gui/format_export.py); its line shows in the status bar."""
        from gui.format_export import FORMATS, FormatExportRun

        titles = {
            "onnx": translate("Files", "Export ONNX"),
            "torchscript": translate("Files", "Export TorchScript"),
            "program": translate("Files", "Export torch.export program"),
        }
        if self._generated(translate("Files", "Cannot export the model")) is None:
            return False
        project = self.document.project
        chosen = FORMATS[kind]
        folder = self.document.path.parent if self.document.path else self._default_folder()
        path = self.dialogs.save_path(
            self._parent,
            titles[kind],
            folder / _file_name(project.name, chosen.suffix),
            chosen.file_filter,
        )
        if path is None:
            return False
        self._parent.setCursor(Qt.CursorShape.BusyCursor)

        def done(line: str | None, error: str | None) -> None:
            self._parent.unsetCursor()
            self._format_runs.remove(run)
            if error is not None:
                self.dialogs.error(
                    self._parent, translate("Files", "Cannot export the model"), error
                )
            else:
                self.exported.emit(line)

        run = FormatExportRun(project, kind, path, done)
        self._format_runs.append(run)  # kept alive while it runs
        return True

    def _generated(self, title: str):  # -> GeneratedModel | None
        try:
            from codegen import CodegenError, generate_model
        except ImportError:
            self.dialogs.error(
                self._parent,
                title,
                translate("Files", "Code generation is not part of this build."),
            )
            return None
        project = self.document.project
        report = project.validate()
        if not report.valid:
            self.dialogs.error(
                self._parent,
                title,
                translate(
                    "Files", "The drawing has {count} error(s); fix them first. First: {message}"
                ).format(count=len(report.errors), message=localize(report.errors[0].message)),
            )
            return None
        try:
            return generate_model(project, report)
        except CodegenError as exc:
            self.dialogs.error(self._parent, title, localize(message_of(exc)).splitlines()[0])
            return None

    def _export_text(self, text: str, title: str, name: str) -> Path | None:
        folder = self.document.path.parent if self.document.path else self._default_folder()
        path = self.dialogs.save_path(self._parent, title, folder / name, PYTHON_FILTER)
        if path is None:
            return None
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            self.dialogs.error(self._parent, title, f"{path}: {exc.strerror or exc}")
            return None
        return path


def train_script_generator():  # -> Callable[..., str] | None
    """The runtime engineer's training-script generator, if this build has it."""
    try:
        from codegen.train_script import generate_train_script
    except ImportError:
        return None
    return generate_train_script


def _file_name(project_name: str, suffix: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in project_name.strip().lower())
    return (stem.strip("_") or "untitled") + suffix


def _project_name(stem: str) -> str:
    """A file stem as a project name (an empty one keeps the placeholder)."""
    return stem.strip() or UNTITLED
