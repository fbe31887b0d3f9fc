"""The QThread adapter around a training run: the one channel from a training run to the GUI.

A run on one process trains in a child process (runtime/run_process.RemoteRun): the GUI keeps
its GIL to itself, and a crash of the child ends the run, not the editor. The QThread here is
the relay: it reads the child's events and appends them to a deque (thread-safe, never
blocks); the GUI thread drains that deque on a timer. A run on several processes
(runtime/process_group) is relayed the same way from torchrun's files. Control calls
(`stop`, `pause`, `resume`, `call(name, ...)`) reach the run from the GUI thread; those asked
before the run exists are replayed when it does. Nothing here touches a widget from the relay
thread; `finished` is emitted by QThread and delivered queued.
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
from runtime.run_process import check_control_call

translate = QCoreApplication.translate


def training_threads(cpus: int | None = None) -> int:
    """Intra-op threads for a run with the window open: every core but one, which the GUI keeps.

    With all cores busy, OpenMP workers spin while the GUI thread holds the CPU they wait for,
    and both crawl (measured in bench/bench_gui_training.py).
    """
    cpus = cpus or os.cpu_count() or 1
    return max(1, cpus - 1)


def _ask(run: Any, name: str, args: tuple) -> None:
    method = getattr(run, name, None)
    if method is not None:
        method(*args)


def warm_up_training() -> None:
    """Start the process runs are forked from (it imports torch, seconds, in its own process),
    so that the first Start trains at once. Once per app; never blocks, never raises."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    try:
        from runtime.run_process import warm_up

        warm_up()
    except Exception:  # then the first run starts it, and says why if it cannot
        pass


_warmed = False


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
        self._calls: list[tuple[str, tuple]] = []  # asked before the run existed
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

    def call(self, name: str, *args: Any) -> None:
        """`run.<name>(*args)` on the run (in its process): Stop, Pause, Resume or another of
        the Trainer's control calls (runtime.run_process.CONTROL_CALLS; any other name is an
        AttributeError at once); asked before the run exists, it is asked then. A run without
        that method (one on several processes) ignores it."""
        check_control_call(name)
        with self._lock:
            trainer = self._trainer
            if trainer is None:
                self._calls.append((name, args))
                return
        _ask(trainer, name, args)

    def stop(self) -> None:
        self.call("stop")

    def pause(self) -> None:
        self.call("pause")

    def resume(self) -> None:
        self.call("resume")

    def kill(self) -> None:
        """End a run that does not answer Stop (its process is killed; nproc runs stop)."""
        with self._lock:
            trainer = self._trainer
        if trainer is not None:
            getattr(trainer, "kill", trainer.stop)()

    def request_sample(self, index: int) -> None:
        """One sample through the network, served between batches (a SampleActivations event);
        a run under torchrun has none to serve."""
        self.call("request_sample", index)

    @property
    def processes(self) -> int:
        """How many processes train: more than one is a run under torchrun."""
        return self._nproc

    @property
    def run_folder(self) -> str | None:
        """Where the run writes its weights and metrics (None: a folder of its own choosing)."""
        return self._config.out_dir or self._config.resume_from or None

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, milliseconds: int) -> bool:
        """Block until the thread ends (True) or the time is up (False)."""
        return self._thread.wait(milliseconds)

    # --- training thread -------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self._nproc > 1:
                from runtime.process_group import ProcessGroupRun

                trainer: Any = ProcessGroupRun(
                    self.project,
                    self._config,
                    self._nproc,
                    self._events.append,
                    weights_in_child=True,  # the drawing's code runs outside the editor
                )
            else:
                from runtime.run_process import RemoteRun

                trainer = RemoteRun(
                    self.project, self._config, self._events.append, training_threads()
                )
        except Exception as exc:  # a run that cannot start must still end with RunFinished
            self._events.append(
                RunFinished(
                    "failed",
                    translate("TrainingPanel", "Training could not start: {exc}").format(exc=exc),
                )
            )
            return
        trainer.layer_stats_every = self.layer_stats_every
        with self._lock:  # held while replaying: a call asked meanwhile comes after these
            self._trainer = trainer
            for name, args in self._calls:
                _ask(trainer, name, args)
            self._calls = []
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
                # Computed by the run (in its process), so the GUI thread never waits on it.
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
