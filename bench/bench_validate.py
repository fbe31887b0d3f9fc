"""How fast the checker is on 2,000-node drawings: a full validation, and one after a single edit.

Targets (issue 2): full validation under 50 ms, re-validation after one parameter edit under 2 ms.
Each figure is a median over repeated runs; next to it is the ratio to an anchor measured in the
same run (`json.loads` of the same graph's project file), so figures from different machines can
be compared. Run with `python -m bench.bench_validate` (or `make bench` for every benchmark).
"""

from __future__ import annotations

import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from graph import Edge, Node, Project, project_to_json

NODES = 2000
FULL_TARGET_MS = 50.0
EDIT_TARGET_MS = 2.0


@dataclass
class Drawing:
    """A benchmark graph: its nodes and wires, and the node whose parameter the edit changes."""

    name: str
    nodes: list[Node]
    edges: list[Edge]
    edit_node: str
    edit_param: str
    edit_values: tuple[int, int]


def conv_chain(n: int = NODES) -> Drawing:
    """Input → (Conv2d 3×3 pad 1 → ReLU) × … → Output: one long line of the costliest rule."""
    nodes = [Node("x", "Input", {"shape": [8, 16, 16]})]
    edges: list[Edge] = []
    prev = "x"
    for i in range(n - 2):
        nid = f"n{i}"
        if i % 2 == 0:
            nodes.append(Node(nid, "Conv2d", {"out_channels": 8, "kernel_size": 3, "padding": 1}))
        else:
            nodes.append(Node(nid, "ReLU"))
        edges.append(Edge(prev, nid))
        prev = nid
    nodes.append(Node("out", "Output"))
    edges.append(Edge(prev, "out"))
    return Drawing("chain", nodes, edges, f"n{(n // 2) & ~1}", "out_channels", (8, 12))


def residual(n: int = NODES) -> Drawing:
    """Input → blocks of (Linear → ReLU → Linear → Add with the block's input) → Output."""
    nodes = [Node("x", "Input", {"shape": [64]})]
    edges: list[Edge] = []
    prev = "x"
    block = 0
    while len(nodes) + 4 <= n - 1:
        a, r, b, s = (f"b{block}_{k}" for k in ("fc1", "relu", "fc2", "add"))
        nodes += [
            Node(a, "Linear", {"out_features": 64}),
            Node(r, "ReLU"),
            Node(b, "Linear", {"out_features": 64}),
            Node(s, "Add"),
        ]
        edges += [Edge(prev, a), Edge(a, r), Edge(r, b), Edge(prev, s), Edge(b, s, 0, 1)]
        prev = s
        block += 1
    while len(nodes) < n - 1:
        nid = f"pad{len(nodes)}"
        nodes.append(Node(nid, "ReLU"))
        edges.append(Edge(prev, nid))
        prev = nid
    nodes.append(Node("out", "Output"))
    edges.append(Edge(prev, "out"))
    return Drawing("residual", nodes, edges, f"b{block // 2}_fc1", "out_features", (64, 96))


def wide(n: int = NODES, branches: int = 100) -> Drawing:
    """Input fanned out to `branches` parallel Linear/ReLU lines, joined by one Concat."""
    depth = (n - 4) // branches
    nodes = [Node("x", "Input", {"shape": [32]})]
    edges: list[Edge] = []
    for b in range(branches):
        prev = "x"
        for d in range(depth):
            nid = f"br{b}_{d}"
            if d % 2 == 0:
                nodes.append(Node(nid, "Linear", {"out_features": 16}))
            else:
                nodes.append(Node(nid, "ReLU"))
            edges.append(Edge(prev, nid))
            prev = nid
        edges.append(Edge(prev, "cat", 0, b))
    nodes.append(Node("cat", "Concat", {"dim": 1}))
    nodes.append(Node("head", "Linear", {"out_features": 10}))
    edges.append(Edge("cat", "head"))
    prev = "head"
    while len(nodes) < n - 1:
        nid = f"pad{len(nodes)}"
        nodes.append(Node(nid, "ReLU"))
        edges.append(Edge(prev, nid))
        prev = nid
    nodes.append(Node("out", "Output"))
    edges.append(Edge(prev, "out"))
    edit = f"br{branches // 2}_{(depth // 2) & ~1}"
    return Drawing("wide", nodes, edges, edit, "out_features", (16, 24))


