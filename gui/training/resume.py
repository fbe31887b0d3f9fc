"""Resume a run from the History tab (and Train › Resume Run…): a stopped or failed run goes on
from its last whole epoch, in its own folder, with its own settings.

What may be resumed is said before anything starts: the run must have ended without finishing,
its folder must hold the resume state (state.pt, written after every whole epoch a stopped run
showed), and the drawing must still be the network it trained: the code generated from the
drawing now must be the run's model.py. The resumed run's earlier epochs come from its
metrics.jsonl into the live plots, after its RunStarted, so the curves go on where they stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication

from graph import Project, project_from_dict, project_to_dict
from recipe.metrics import METRIC_KEYS
from runtime.events import EpochMetrics, RunStarted, TrainingEvent
from runtime.run_history import SETTINGS_FILE, STATE_FILE, RunRecord

translate = QCoreApplication.translate

UNFINISHED = (None, "stopped", "failed")  # None: the run's process died before it said


def resumable(run: RunRecord) -> bool:
    """Whether the run ended without finishing (the Resume button's first test)."""
    return run.status in UNFINISHED


def resume_refusal(project: Project, run: RunRecord) -> str | None:
    """Why `run` cannot go on with the drawing `project`, in one line; None if it can."""
    if not resumable(run):
        return translate(
            "RunHistory", "“{name}” finished all its epochs: there is nothing to resume."
        ).format(name=run.name)
    if not (run.path / STATE_FILE).is_file():
        return translate(
            "RunHistory",
            "“{name}” kept no resume state: it ended before its first epoch was complete.",
        ).format(name=run.name)
    try:
        trained = (run.path / "model.py").read_text(encoding="utf-8")
    except OSError:
        trained = None
    if trained is None or _generated(project, run.training) != trained:
        return translate(
            "RunHistory",
            "“{name}” trained another network: the drawing has changed since. Undo the "
            "changes to resume it, or start a new run.",
        ).format(name=run.name)
    return None


def resume_settings(run: RunRecord) -> dict[str, Any]:
    """The run's own settings (what it was started with), to go on with."""
    return dict(run.training)


def run_processes(run: RunRecord) -> int:
    """How many processes the run trained on (1 unless it ran under torchrun)."""
    try:
        settings = json.loads((run.path / SETTINGS_FILE).read_text(encoding="utf-8"))
        count = settings.get("processes", 1)
    except (OSError, ValueError, AttributeError):
        return 1
    return count if isinstance(count, int) and count > 1 else 1


def kept_epochs(run: RunRecord) -> list[EpochMetrics]:
    """The run's epochs so far, as the live plots took them in."""
    kept = []
    for record in run.metrics:
        try:
            kept.append(EpochMetrics(**{key: record[key] for key in METRIC_KEYS}))
        except (KeyError, TypeError):
            break  # a line cut short: the epochs after it are not the run's to show
    return kept


def with_kept_epochs(events: Iterable[TrainingEvent], kept: list[EpochMetrics]) -> list:
    """`events` with the kept epochs up to the resumed run's start put right after its
    RunStarted (the plots begin the run there)."""
    out: list = []
    for event in events:
        out.append(event)
        if isinstance(event, RunStarted) and event.start_epoch:
            out.extend(e for e in kept if e.epoch <= event.start_epoch)
    return out


def _generated(project: Project, training: dict[str, Any]) -> str | None:
    """The model source a run with `training` generates from the drawing (as the Trainer's
    runtime.network.project_for_run sees it); None if the drawing cannot be generated."""
    from codegen import generate_model

    copy = project_from_dict(project_to_dict(project))
    copy.set_code_runner(project.code_runner)
    copy.set_training({**project.training, **training})
    try:
        return generate_model(copy).source
    except Exception:  # a drawing codegen refuses is not the one that trained
        return None
