"""The child's side of runtime/run_process.py: one Trainer, its events sent up a pipe in order,
the parent's control calls read from another pipe on a thread of their own.

The forkserver imports this module once, before it forks any run, so everything a run imports
on its way to the first batch is imported here at module level: torch, torch._dynamo (the
optimizers import it, 2.5 s), scikit-learn's datasets and the whole runtime. A run forked from
the server then starts in tens of milliseconds instead of seconds. Nothing here runs a torch
operation: the server must fork before OpenMP has started threads. The GUI process never
imports this module (runtime/run_process.py names it only inside the child).
"""

from __future__ import annotations

import contextlib
import threading
from multiprocessing.connection import Connection
from typing import Any

import sklearn.datasets  # noqa: F401  (preloaded: the built-in datasets)
import torch
import torch._dynamo  # (preloaded: torch.optim imports it on first use)

import graph.layers  # noqa: F401  (preloaded: every layer's spec)
import i18n
from graph import project_from_dict
from i18n import msg
from runtime.code_runner import CodeShapes
from runtime.events import Message, RunFinished
from runtime.trainer import Trainer


def serve(job: Any, events: Connection, control: Connection) -> None:
    """Run `job` (a run_process.RunJob): every event up `events`, then ("results", {...})."""
    i18n.set_language(job.language)
    lock = threading.Lock()

    def send(item: tuple) -> None:
        with lock, contextlib.suppress(OSError, ValueError):  # parent gone: the run stops
            events.send(item)

    def emit(event: Any) -> None:
        send(("event", event))

    runner = None
    try:
        torch.set_num_threads(job.threads)
        project = project_from_dict(job.project)
        if job.trusted_code:
            runner = CodeShapes(remembered=job.code_outcomes)
            project.set_code_runner(runner)
        trainer = Trainer(project, job.config, emit)
        for name, value in job.attributes.items():
            setattr(trainer, name, value)
    except Exception as exc:  # the run cannot start: it still ends with one RunFinished
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        emit(RunFinished("failed", msg("training could not start: {reason}", reason=text)))
        send(("results", {}))
        return
    threading.Thread(
        target=_obey, args=(control, trainer, emit), name="netwright-control", daemon=True
    ).start()
    try:
        finished = trainer.run()
        send(("results", _results(trainer, finished.status)))
    finally:
        if runner is not None:
            runner.worker.stop()


def _obey(control: Connection, trainer: Any, emit: Any) -> None:
    """Call what the parent asks for on the trainer; the parent gone means Stop."""
    while True:
        try:
            name, args = control.recv()
        except (EOFError, OSError):
            trainer.stop()
            return
        try:
            getattr(trainer, name)(*args)
        except Exception as exc:  # a control call that fails costs that call, not the run
            emit(Message("warning", msg("{call} failed: {reason}", call=name, reason=str(exc))))


def _results(trainer: Any, status: str) -> dict[str, Any]:
    """What the editor reads after a run: the validation predictions and the class names."""
    if status == "failed":
        return {}
    try:
        return {
            "predictions": trainer.validation_predictions(),
            "class_names": trainer.class_names,
        }
    except Exception as exc:
        return {"predictions_error": str(exc) or type(exc).__name__}
