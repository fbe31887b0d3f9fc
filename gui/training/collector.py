"""Python's cyclic garbage collection, kept on the GUI thread while a run trains.

The collector runs in whichever thread happens to allocate, and the training thread allocates
the most. Were it to free a cycle holding Qt objects there (a closed panel, a lambda slot), Qt
would destroy them from the wrong thread: "QBasicTimer::stop: Failed ... different thread",
then a crash. So during a run automatic collection is off and the GUI thread collects on a timer,
generation by generation as the thresholds say (pyqtgraph's GarbageCollector does the same).

The oldest generation is left to CPython: a full collection walks every object torch and Qt
hold (hundreds of thousands), which kept the event loop from its work for 0.1 to 1.4 s
(bench_gui_training). CPython runs one only when the objects waiting for it are a quarter of the
long-lived ones, a rule its counters do not show; collecting it whenever its counter said so (at
the end of every run) froze the window for ~0.4 s as each run finished. What a run's GUI makes
meanwhile is little and young.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

COLLECT_INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """`hold()` when a run starts, `release()` when it ends; nested holds are counted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._holds = 0
        self._was_enabled = True
        self._timer = QTimer(self)
        self._timer.setInterval(COLLECT_INTERVAL_MS)
        self._timer.timeout.connect(lambda: self.collect(oldest=False))

    def hold(self) -> None:
        if self._holds == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()
        self._holds += 1

    def release(self) -> None:
        if self._holds == 0:
            return
        self._holds -= 1
        if self._holds == 0:
            self._timer.stop()
            self.collect(oldest=False)
            if self._was_enabled:
                gc.enable()

    def collect(self, oldest: bool = True) -> None:
        """What automatic collection would have done by now, here on the GUI thread (of the
        two young generations only, unless `oldest`; CPython decides the oldest's full
        collections by a rule of its own once automatic collection is back on)."""
        thresholds = gc.get_threshold()
        counts = gc.get_count()
        # the oldest due generation takes the younger ones along
        for generation in (2, 1, 0) if oldest else (1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


_shared: GuiThreadCollector | None = None


def shared_collector() -> GuiThreadCollector:
    """One per process: gc's switch is global, so its holder must be too."""
    global _shared
    if _shared is None:
        _shared = GuiThreadCollector()
    return _shared
