"""During a run the GUI thread collects the young generations; the end of a run re-enables
automatic collection without forcing a full one (which froze the window for ~0.4 s)."""

from __future__ import annotations

import gc

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
