"""During a run the GUI thread collects the young generations; the end of a run re-enables
automatic collection without forcing a full one (which froze the window for ~0.4 s)."""

from __future__ import annotations

import gc
import threading

from gui.training.collector import GuiThreadCollector


def collections_during(action) -> list[int]:
    seen: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        action()
    finally:
        gc.callbacks.remove(note)
    return seen


def test_a_run_holds_automatic_collection_and_its_end_leaves_the_oldest_generation_to_cpython(
    qtbot,
):
    collector = GuiThreadCollector()
    was_enabled = gc.isenabled()
    gc.enable()
    thresholds = gc.get_threshold()
    try:
        collector.hold()
        assert not gc.isenabled()
        gc.set_threshold(1, 1, 1)  # every generation is due as soon as anything is allocated
        junk = [[i] for i in range(100)]
        seen = collections_during(collector.release)
        del junk
        assert gc.isenabled()
        assert seen and 2 not in seen  # the young generations, never a full collection
    finally:
        gc.set_threshold(*thresholds)
        if not was_enabled:
            gc.disable()


def test_once_the_window_exists_only_the_gui_thread_collects_cycles(qtbot, tmp_path, monkeypatch):
    from tests.gui.window_helpers import isolate, make_window

    isolate(monkeypatch, tmp_path)
    make_window(qtbot)
    assert not gc.isenabled()
    threads: list[int] = []

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            threads.append(threading.get_ident())

    def make_cycles() -> None:  # what a probe or preview thread does: allocate a lot
        for _ in range(50_000):
            a: list = []
            a.append(a)

    gc.callbacks.append(note)
    try:
        worker = threading.Thread(target=make_cycles)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: bool(threads), timeout=5_000)  # the timer's collection
    finally:
        gc.callbacks.remove(note)
    assert set(threads) == {threading.main_thread().ident}


def test_an_installed_collector_leaves_the_oldest_generation_alone_during_a_run(qtbot, monkeypatch):
    monkeypatch.setattr("gui.training.collector.FULL_EVERY_SECONDS", 0.0)
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    collector = GuiThreadCollector()
    try:
        collector.install()
        gc.set_threshold(1, 1, 1)  # every generation is due as soon as anything is allocated
        collector.hold()
        junk = [[i] for i in range(100)]
        during = collections_during(collector.collect_due)
        collector.release()
        junk += [[i] for i in range(100)]
        after = collections_during(collector.collect_due)
        assert not gc.isenabled()  # installed: a run's end does not turn it back on
    finally:
        collector._timer.stop()
        gc.set_threshold(*thresholds)
        if was_enabled:
            gc.enable()
    assert during and 2 not in during
    assert after == [2]
