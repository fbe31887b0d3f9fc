"""A run on several processes: the exported model and training script, written into the run
folder and started under `torchrun --standalone --nproc_per_node=N` (gloo on CPU, nccl on CUDA).

It speaks the Trainer's language: `run()` blocks and ends with one RunFinished, `stop()` may be
called from any thread and ends the whole process group (SIGTERM, then SIGKILL), and the events
come from the files the script writes (run.json when training starts, one metrics.jsonl line per
epoch), read while it runs. What torchrun and the processes print goes to torchrun.log there.
A run resumes as a Trainer's does: rank 0 writes state.pt after every epoch, and every process
of the resumed group loads it (the script's --resume). The folder is a run of the history as a
Trainer's is: settings.json (with the number of processes, which History › Resume starts
again) and, when the group has ended, the history's run.json in place of the script's.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from codegen import GeneratedModel, generate_model
from codegen.cluster_job import slurm_script, torchrun_script
from codegen.train_script import generate_train_script
from graph import Project, project_from_dict, project_to_dict
from i18n import message_of, msg
from recipe.config import TrainConfig
from recipe.metrics import METRIC_KEYS
from runtime.checkpoints import CheckpointError, RunFolder, load_state, nothing_left
from runtime.events import EpochMetrics, Message, RunFinished, RunStarted, TrainingEvent
from runtime.run_history import RECORD_FILE, record_run

POLL_SECONDS = 0.1
STOP_GRACE_SECONDS = 10.0
LOG_NAME = "torchrun.log"
START_WEIGHTS_NAME = "start_weights.pt"  # the chosen weights, as the generated code names them


def torchrun_command(nproc: int, script: str = "train.py") -> list[str]:
    """`torchrun --standalone --nproc_per_node=N train.py`, run by this Python."""
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={nproc}",
        script,
    ]


def write_run_files(
    project: Project, config: TrainConfig, folder: Path
) -> tuple[Project, GeneratedModel]:
    """model.py and train.py in `folder`, the script's defaults being `config`'s settings: the
    project they were written from (with those settings) and its generated model."""
    copy = project_from_dict(project_to_dict(project))
    training = config.to_training()
    if os.path.exists(training["dataset"]):  # a file's path stays right from the run folder
        training["dataset"] = os.path.abspath(training["dataset"])
    copy.set_training(training)
    model = generate_model(copy)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.py").write_text(model.source, encoding="utf-8")
    script = generate_train_script(copy, model, model_module="model")
    (folder / "train.py").write_text(script, encoding="utf-8")
    return copy, model


def write_cluster_job(
    project: Project, config: TrainConfig, folder: Path, nnodes: int, nproc_per_node: int
) -> list[Path]:
    """model.py, train.py, torchrun.sh and job.sbatch in `folder`: the files written."""
    write_run_files(project, config, folder)
    gpus = config.device.startswith("cuda")
    files = {
        "torchrun.sh": torchrun_script(nnodes, nproc_per_node),
        "job.sbatch": slurm_script(project.name, nnodes, nproc_per_node, gpus),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        (folder / name).chmod(0o755)
    return [folder / name for name in ("model.py", "train.py", *files)]


class ProcessGroupRun:
    def __init__(
        self,
        project: Project,
        config: TrainConfig,
        nproc: int,
        emit: Callable[[TrainingEvent], None],
        weights_in_child: bool = False,
    ) -> None:
        self.project, self.config, self.nproc = project, config, nproc
        self._emit = emit
        # the editor's process builds no network of its own (user code, torch): start weights
        # are fitted in a child process there; the command line fits them itself
        self.weights_in_child = weights_in_child
        self._notes: list[Message] = []  # what fitting the start weights said, told at the start
        self._record: dict | None = None  # the run history's record of the folder resumed
        self._stop = threading.Event()
        self._process: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.start_epoch = 0  # the epoch a resumed run continues after

    # --- control, from any thread ------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()

    def pause(self) -> None:
        self._emit(Message("warning", msg("a run on several processes cannot pause")))

    def resume(self) -> None:
        pass

    # --- results (the processes keep theirs in the run folder) ---------------------------------

    class_names = None

    def validation_predictions(self) -> tuple:
        """No predictions come back from the processes: empty, as a Trainer's before its run."""
        import numpy as np

        return np.empty(0), np.empty(0)

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> RunFinished:
        started = time.perf_counter()
        try:
            finished = self._run(started)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            finished = RunFinished(
                "failed",
                msg("cannot start torchrun: {reason}", reason=reason),
                seconds=time.perf_counter() - started,
            )
        if finished.out_dir:
            with contextlib.suppress(OSError):  # the history's record, never the run's fate
                path = Path(finished.out_dir) / RECORD_FILE
                path.unlink(missing_ok=True)
                if self._record is not None:
                    path.write_text(json.dumps(self._record), encoding="utf-8")
                record_run(finished.out_dir, finished)
        with contextlib.suppress(Exception):
            self._emit(finished)
        return finished

    def _run(self, started: float) -> RunFinished:
        cfg = self.config
        folder = Path(cfg.out_dir or cfg.resume_from or tempfile.mkdtemp(prefix="netwright-run-"))
        self.folder = folder
        command = [*torchrun_command(self.nproc), "--out", str(folder.resolve())]
        if cfg.resume_from:
            why = self._check_resume(cfg.resume_from, cfg.epochs)
            if why is not None:
                return RunFinished("failed", why, seconds=time.perf_counter() - started)
            command += ["--resume", str(Path(cfg.resume_from).resolve())]
        written, code = write_run_files(self.project, cfg, folder)
        if cfg.start_weights and not cfg.resume_from:  # a resumed run has its own weights
            why = self._fit_start_weights(written, code, folder / START_WEIGHTS_NAME)
            if why is not None:
                return RunFinished("failed", why, seconds=time.perf_counter() - started)
            command += ["--weights", str((folder / START_WEIGHTS_NAME).resolve())]
        history = RunFolder(folder)
        # what the run history lists and History › Resume reads (the processes among them)
        settings = {
            "training": written.training,
            "processes": self.nproc,
            "model_class": code.class_name,
            "project": self.project.name,
            "device": cfg.device,
        }
        history.write_settings(settings, code.source)
        # the script writes its own run.json (the run's size); the history's record (a resumed
        # run's name) is put back when the group has ended
        self._record = _read_record(folder / RECORD_FILE)
        (folder / RECORD_FILE).unlink(missing_ok=True)
        # the history of the epochs resumed after stays; the script appends to it
        history.start_metrics(self.start_epoch)
        kept = history.metrics.stat().st_size  # read before the script rewrites the same lines
        if cfg.tensorboard_dir:
            command += ["--tensorboard", str(Path(cfg.tensorboard_dir).resolve())]
        with open(folder / LOG_NAME, "w", encoding="utf-8") as log:
            # a session of its own: Stop (and Ctrl-C here) ends the whole group, nothing else
            self._process = subprocess.Popen(
                command,
                cwd=folder,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            records = self._follow(folder, kept)
        seconds = time.perf_counter() - started
        code = self._process.returncode
        last = records[-1] if records else None
        values: dict[str, Any] = {
            "epochs": last["epoch"] if last else self.start_epoch,
            "train_loss": last["train_loss"] if last else None,
            "val_loss": last["val_loss"] if last else None,
            "val_accuracy": last["val_accuracy"] if last else None,
            "samples_per_second": last["samples_per_second"] if last else 0.0,
            "seconds": seconds,
            "checkpoint": str(folder / "best.pt"),
            "out_dir": str(folder),
        }
        if self._stop.is_set():
            epochs = values["epochs"]
            return RunFinished(
                "stopped", msg("stopped after epoch {epoch}", epoch=epochs), **values
            )
        if code != 0:
            return RunFinished(
                "failed",
                msg(
                    "torchrun exited with {code}: {reason} (the whole output is in {log})",
                    code=code,
                    reason=_last_error(folder / LOG_NAME),
                    log=folder / LOG_NAME,
                ),
                **values,
            )
        return RunFinished(
            "completed",
            msg(
                "trained {count} epochs on {processes} processes",
                count=values["epochs"],
                processes=self.nproc,
            ),
            **values,
        )

    def _fit_start_weights(self, project: Project, code: GeneratedModel, out: Path) -> str | None:
        """Fit the chosen weights to the drawing and write what fits to `out`, which every
        process of the group loads; why they cannot be used, in one line, or None."""
        from runtime.start_weights import GroupWeights

        cfg = self.config
        job = GroupWeights(
            project_to_dict(project),
            code,
            cfg.seed,
            str(cfg.start_weights),
            bool(cfg.strict_weights),
            str(out),
        )
        try:
            started = _fit_in_child(job) if self.weights_in_child else _fit_here(job)
        except Exception as exc:  # StartWeightsError, or a child that died
            return message_of(exc)
        self._notes = [
            Message("info", started.note),
            *(Message("warning", line) for line in started.lines),
        ]
        return None

    def _check_resume(self, folder: str, epochs: int) -> str | None:
        """Why the run in `folder` cannot be resumed, said before any process starts; None
        if it can (the epoch it ended after is kept)."""
        try:
            state = load_state(folder)
            self.start_epoch = int(state["epoch"])
        except CheckpointError as exc:
            return message_of(exc)
        except (KeyError, TypeError, ValueError) as exc:
            return msg(
                "cannot resume: the saved state does not fit this network ({line})",
                line=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
            )
        return nothing_left(self.start_epoch, epochs)

    def _follow(self, folder: Path, offset: int) -> list[dict]:
        """Relay run.json and each metrics.jsonl line after `offset` (the epochs a resumed run
        continues after) as events until the group ends."""
        process = self._process
        assert process is not None
        records: list[dict] = []
        announced = False
        path = folder / "metrics.jsonl"
        stopping_since: float | None = None
        while True:
            ended = process.poll() is not None
            if not announced and (folder / "run.json").exists():
                announced = self._announce(folder / "run.json")
            offset = self._read_metrics(path, offset, records)
            if ended:
                return records
            if self._stop.is_set():
                stopping_since = _end_group(process, stopping_since)
            time.sleep(POLL_SECONDS)

    def _announce(self, path: Path) -> bool:
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False  # being written: next time
        self._emit(
            RunStarted(
                info["device"],
                msg("{count} processes under torchrun", count=info["processes"]),
                info["epochs"],
                info["batches_per_epoch"],
                info["train_samples"],
                info["val_samples"],
                info["task"],
                self.config.to_training(),
                info.get("start_epoch", 0),
            )
        )
        self._emit(
            Message(
                "info",
                msg("torchrun writes its output to {log}", log=path.with_name(LOG_NAME)),
            )
        )
        for note in self._notes:
            self._emit(note)
        if info.get("start_epoch"):
            self._emit(
                Message("info", msg("resuming after epoch {epoch}", epoch=info["start_epoch"]))
            )
        return True

    def _read_metrics(self, path: Path, offset: int, records: list[dict]) -> int:
        """Emit the complete lines after `offset`; the new offset."""
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                chunk = f.read()
        except FileNotFoundError:
            return offset
        complete = chunk[: chunk.rfind(b"\n") + 1]
        for line in complete.decode("utf-8").splitlines():
            record = json.loads(line)
            records.append(record)
            self._emit(EpochMetrics(**{k: record[k] for k in METRIC_KEYS}))
        return offset + len(complete)


def _read_record(path: Path) -> dict | None:
    """The run history's record in `path` (a name, when it was created), or None."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and "created" in record else None


def _fit_here(job: Any) -> Any:  # (runtime.start_weights.GroupWeights) -> StartedFrom
    from runtime.start_weights import write_group_weights

    return write_group_weights(job)


def _fit_in_child(job: Any) -> Any:
    """write_group_weights in a process forked from the runs' forkserver (torch is loaded)."""
    from concurrent.futures import ProcessPoolExecutor

    from runtime.run_process import run_context

    with ProcessPoolExecutor(1, mp_context=run_context()) as pool:
        return pool.submit(_fit_here, job).result()


def _end_group(process: subprocess.Popen, since: float | None) -> float:
    """SIGTERM to the process group first (torchrun passes it on), SIGKILL after a grace."""
    now = time.monotonic()
    if since is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        return now
    if now - since > STOP_GRACE_SECONDS:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return since


def _last_error(log: Path) -> str:
    """The line of the log that says what went wrong: the last `error:` or exception line."""
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    except OSError:
        return "?"
    for line in reversed(lines):
        if line.startswith("error:") or (": " in line and line.split(":")[0].endswith("Error")):
            return line[:300]
    return next((line[:300] for line in reversed(lines) if line), "?")
