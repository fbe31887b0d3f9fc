"""The QThread adapter around runtime.Trainer: the one channel from a training run to the GUI.

The trainer runs on its own QThread and reports through `emit`, which only appends to a deque
(thread-safe, never blocks). The GUI thread drains that deque on a timer. Nothing here touches a
widget from the training thread; `finished` is emitted by QThread and delivered queued.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from graph import Project, project_from_dict, project_to_dict
from runtime.events import Message, RunFinished, TrainingEvent

translate = QCoreApplication.translate


def training_threads(cpus: int | None = None) -> int:
    """Intra-op threads for a run with the window open: every core but one, which the GUI keeps.

    With all cores busy, OpenMP workers spin while the GUI thread holds the CPU they wait for,
    and both crawl (measured in bench/bench_gui_training.py).
    """
    cpus = cpus or os.cpu_count() or 1
    return max(1, cpus - 1)


def _leave_a_core_for_the_gui() -> None:
    import torch

    # Per thread in OpenMP: this sets the pool this training thread uses, not the GUI's.
    torch.set_num_threads(min(torch.get_num_threads(), training_threads()))


class _RunThread(QThread):
    def __init__(self, body: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._body = body

    def run(self) -> None:  # on the training thread
        self._body()


class TrainingWorker(QObject):
    """One training run. Construct, `start()`, poll `drain()`; `stop()`/`pause()`/`resume()`."""

    finished = Signal()  # the thread has ended; drain once more for the last events

    def __init__(
        self, project: Project, config: Any, parent: QObject | None = None, nproc: int = 1
    ) -> None:
        super().__init__(parent)
        self._nproc = nproc  # more than one: the exported script under torchrun
        # The trainer gets its own copy: the drawing may not change under it, whatever the GUI does.
        self.project = project_from_dict(project_to_dict(project))
        self.project.set_code_runner(project.code_runner)  # trusted code stays trusted
        self._config = config
        self._events: deque[TrainingEvent] = deque()
        self._lock = threading.Lock()
        self._trainer: Any = None
        self._stop_requested = False
        self._pause_requested = False
        self._sample_requested: int | None = None
        self.result: RunFinished | None = None
        self.predictions: tuple[Any, Any] | None = None  # (targets, predictions) after a run
        self.class_names: list[str] | None = None
        self.layer_stats_every = 0  # batches between per-layer statistics (0: none)
        self._thread = _RunThread(self._run, self)
        self._thread.finished.connect(self.finished)

    # --- GUI thread ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def drain(self) -> list[TrainingEvent]:
        """Every event queued since the last call, oldest first."""
        events = []
        pop = self._events.popleft
        try:
            while True:
                events.append(pop())
        except IndexError:
            return events

    def stop(self) -> None:
        with self._lock:
            self._stop_requested = True
            trainer = self._trainer
        if trainer is not None:
            trainer.stop()

    def pause(self) -> None:
        with self._lock:
            self._pause_requested = True
            trainer = self._trainer
        if trainer is not None:
            trainer.pause()

    def resume(self) -> None:
        with self._lock:
            self._pause_requested = False
            trainer = self._trainer
        if trainer is not None:
            trainer.resume()

    def request_sample(self, index: int) -> None:
        """One sample through the network, served between batches (a SampleActivations event)."""
        with self._lock:
            self._sample_requested = index
            trainer = self._trainer
        if trainer is not None and hasattr(trainer, "request_sample"):  # not under torchrun
            trainer.request_sample(index)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, milliseconds: int) -> bool:
        """Block until the thread ends (True) or the time is up (False)."""
        return self._thread.wait(milliseconds)

    # --- training thread -------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            # Imported here, not at module import: the editor starts without paying for torch.
            from runtime.trainer import Trainer

            _leave_a_core_for_the_gui()
            if self._nproc > 1:
                from runtime.process_group import ProcessGroupRun

                trainer: Any = ProcessGroupRun(
                    self.project, self._config, self._nproc, self._events.append
                )
            else:
                trainer = Trainer(self.project, self._config, self._events.append)
        except Exception as exc:  # a run that cannot start must still end with RunFinished
            self._events.append(
                RunFinished(
                    "failed",
                    translate("TrainingPanel", "Training could not start: {exc}").format(exc=exc),
                )
            )
            return
        trainer.layer_stats_every = self.layer_stats_every
        with self._lock:
            self._trainer = trainer
            stop, pause = self._stop_requested, self._pause_requested
            sample = self._sample_requested
        if sample is not None and hasattr(trainer, "request_sample"):
            trainer.request_sample(sample)
        if stop:
            trainer.stop()
        elif pause:
            trainer.pause()
        try:
            self.result = trainer.run()
        except Exception as exc:  # run() promises not to raise; the GUI must survive if it does
            self.result = RunFinished(
                "failed", translate("TrainingPanel", "Training failed: {exc}").format(exc=exc)
            )
            self._events.append(self.result)
            return
        if self.result.status != "failed":
            try:
                # Computed here so the GUI thread never waits on the model.
                self.predictions = trainer.validation_predictions()
                self.class_names = trainer.class_names
            except Exception as exc:
                self._events.append(
                    Message(
                        "warning",
                        translate("TrainingPanel", "No validation predictions: {exc}").format(
                            exc=exc
                        ),
                    )
                )
