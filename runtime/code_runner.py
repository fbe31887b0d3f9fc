"""Running Code nodes for the checker: a warm worker process, a time limit, remembered results.

`CodeWorker` owns one `python -m runtime.code_worker` process: it is started once and kept, a
run that passes the time limit kills it (the next run starts a fresh one). `CodeShapes` is the
project's CodeRunner (graph/code_runs.py): it answers from its memory of (source, arguments,
input shapes) or asks the worker, and waits. `BackgroundCodeShapes` never waits: it answers
None, runs the request on a thread and calls back when the answer is in (the editor's way).
No torch is imported here: only the worker process pays for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from graph.code_runs import CodeOutcome, CodeRequest
from graph.layers.code import TIME_LIMIT
from graph.project import Project

STARTUP_LIMIT = 120.0  # seconds the worker may take to import torch and say it is ready
_ROOT = str(Path(__file__).resolve().parents[1])
_MEMORY = 512  # results remembered


class CodeWorker:
    """One worker process, started on first use and kept warm; killed when a run is too long."""

    def __init__(self, time_limit: float = TIME_LIMIT) -> None:
        self.time_limit = time_limit
        self._process: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the process (if none runs) and wait until it has imported torch."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
        process = subprocess.Popen(
            [sys.executable, "-m", "runtime.code_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=_ROOT,
        )
        self._process = process
        self._answers = answers = queue.Queue()
        threading.Thread(target=_read_lines, args=(process, answers), daemon=True).start()
        try:
            ready = answers.get(timeout=STARTUP_LIMIT)
        except queue.Empty:
            ready = None
        if ready is None:
            self._kill()
            raise OSError("the code worker did not start")

    def run(self, request: CodeRequest) -> CodeOutcome:
        """Run one request; a run past the time limit kills the worker and says so."""
        with self._lock:
            try:
                self._ensure_started()
            except OSError as exc:
                return CodeOutcome(failure="crash", detail=str(exc))
            assert self._process is not None and self._process.stdin is not None
            line = json.dumps(
                {
                    "source": request.source,
                    "args": request.args,
                    "outputs": request.outputs,
                    "inputs": [[list(s), d] for s, d in request.inputs],
                }
            )
            try:
                self._process.stdin.write(line + "\n")
                self._process.stdin.flush()
                answer = self._answers.get(timeout=self.time_limit)
            except (OSError, ValueError):
                answer = None
            except queue.Empty:
                self._kill()
                return CodeOutcome(failure="timeout", detail=f"{self.time_limit:g}")
            if answer is None:  # the process died under the user's code (os._exit, a crash)
                code = self._process.poll()
                self._kill()
                return CodeOutcome(failure="crash", detail=f"exit code {code}")
            return CodeOutcome.from_json(json.loads(answer))

    def stop(self) -> None:
        with self._lock:
            self._kill()

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _read_lines(process: subprocess.Popen[str], answers: queue.Queue[str | None]) -> None:
    """Hand each line the worker writes to the waiting run; None when the worker is gone."""
    assert process.stdout is not None
    try:
        for line in process.stdout:
            answers.put(line)
    except (OSError, ValueError):
        pass
    answers.put(None)


class CodeShapes:
    """The project's CodeRunner: remembered answers, else the worker's (waiting for it)."""

    def __init__(
        self, worker: CodeWorker | None = None, remembered: dict[str, CodeOutcome] | None = None
    ) -> None:
        self.worker = worker or CodeWorker()  # started only when an answer is not remembered
        self._memory: OrderedDict[str, CodeOutcome] = OrderedDict(remembered or {})
        self._lock = threading.Lock()

    def remembered_outcomes(self) -> dict[str, CodeOutcome]:
        """Every answer remembered, by request key (a training process starts with them)."""
        with self._lock:
            return dict(self._memory)

    def remembered(self, request: CodeRequest) -> CodeOutcome | None:
        key = request.key()
        with self._lock:
            outcome = self._memory.get(key)
            if outcome is not None:
                self._memory.move_to_end(key)
            return outcome

    def run(self, request: CodeRequest) -> CodeOutcome | None:
        outcome = self.remembered(request)
        if outcome is None:
            outcome = self.worker.run(request)
            with self._lock:
                self._memory[request.key()] = outcome
                while len(self._memory) > _MEMORY:
                    self._memory.popitem(last=False)
        return outcome


class BackgroundCodeShapes(CodeShapes):
    """A CodeRunner that never blocks its caller: unknown requests run on a thread, and
    `on_ready` is called (from that thread) when an answer is in."""

    def __init__(self, on_ready: Callable[[], None], worker: CodeWorker | None = None) -> None:
        super().__init__(worker)
        self.on_ready = on_ready
        self._waiting: dict[str, CodeRequest] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None  # started by the first request

    def run(self, request: CodeRequest) -> CodeOutcome | None:
        outcome = self.remembered(request)
        if outcome is None:
            with self._wake:
                self._waiting[request.key()] = request
                self._start_thread()
                self._wake.notify()
        return outcome

    def warm(self) -> None:
        """Start the worker now, on the thread, so the first Code node answers quickly."""
        with self._wake:
            self._waiting.setdefault("", None)  # type: ignore[arg-type]
            self._start_thread()
            self._wake.notify()

    def _start_thread(self) -> None:
        # Only once there is code to run: an idle thread would keep an app without Code nodes
        # from quitting the quick way (gui/app.py).
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, daemon=True)
            self._thread.start()

    def _serve(self) -> None:
        while True:
            with self._wake:
                while not self._waiting:
                    self._wake.wait()
                # The newest request first: the code as it is now, not as it was three keys ago.
                key = next(reversed(self._waiting))
                request = self._waiting.pop(key)
            if request is None:
                with contextlib.suppress(OSError):
                    self.worker.start()
                continue
            super().run(request)
            try:
                self.on_ready()
            except RuntimeError:  # the listener is gone (its window closed): nobody to tell
                return


_shared: CodeShapes | None = None


def apply_trust(project: Project, trusted: bool) -> None:
    """`--trust`: a trusted project with Code nodes gets the command's one runner (one warm
    worker for every file); an untrusted one gets none, so its code never runs."""
    global _shared
    if not trusted or not project.has_code:
        return
    if _shared is None:
        _shared = CodeShapes()
    project.set_code_runner(_shared)
