"""A project's run history: one folder per run under the project's runs directory,
`<project folder>/runs/<project file stem>/`, read back across launches.

Each run folder is what runtime.checkpoints.RunFolder writes (settings.json, metrics.jsonl,
evaluation.json, weights) plus `run.json`: the run's name (renamable), when it started and how
it ended. Folder names are made here and never from user text, and deleting refuses anything
that is not a run folder directly inside the runs directory.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from i18n import msg

RUNS_FOLDER = "runs"
RECORD_FILE = "run.json"
SETTINGS_FILE = "settings.json"
METRICS_FILE = "metrics.jsonl"
STATE_FILE = "state.pt"  # the weights and the epoch a run saved last (rewritten every epoch)


class RunHistoryError(ValueError):
    """A run cannot be renamed or deleted; the message is one line."""


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int, int] | None:
    """Which version of a file is on disk (None: there is none). A run saves its weights aside
    and renames them into place, so every save is a new stamp."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def runs_directory(project_path: str | os.PathLike[str]) -> Path:
    """Where the runs of the project saved at `project_path` are kept."""
    path = Path(project_path).resolve()
    stem = path.name.split(".")[0] or "project"
    return path.parent / RUNS_FOLDER / stem


def new_run_folder(runs_dir: str | os.PathLike[str], now: datetime | None = None) -> Path:
    """A fresh, empty folder for a run, named by its start time (unique within the directory)."""
    base = Path(runs_dir)
    base.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
    for n in range(1, 1000):
        candidate = base / (stamp if n == 1 else f"{stamp}_{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise RunHistoryError(msg("cannot make a new run folder in {path}", path=base))


def record_run(folder: str | os.PathLike[str], finished: Any) -> None:
    """Write run.json for a finished run (runtime.events.RunFinished); keeps an earlier name."""
    path = Path(folder) / RECORD_FILE
    old = _read_json(path) or {}
    record = {
        "name": old.get("name") or Path(folder).name,
        "created": old.get("created") or datetime.now(UTC).isoformat(timespec="seconds"),
        "status": finished.status,
        "epochs": finished.epochs,
        "train_loss": _finite(finished.train_loss),
        "val_loss": _finite(finished.val_loss),
        "val_accuracy": _finite(finished.val_accuracy),
        "seconds": round(finished.seconds, 3),
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


@dataclass
class RunRecord:
    """One past run, as read from its folder."""

    path: Path
    name: str
    created: str
    status: str | None
    training: dict[str, Any] = field(default_factory=dict)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def folder_name(self) -> str:
        return self.path.name

    def series(self, key: str) -> tuple[list[int], list[float]]:
        """(epochs, values) of one metrics.jsonl column, leaving out missing values."""
        xs, ys = [], []
        for record in self.metrics:
            value = record.get(key)
            if isinstance(value, int | float) and math.isfinite(value):
                xs.append(record.get("epoch", len(xs) + 1))
                ys.append(float(value))
        return xs, ys


def read_run(folder: Path) -> RunRecord | None:
    """The run in `folder`, or None if it holds no run (no settings.json)."""
    settings = _read_json(folder / SETTINGS_FILE)
    if settings is None:
        return None
    summary = _read_json(folder / RECORD_FILE) or {}
    training = settings.get("training")
    created = summary.get("created") or datetime.fromtimestamp(
        (folder / SETTINGS_FILE).stat().st_mtime, UTC
    ).isoformat(timespec="seconds")
    return RunRecord(
        folder,
        str(summary.get("name") or folder.name),
        str(created),
        summary.get("status"),
        training if isinstance(training, dict) else {},
        _read_metrics(folder / METRICS_FILE),
        summary,
    )


def list_runs(runs_dir: str | os.PathLike[str]) -> list[RunRecord]:
    """Every run in the directory, oldest first."""
    base = Path(runs_dir)
    if not base.is_dir():
        return []
    runs = [r for r in (read_run(p) for p in sorted(base.iterdir()) if p.is_dir()) if r]
    return sorted(runs, key=lambda r: (r.created, r.folder_name))


def rename_run(run: RunRecord, name: str) -> RunRecord:
    """Give a run a new name (its folder keeps its own); a blank name is refused."""
    name = " ".join(name.split())
    if not name:
        raise RunHistoryError(msg("a run's name cannot be empty"))
    path = run.path / RECORD_FILE
    record = _read_json(path) or {"created": run.created, "status": run.status}
    record["name"] = name
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    run.name = name
    run.summary = record
    return run


def delete_run(runs_dir: str | os.PathLike[str], run: RunRecord) -> None:
    """Delete a run's folder: only a run folder directly inside `runs_dir`."""
    base = Path(runs_dir).resolve()
    target = run.path.resolve()
    if target.parent != base or not (target / SETTINGS_FILE).is_file():
        raise RunHistoryError(
            msg("{path} is not a run of this project: it is left alone", path=run.path)
        )
    shutil.rmtree(target)


def differing_settings(runs: list[RunRecord]) -> dict[str, list[Any]]:
    """The training settings whose values are not the same in every run: name -> values."""
    names = sorted({k for run in runs for k in run.training})
    result = {}
    for name in names:
        values = [run.training.get(name) for run in runs]
        if any(v != values[0] for v in values[1:]):
            result[name] = values
    return result


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _read_metrics(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash: the others still count
        if isinstance(record, dict):
            records.append(record)
    return records


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None
