"""How soon a Code node's shapes are known after an edit, with the worker process kept warm.

Target (issue 12): within 1 s of the edit. Each run changes the node's source (a new constant,
so nothing is remembered) and times until the project's report holds the new shapes: `sync` is
the command line's path (`CodeShapes`, waiting on the worker), `background` the editor's
(`BackgroundCodeShapes`: the edit returns at once, the answer arrives on a thread), `real batch`
a class that reads values, which meta tensors cannot run, so it falls back to a small real
batch. Also the cold start of the worker (importing torch), paid once per session.
Figures are medians of RUNS edits. Run with `python -m bench.bench_code_nodes`.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

from bench.bench_validate import machine
from graph import Edge, Node, Project
from runtime.code_runner import BackgroundCodeShapes, CodeShapes, CodeWorker

TARGET_S = 1.0
RUNS = 15

LAYER = """class Scaled(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, 2 * width)

    def forward(self, x):
        return F.relu(self.fc(x)) * {k}
"""
VALUES = """class Halving(nn.Module):
    def forward(self, x):
        while x.abs().sum() > {k}:
            x = x / 2
        return x
"""


def project(source: str, args: dict) -> Project:
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [256]}),
            Node("mine", "Code", {"source": source, "args": args}),
            Node("out", "Output"),
        ],
        edges=[Edge("x", "mine"), Edge("mine", "out")],
    )


def sync_edits(worker: CodeWorker, template: str, args: dict) -> list[float]:
    net = project(template.format(k=0), args)
    net.set_code_runner(CodeShapes(worker))
    assert net.validate().valid
    times = []
    for k in range(1, RUNS + 1):
        started = time.perf_counter()
        net.set_param("mine", "source", template.format(k=k))
        report = net.validate()
        times.append(time.perf_counter() - started)
        assert report.valid, report.problems
    return times


def background_edits(worker: CodeWorker) -> list[float]:
    arrived = threading.Event()
    runner = BackgroundCodeShapes(arrived.set, worker)
    net = project(LAYER.format(k=0), {"width": 256})
    net.set_code_runner(runner)
    times = []
    for k in range(1, RUNS + 1):
        arrived.clear()
        started = time.perf_counter()
        net.set_param("mine", "source", LAYER.format(k=k))
        net.validate()  # pending: returns at once
        assert arrived.wait(30)
        net.code_runs_changed()
        report = net.validate()
        times.append(time.perf_counter() - started)
        assert report.valid and report.nodes["mine"].output_shapes == [(512,)]
    return times


def main() -> int:
    print(machine())
    worker = CodeWorker()
    started = time.perf_counter()
    worker.start()
    cold = time.perf_counter() - started
    print(f"worker cold start (torch import and a warm-up run): {cold:.2f} s, once per session")
    rows = [
        ("sync (check, export, train)", sync_edits(worker, LAYER, {"width": 256})),
        ("background (the editor)", background_edits(worker)),
        ("real batch (values read)", sync_edits(worker, VALUES, {})),
    ]
    worker.stop()
    print(f"| path | median ms | max ms | target {TARGET_S:g} s |")
    print("|---|---:|---:|---|")
    worst = 0.0
    for name, times in rows:
        median = statistics.median(times)
        worst = max(worst, median)
        verdict = "met" if median <= TARGET_S else "MISSED"
        print(f"| {name} | {median * 1000:.1f} | {max(times) * 1000:.1f} | {verdict} |")
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
