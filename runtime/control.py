"""Stop, pause and resume asked for from any thread, and the run's clock without its pauses."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RunControl:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._unpaused = threading.Event()
        self._unpaused.set()
        self._started = time.perf_counter()
        self._paused_seconds = 0.0

    # --- from any thread -------------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()
        self._unpaused.set()  # a paused run wakes up to stop

    def pause(self) -> None:
        if not self._stop.is_set():
            self._unpaused.clear()

    def resume(self) -> None:
        self._unpaused.set()

    # --- from the run ------------------------------------------------------------------------

    def start_clock(self) -> None:
        self._started = time.perf_counter()
        self._paused_seconds = 0.0

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def pause_asked(self) -> bool:
        return not self._unpaused.is_set()

    def elapsed(self) -> float:
        """Seconds since the run started, pauses left out."""
        return time.perf_counter() - self._started - self._paused_seconds

    def wait_while_paused(
        self, on_change: Callable[[bool], None], idle: Callable[[], None] | None = None
    ) -> float:
        """Block until resumed or stopped; `on_change(True/False)` around it, `idle()` every
        0.1 s while waiting (a paused run still answers sample requests). Paused seconds."""
        on_change(True)
        began = time.perf_counter()
        while not self._unpaused.wait(0.1):
            if idle is not None:
                idle()
        paused = time.perf_counter() - began
        self._paused_seconds += paused
        if not self._stop.is_set():
            on_change(False)
        return paused
