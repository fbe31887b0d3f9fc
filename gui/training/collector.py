"""Python's cyclic garbage collection, kept on the GUI thread.

The collector runs in whichever thread happens to allocate: a sample probe's, the dataset
preview's, the learning-rate finder's, the one relaying a run's events. Were it to free a cycle
holding Qt objects there (a closed panel's actions, a lambda slot), Qt would destroy them from
the wrong thread: "QBasicTimer::stop: Failed ... different thread", a crash, or PySide waiting
for the GUI thread to delete them while the GUI thread waits for that thread (a hang seen in the
test suite). So once the editor's window exists, automatic collection is off for good and the
GUI thread collects on a timer, generation by generation as the thresholds say (pyqtgraph's
GarbageCollector does the same).

While a run trains the oldest generation waits: a full collection walks every object torch and
Qt hold (hundreds of thousands) and kept the event loop from its work for 0.1 to 1.4 s
(bench_gui_training). Between runs it is collected when its counter says so, at most once every
FULL_EVERY_SECONDS: CPython itself holds a due full collection back until the objects waiting for
it are a quarter of the long-lived ones, a rule its counters do not show, to keep the cost of full
collections linear; the interval stands in for it. (Run elsewhere, such a collection would hold
the GIL and freeze the window just the same.)
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

COLLECT_INTERVAL_MS = 250
FULL_EVERY_SECONDS = 30.0


class GuiThreadCollector(QObject):
    """`install()` with the editor's window: from then on only this thread collects.
    `hold()` when a run starts, `release()` when it ends (nested holds are counted): during a
    run, the young generations only. Without `install()`, a hold turns automatic collection off
    for the run and back on after it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._holds = 0
        self._installed = False
        self._was_enabled = True
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)

    @property
    def installed(self) -> bool:
        return self._installed

    def install(self) -> None:
        if self._installed:
            return
        if self._holds == 0:
            self._was_enabled = gc.isenabled()
        self._installed = True
        gc.disable()
        self._timer.start()

    def hold(self) -> None:
        if self._holds == 0 and not self._installed:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()
        self._holds += 1

    def release(self) -> None:
        if self._holds == 0:
            return
        self._holds -= 1
        if self._holds == 0 and not self._installed:
            self._timer.stop()
            self.collect(oldest=False)
            if self._was_enabled:
                gc.enable()

    def collect_due(self) -> None:
        """The collection automatic collection would have made by now, here."""
        oldest = (
            self._installed
            and self._holds == 0
            and time.monotonic() - self._last_full >= FULL_EVERY_SECONDS
        )
        self.collect(oldest)

    def collect(self, oldest: bool = True) -> None:
        """What automatic collection would have done by now, here on the GUI thread (of the
        two young generations only, unless `oldest`)."""
        thresholds = gc.get_threshold()
        counts = gc.get_count()
        # the oldest due generation takes the younger ones along
        for generation in (2, 1, 0) if oldest else (1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                if generation == 2:
                    self._last_full = time.monotonic()
                return


_shared: GuiThreadCollector | None = None


def shared_collector() -> GuiThreadCollector:
    """One per process: gc's switch is global, so its holder must be too."""
    global _shared
    if _shared is None:
        _shared = GuiThreadCollector()
    return _shared
