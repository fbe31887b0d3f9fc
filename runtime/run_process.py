"""A Trainer in a process of its own, driven like a Trainer from the thread that calls `run()`.

Why: with the window open, a Trainer on a thread of the GUI process shares the GIL with the
event loop. Each repaint and timer tick holds the GIL the training step needs, and the step's
Python holds it while the event loop waits: the window's run reached 0.76× the headless
throughput and the event loop was late by 20–55 ms (bench/bench_gui_training.py). In a child
process the two share nothing but a pipe; and whatever kills the child (a segfault in an
extension, the system's out-of-memory killer) ends the run, not the editor.

`RemoteRun` speaks the Trainer's language: `run()` blocks, relays the child's events in order to
`emit` (the same events, pickled), and always ends with one RunFinished; the Trainer's control
calls (CONTROL_CALLS: `stop()`, `pause()`, `resume()`, `request_sample(index)`) are made in the
child, from any thread here, through a control pipe (`call`). Any other name is an AttributeError
here, at once, in the caller's process: a typo never reaches the child as a mere warning.
Public attributes set before `run()` (e.g. `layer_stats_every`) are set on the child's Trainer.
After the run, `class_names` and `validation_predictions()` hold what the child sent back.

Children are forked by a multiprocessing forkserver that has imported torch and the runtime
once (the first run pays for that), so each run starts in tens of milliseconds, and nothing ever
forks the GUI process itself (its Qt state and threads stay out of the child).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from graph import Project, project_to_dict
from i18n import msg
from recipe.config import TrainConfig
from runtime.events import RunFinished, TrainingEvent
from runtime.run_history import record_run

# What the forkserver imports before it forks any run: torch and the whole runtime.
PRELOAD = ["runtime.run_child"]
# The Trainer's methods that may be called during its run from another thread (and so from the
# GUI process): a new one is added here (tests/runtime/test_run_process.py checks each exists).
CONTROL_CALLS = frozenset({"stop", "pause", "resume", "request_sample"})
EXIT_WAIT_SECONDS = 5.0  # for the child to exit once it has sent its results
OUT_OF_MEMORY_SIGNALS = (signal.SIGKILL,)  # what the system's out-of-memory killer sends

_context_lock = threading.Lock()


def run_context() -> Any:  # multiprocessing.context.ForkServerContext
    """The forkserver context every run is started from (its server starts with the first)."""
    with _context_lock:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context


def warm_up() -> None:
    """Start the forkserver now (it imports torch in its own process): the first run starts fast."""
    from multiprocessing import forkserver

    run_context()
    forkserver.ensure_running()


@dataclass
class RunJob:
    """Everything the child needs, pickled: no Qt object, no open file."""

    project: dict
    config: TrainConfig
    threads: int  # torch intra-op threads in the child
    language: str  # the messages the child renders at once (`say`) are in the editor's language
    trusted_code: bool  # the project's Code nodes may run (the editor's trust carries over)
    code_outcomes: dict = field(default_factory=dict)  # what the editor's runner already knows
    attributes: dict = field(default_factory=dict)  # set on the child's Trainer before run()


class RemoteRun:
    def __init__(
        self,
        project: Project,
        config: TrainConfig,
        emit: Callable[[TrainingEvent], None],
        threads: int = 1,
    ) -> None:
        self._project = project
        self._config = config
        self._emit = emit
        self._threads = threads
        self._lock = threading.Lock()
        self._calls: list[tuple[str, tuple]] = []  # asked before the child was there
        self._control: Connection | None = None
        self._process: Any = None
        self._pid: int | None = None
        self._ended = False
        self._killed = False
        self._attributes: dict[str, Any] = {}
        self._results: dict[str, Any] = {}

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):  # a Trainer attribute: the child's Trainer gets it
            self._attributes[name] = value
        object.__setattr__(self, name, value)

    # --- control, from any thread ------------------------------------------------------------

    def call(self, name: str, *args: Any) -> None:
        """Call `trainer.<name>(*args)` in the child (after it has started, in order); a name
        that is not one of CONTROL_CALLS is an AttributeError here."""
        check_control_call(name)
        with self._lock:
            if self._ended:
                return
            if self._control is None:
                self._calls.append((name, args))
                return
            with contextlib.suppress(OSError, ValueError):  # the child is gone: nothing to ask
                self._control.send((name, args))

    def stop(self) -> None:
        self.call("stop")

    def pause(self) -> None:
        self.call("pause")

    def resume(self) -> None:
        self.call("resume")

    def __getattr__(self, name: str) -> Callable[..., None]:
        """The other control calls of the Trainer, e.g. `request_sample(index)`: called in the
        child. (Only reached for names this object does not have.)"""
        if name.startswith("_"):
            raise AttributeError(name)
        check_control_call(name)
        return lambda *args: self.call(name, *args)

    def kill(self) -> None:
        """End the child at once (a run that does not answer Stop); run() then returns."""
        self._killed = True
        process = self._process
        if process is not None:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.kill()

    @property
    def pid(self) -> int | None:
        """The child's process id once started (kept after it has ended)."""
        return self._pid

    # --- results, after run() ----------------------------------------------------------------

    @property
    def class_names(self) -> list[str] | None:
        return self._results.get("class_names")

    def validation_predictions(self) -> tuple:
        """(targets, predictions) the child computed; a RuntimeError saying why if it could not."""
        if "predictions_error" in self._results:
            raise RuntimeError(self._results["predictions_error"])
        predictions = self._results.get("predictions")
        if predictions is None:
            import numpy as np

            return np.empty(0), np.empty(0)
        return predictions

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> RunFinished:
        started = time.perf_counter()
        try:
            events = self._start()
        except Exception as exc:  # no process, no pipe: say so, as a run that cannot start
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            finished = RunFinished(
                "failed", msg("the training process could not start: {reason}", reason=text)
            )
            return self._end(finished)
        finished = self._relay(events)
        if finished is None:  # the pipe closed before RunFinished: the child died
            finished = self._died(time.perf_counter() - started)
            with contextlib.suppress(Exception):
                self._emit(finished)
        return self._end(finished, emitted=True)

    def _start(self) -> Connection:
        context = run_context()
        events_in, events_out = context.Pipe(duplex=False)
        control_in, control_out = context.Pipe(duplex=False)
        process = context.Process(
            target=_child_main,
            args=(self._job(), events_out, control_in),
            name="netwright-training",
        )
        process.start()
        events_out.close()  # our copies: the child's end closing is how its death shows here
        control_in.close()
        with self._lock:
            self._process = process
            self._pid = process.pid
            self._control = control_out
            calls, self._calls = self._calls, []
            for call in calls:
                with contextlib.suppress(OSError, ValueError):
                    control_out.send(call)
        return events_in

    def _job(self) -> RunJob:
        import i18n

        runner = self._project.code_runner
        remembered = getattr(runner, "remembered_outcomes", None)
        return RunJob(
            project=project_to_dict(self._project),
            config=self._config,
            threads=self._threads,
            language=i18n.language(),
            trusted_code=runner is not None,
            code_outcomes=remembered() if remembered is not None else {},
            attributes=dict(self._attributes),
        )

    def _relay(self, events: Connection) -> RunFinished | None:
        """Hand every event on to `emit`, in order, until the child sends its results."""
        finished = None
        emit = self._emit
        try:
            while True:
                kind, payload = events.recv()
                if kind == "event":
                    if isinstance(payload, RunFinished):
                        finished = payload
                    emit(payload)
                else:  # "results": the last thing the child sends
                    self._results = payload
                    break
        except (EOFError, OSError):
            pass
        finally:
            events.close()
        return finished

    def _died(self, seconds: float) -> RunFinished:
        """The RunFinished of a child that ended without one: what ended it, in words."""
        process = self._process
        process.join(EXIT_WAIT_SECONDS)
        code = process.exitcode
        if code is None:  # alive but silent (it closed its pipe): it is of no use any more
            process.kill()
            process.join(EXIT_WAIT_SECONDS)
            code = process.exitcode
        if self._killed:
            message = msg("the training process did not answer Stop in time and was ended")
        else:
            message = msg(
                "the training process ended before the run did ({cause}); the editor is unaffected",
                cause=exit_cause(code),
            )
        status = "stopped" if self._killed else "failed"
        finished = RunFinished(status, message, seconds=seconds, out_dir=self._config.out_dir)
        if self._config.out_dir:
            with contextlib.suppress(OSError):  # the run history shows the failure too
                record_run(self._config.out_dir, finished)
        return finished

    def _end(self, finished: RunFinished, emitted: bool = False) -> RunFinished:
        with self._lock:
            self._ended = True
            control, self._control = self._control, None
        if control is not None:
            control.close()
        process = self._process
        if process is not None:
            process.join(EXIT_WAIT_SECONDS)
            if process.exitcode is None:
                process.kill()
                process.join(EXIT_WAIT_SECONDS)
            with contextlib.suppress(ValueError):
                process.close()
        if not emitted:
            with contextlib.suppress(Exception):
                self._emit(finished)
        return finished


def check_control_call(name: str) -> None:
    """An AttributeError unless `name` is one of the Trainer's control calls."""
    if name not in CONTROL_CALLS:
        known = ", ".join(sorted(CONTROL_CALLS))
        raise AttributeError(f"a run has no control call {name!r} (it has: {known})")


def _child_main(job: RunJob, events: Connection, control: Connection) -> None:
    """The child process's body (runtime.run_child is preloaded: importing it here is free)."""
    from runtime.run_child import serve

    serve(job, events, control)


def exit_cause(code: int | None) -> str:
    """`killed by SIGKILL (…out of memory)`, `crashed with SIGSEGV`, `exit code 3`."""
    if code is None:
        return msg("it did not exit")
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        if -code in OUT_OF_MEMORY_SIGNALS:
            return msg("killed by {signal}; the system may have run out of memory", signal=name)
        return msg("killed by {signal}", signal=name)
    return msg("exit code {code}", code=code)
