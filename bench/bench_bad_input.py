"""Bad input that used to cost quadratic time or memory: a long loop, and a merge of many inputs.

- **cycle**: an `Add` and 7,999 `ReLU` nodes wired into one loop (plus an Input and an Output):
  every node used to carry the whole loop in its error message, so time and memory grew as N².
- **add**: one `Add` fed by 10,000 `Identity` nodes from one Input: the check used to cost k².

Each figure is the median of a few runs of a fresh `Project(...).validate()`, with the peak memory
tracemalloc saw during one extra run. Run with `python -m bench.bench_bad_input`.
"""

from __future__ import annotations

import gc
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

from graph import Edge, Node, Project

CYCLE_NODES = 8000
ADD_INPUTS = 10000


def cycle(n: int = CYCLE_NODES) -> Project:
    nodes = [Node("x", "Input", {"shape": [4]})]
    nodes += [Node("loop", "Add")] + [Node(f"r{i}", "ReLU") for i in range(n - 1)]
    nodes.append(Node("out", "Output"))
    edges = [Edge("x", "loop"), Edge("loop", "r0")]
    edges += [Edge(f"r{i}", f"r{i + 1}") for i in range(n - 2)]
    edges += [Edge(f"r{n - 2}", "loop", 0, 1), Edge(f"r{n - 2}", "out")]
    return Project("cycle", nodes, edges)


def wide_add(k: int = ADD_INPUTS) -> Project:
    nodes = [Node("x", "Input", {"shape": [4]})]
    nodes += [Node(f"i{j}", "Identity") for j in range(k)]
    nodes += [Node("sum", "Add"), Node("out", "Output")]
    edges = [Edge("x", f"i{j}") for j in range(k)]
    edges += [Edge(f"i{j}", "sum", 0, j) for j in range(k)]
    edges.append(Edge("sum", "out"))
    return Project("add", nodes, edges)


def measure(build: Callable[[], Project], runs: int) -> tuple[float, float, int]:
    """(median seconds, max seconds, peak MiB) of building and validating the drawing."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        build().validate()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    build().validate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), max(times), peak // 2**20


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"python {platform.python_version()}, {runs} runs each")
    for name, build in (
        (f"cycle of {CYCLE_NODES:,} nodes", cycle),
        (f"Add with {ADD_INPUTS:,} inputs", wide_add),
    ):
        median, worst, peak = measure(build, runs)
        print(f"{name}: median {median * 1000:.0f} ms (max {worst * 1000:.0f} ms), peak {peak} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