def fresh_project(d: Drawing) -> Project:
    return Project(d.name, [n.copy() for n in d.nodes], list(d.edges))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


class Clock:
    """Wall time and this process's CPU time together: on a shared machine the wall clock also
    counts time spent waiting for a core, the CPU clock does not."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu.append(time.process_time() - self._cpu)
        self.wall.append(time.perf_counter() - self._wall)

    def medians(self) -> tuple[float, float]:
        return median_ms(self.wall), median_ms(self.cpu)


def time_calls(
    setup: Callable[[], object], call: Callable[[object], object], runs: int
) -> tuple[float, float]:
    """Median wall and CPU ms of `call(setup())`, setup outside the clock, GC kept out of it."""
    clock = Clock()
    for _ in range(runs):
        state = setup()
        gc.collect()
        gc.disable()
        try:
            with clock:
                call(state)
        finally:
            gc.enable()
    return clock.medians()


def measure(d: Drawing, full_runs: int = 21, edits: int = 201) -> dict[str, float]:
    project = fresh_project(d)
    assert len(project.nodes) == NODES, len(project.nodes)
    report = project.validate()
    if not report.valid:  # a broken benchmark graph would measure the wrong path
        raise SystemExit(f"{d.name}: benchmark graph is invalid: {report.errors[0].message}")
    text = project_to_json(project)

    anchor = time_calls(lambda: text, json.loads, full_runs)
    full = time_calls(lambda: fresh_project(d), lambda p: p.validate(), full_runs)

    # One edit, then validate: flip the chosen parameter between two values each time.
    clock = Clock()
    gc.collect()
    before = project.shape_rule_runs
    for i in range(edits):
        value = d.edit_values[i % 2 == 0]
        with clock:
            project.set_param(d.edit_node, d.edit_param, value)
            project.validate()
    per_edit = (project.shape_rule_runs - before) / edits
    edit, edit_cpu = clock.medians()
    assert project.validate().valid
    return {
        "anchor": anchor[0],
        "full": full[0],
        "full_cpu": full[1],
        "edit": edit,
        "edit_cpu": edit_cpu,
        "rules_per_edit": per_edit,
    }


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}; Python {platform.python_version()} on {platform.system()}"


def main() -> int:
    print(f"machine: {machine()}")
    print(f"{NODES:,}-node graphs; medians; anchor = json.loads of the same project file")
    print(
        f"{'graph':<10}{'anchor ms':>10}{'full ms':>9}{'(cpu)':>7}{'×anchor':>9}"
        f"{'edit ms':>9}{'(cpu)':>7}{'rules/edit':>11}"
    )
    missed = []
    for build in (conv_chain, residual, wide):
        d = build()
        r = measure(d)
        print(
            f"{d.name:<10}{r['anchor']:>10.2f}{r['full']:>9.1f}{r['full_cpu']:>7.1f}"
            f"{r['full'] / r['anchor']:>9.1f}{r['edit']:>9.3f}{r['edit_cpu']:>7.3f}"
            f"{r['rules_per_edit']:>11.1f}"
        )
        if r["full"] > FULL_TARGET_MS:
            missed.append(f"{d.name}: full {r['full']:.1f} ms > {FULL_TARGET_MS} ms")
        if r["edit"] > EDIT_TARGET_MS:
            missed.append(f"{d.name}: edit {r['edit']:.2f} ms > {EDIT_TARGET_MS} ms")
    print(f"targets: full < {FULL_TARGET_MS:g} ms, edit < {EDIT_TARGET_MS:g} ms")
    for line in missed:
        print(f"MISSED {line}")
    if not missed:
        print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
