"""Training with the window open: does the GUI stay responsive, and does training stay fast?

Figures (issues 6 and 16), each in one run on this machine:
- event-loop latency while the digits CNN trains on CPU with the training panel shown: a 5 ms
  QTimer probe records how late each tick fires; target p99 < 20 ms and max < 50 ms;
- throughput with the panel open against the same run headless (the anchor: Trainer.run() on the
  main thread, no Qt, as `main.py train` does it); target >= 0.95x; runs alternate, medians;
- how long Start takes to show the run's first event (the first run also starts the process
  runs are forked from), and how long Stop takes (click to RunFinished); target < 1 s;
- the cost of one dashboard tick (apply events + repaint) with 1,000 to 100,000 points, with
  downsampling and clip-to-view against the same plots without them.

Run: `QT_QPA_PLATFORM=offscreen python -m bench.bench_gui_training` (or under xvfb-run);
`--screenshots docs/screenshots` also saves pictures of a live run and of its results.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt and the model load inside main(), after QT_QPA_PLATFORM is set
    from PySide6.QtWidgets import QApplication

    from graph import Project

LATENCY_P99_MS = 20.0
LATENCY_MAX_MS = 50.0
THROUGHPUT_RATIO = 0.95
STOP_SECONDS = 1.0
PROBE_MS = 5


def _settings(project: Project, args: argparse.Namespace) -> dict:
    return {**project.training, "device": args.device, "epochs": args.epochs}


def headless_run(args: argparse.Namespace, threads: int | None) -> float:
    """The anchor: samples/s of the same run with no window (the trainer on the main thread),
    with `threads` intra-op threads (None: torch's default, as `main.py train` runs)."""
    import torch

    from graph import load_project
    from recipe.config import TrainConfig
    from runtime.trainer import Trainer

    project = load_project(args.example)
    config = TrainConfig.from_training(_settings(project, args))
    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        finished = Trainer(project, config, lambda _event: None).run()
    finally:
        torch.set_num_threads(before)
    assert finished.status == "completed", finished.message
    return finished.samples_per_second


def gui_run(
    app: QApplication,
    args: argparse.Namespace,
    screenshots: Path | None = None,
    probe_ms: int | None = PROBE_MS,
) -> dict:
    """Train from a shown TrainingPanel while a 5 ms timer probes the event loop (`probe_ms`
    None: no probe, for throughput alone — each probe tick takes the GIL from the trainer)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    from graph import load_project
    from gui.document import Document
    from gui.training.panel import TrainingPanel

    project = load_project(args.example)
    document = Document(project)
    document.set_training(_settings(project, args))
    panel = TrainingPanel(document)
    panel.resize(1400, 820)
    panel.show()
    # As a person sees it: the panel shows its dataset's samples before Start is pressed. The
    # preview's one-time load (torch and the dataset imported on a thread of this process)
    # otherwise overlaps the first run and takes a share of both cores from it.
    _wait(app, lambda: panel.preview.kind != "none", 60)
    stamps: list[float] = []
    window = {"first": None}
    shots = {"live": False}

    def probe() -> None:
        now = time.perf_counter()
        stamps.append(now)
        step = panel.dashboard._step
        if "shown" not in window and panel.dashboard._started is not None:
            window["shown"] = now  # RunStarted, the run's first event, is on the screen
        if window["first"] is None and step > 0:
            window["first"] = now
            window["cpu"] = time.process_time()
        total = panel.dashboard._total_steps
        if screenshots and not shots["live"] and step > 0.6 * total:
            shots["live"] = True
            panel.grab().save(str(screenshots / "training_live.png"))

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(probe_ms or 100)
    timer.timeout.connect(probe)
    loop = QEventLoop()
    panel.runFinished.connect(lambda _f: loop.quit())
    timer.start()
    clicked = time.perf_counter()
    panel.start()
    loop.exec()
    end = time.perf_counter()
    gui_cpu = time.process_time() - window.get("cpu", time.process_time())
    timer.stop()
    finished = panel.last_finished
    assert finished is not None and finished.status == "completed", finished
    if screenshots:
        panel.tabs.setCurrentWidget(panel.results)
        app.processEvents()
        panel.grab().save(str(screenshots / "training_results.png"))
    first = window["first"] or end
    ticks = [t for t in stamps if first <= t <= end]
    late = [max(0.0, (b - a) * 1000 - (probe_ms or 100)) for a, b in itertools.pairwise(ticks)]
    panel.close()
    panel.deleteLater()
    app.processEvents()
    return {
        "samples_per_second": finished.samples_per_second,
        "late_ms": late,
        # CPU the GUI process used while training (event loop, probe and relay thread), as a
        # share of one core; the training process is not in it
        "gui_cpu_share": gui_cpu / max(end - first, 1e-9),
        "start_seconds": window.get("shown", end) - clicked,
    }


def stop_seconds(app: QApplication, args: argparse.Namespace, repeats: int) -> list[float]:
    """Click Stop mid-run; seconds until the panel has the RunFinished."""
    from PySide6.QtCore import QEventLoop, QTimer

    from graph import load_project
    from gui.document import Document
    from gui.training.panel import TrainingPanel

    results = []
    for _ in range(repeats):
        project = load_project(args.example)
        document = Document(project)
        document.set_training({**_settings(project, args), "epochs": 1000})
        panel = TrainingPanel(document)
        panel.show()
        loop = QEventLoop()
        clicked = {}

        def click_when_running(panel=panel, clicked=clicked) -> None:
            if panel.dashboard._step > 50 and not clicked:
                clicked["at"] = time.perf_counter()
                panel.stop()

        poll = QTimer()
        poll.timeout.connect(click_when_running)
        poll.start(20)
        panel.runFinished.connect(lambda _f, loop=loop: loop.quit())
        panel.start()
        loop.exec()
        results.append(time.perf_counter() - clicked["at"])
        poll.stop()
        panel.close()
    return results


def tick_cost(app: QApplication, points: int, fast: bool, repeats: int = 15) -> float:
    """Median CPU ms for one tick (20 new batch points + repaint) on plots holding `points`."""
    from gui.training.dashboard import TrainingDashboard
    from runtime.events import BatchMetrics, BatchPoint, RunStarted

    dash = TrainingDashboard(refresh_interval=0)  # every tick redraws: the cost of one
    dash.resize(1000, 700)
    dash.show()
    per_epoch = 1000
    epochs = (points + 20 * repeats) // per_epoch + 1  # the x axis spans the run, as live
    dash.apply([RunStarted("cpu", "CPU", epochs, per_epoch, 1, 1, "classification")])
    if not fast:  # the anchor: the same plots drawing every point, everywhere
        for item in dash.plots.current.items.values():
            item.setDownsampling(auto=False)
            item.setClipToView(False)

    def batch(start: int, count: int) -> BatchMetrics:
        pts = tuple(
            BatchPoint(s // per_epoch + 1, s % per_epoch + 1, s + 1, 1 / (1 + s), 0.5, 1e-3)
            for s in range(start, start + count)
        )
        return BatchMetrics(pts, 1.0, 1.0, 1.0)

    for start in range(0, points, 5000):
        dash.apply([batch(start, min(5000, points - start))])
    step = points
    times = []
    for _ in range(repeats):
        # CPU time of this (the GUI) thread: on a shared machine, wall time mostly measures
        # the neighbours.
        t0 = time.thread_time()
        dash.apply([batch(step, 20)])
        app.processEvents()  # the paint the new data asks for (only what it made dirty)
        times.append((time.thread_time() - t0) * 1000)
        step += 20
    dash.close()
    return statistics.median(times)


def _wait(app: QApplication, done: Callable[[], bool], seconds: float = 300) -> None:
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def window_screenshots(app: QApplication, folder: Path, tmp: Path) -> None:
    """The README's pictures: the editor with a live run, and a regression run's results."""
    from gui.main_window import MainWindow
    from gui.settings import AppSettings

    window = MainWindow(settings=AppSettings(tmp / "settings.ini"), examples_dir=Path("examples"))
    window.files.open_example(Path("examples/digits_cnn.json"), ask=False)
    window.resize(1600, 1000)
    window.show()
    panel = window.show_training_panel()
    document = window.document
    document.set_training({**document.project.training, "device": "cpu", "epochs": 15})
    _wait(app, lambda: False, 1.0)  # let the preview load
    window.start_training()
    _wait(app, lambda: not panel.is_running() or panel.dashboard._step > 0.55 * 15 * 45)
    app.processEvents()
    window.grab().save(str(folder / "training_window.png"))
    panel.stop()
    _wait(app, lambda: not panel.is_running())

    document.undo_stack.setClean()  # no "save changes?" dialog: nothing here is the user's
    window.close()

    # sin -> cos, the seeds' RNN: predictions against the truth (a panel of its own, roomier)
    from graph import load_project
    from gui.document import Document
    from gui.training.panel import TrainingPanel

    project = load_project("examples/sincos_rnn.json")
    steps = project.validate().nodes["x"].outputs[0].shape[0]
    document = Document(project)
    document.set_training(
        {**project.training, "device": "cpu", "dataset_options": {"steps": steps}}
    )
    panel = TrainingPanel(document)
    panel.resize(1400, 640)
    panel.show()
    panel.start()
    _wait(app, lambda: not panel.is_running())
    panel.tabs.setCurrentWidget(panel.results)
    app.processEvents()
    panel.grab().save(str(folder / "training_regression.png"))
    panel.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="examples/digits_cnn.json")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3, help="headless/GUI run pairs")
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)

    import torch

    print(
        f"{platform.platform()}, python {platform.python_version()}, torch {torch.__version__}, "
        f"{os.cpu_count()} cpus, Qt platform {app.platformName()}, device {args.device}",
        flush=True,
    )
    from gui.training.worker import training_threads

    threads = training_threads()
    headless, windowed, late, gui_cpu, starts = [], [], [], [], []
    for i in range(args.repeats):  # alternate so that machine load hits both alike
        headless.append(headless_run(args, threads))
        run = gui_run(app, args, args.screenshots if i == args.repeats - 1 else None)
        windowed.append(run["samples_per_second"])
        late.append(run["late_ms"])
        gui_cpu.append(run["gui_cpu_share"])
        starts.append(run["start_seconds"])
        p99 = percentile(run["late_ms"], 99)
        print(
            f"pair {i + 1}: headless {headless[-1]:,.0f} samples/s, window {windowed[-1]:,.0f} "
            f"samples/s, probe p99 {p99:.1f} ms, max {max(run['late_ms'], default=0):.1f} ms, "
            f"{len(run['late_ms'])} ticks, GUI process CPU {run['gui_cpu_share']:.0%} of a core, "
            f"Start to first event {run['start_seconds'] * 1000:.0f} ms",
            flush=True,
        )
    ratio = statistics.median(w / h for w, h in zip(windowed, headless, strict=True))
    default_threads = torch.get_num_threads()
    headless_default = headless_run(args, None) if default_threads != threads else None
    p99s = [percentile(run, 99) for run in late]
    maxes = [max(run, default=0.0) for run in late]
    stops = stop_seconds(app, args, 3)
    ticks = {
        n: (tick_cost(app, n, fast=True), tick_cost(app, n, fast=False))
        for n in (1_000, 10_000, 100_000)
    }
    figures = {
        "headless_samples_per_second": statistics.median(headless),
        "window_samples_per_second": statistics.median(windowed),
        "throughput_ratio": ratio,
        "training_threads": threads,
        "headless_default_threads_samples_per_second": headless_default,
        "latency_p99_ms": statistics.median(p99s),
        "latency_max_ms": max(maxes),
        "gui_thread_cpu_share": statistics.median(gui_cpu),
        "stop_seconds_max": max(stops),
        "start_seconds_first": starts[0],
        "start_seconds_later": statistics.median(starts[1:]) if len(starts) > 1 else None,
        "tick_ms": {str(n): {"downsampled": f, "every_point": s} for n, (f, s) in ticks.items()},
    }
    ok = {
        "latency p99": figures["latency_p99_ms"] < LATENCY_P99_MS,
        "latency max": figures["latency_max_ms"] < LATENCY_MAX_MS,
        "throughput": ratio >= THROUGHPUT_RATIO,
        "stop": figures["stop_seconds_max"] < STOP_SECONDS,
    }
    print()
    print("| figure | value | target |")
    print("|---|---|---|")
    print(
        f"| throughput, window / headless (median of {args.repeats} pairs) | {ratio:.2f}× "
        f"({figures['window_samples_per_second']:,.0f} / "
        f"{figures['headless_samples_per_second']:,.0f} samples/s), {threads} torch thread(s) "
        f"each | ≥ {THROUGHPUT_RATIO}× |"
    )
    if headless_default is not None:
        print(
            f"| headless with torch's default {default_threads} threads (`main.py train`), once "
            f"| {headless_default:,.0f} samples/s (window/this: "
            f"{figures['window_samples_per_second'] / headless_default:.2f}×) | — |"
        )
    print(
        f"| event-loop lateness p99 (median over runs) | {figures['latency_p99_ms']:.1f} ms "
        f"| < {LATENCY_P99_MS:.0f} ms |"
    )
    print(
        f"| event-loop lateness max (all runs) | {figures['latency_max_ms']:.1f} ms "
        f"| < {LATENCY_MAX_MS:.0f} ms |"
    )
    print(
        f"| GUI process CPU while training (event loop, probe, relay), median | "
        f"{figures['gui_thread_cpu_share']:.0%} of one core | — |"
    )
    later = figures["start_seconds_later"]
    print(
        f"| Start to the first event shown: first run (starts the forkserver) / later runs "
        f"(median) | {starts[0] * 1000:.0f} ms / "
        f"{'—' if later is None else f'{later * 1000:.0f} ms'} | — |"
    )
    print(f"| Stop to RunFinished, worst of 3 | {max(stops) * 1000:.0f} ms | < 1 s |")
    for n, (fast, slow) in ticks.items():
        print(
            f"| dashboard tick with {n:,} points per curve | {fast:.1f} ms "
            f"(every point drawn: {slow:.1f} ms) | one 33 ms frame |"
        )
    print()
    print("targets:", ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in ok.items()))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if args.screenshots:
        with tempfile.TemporaryDirectory() as tmp:
            window_screenshots(app, args.screenshots, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
