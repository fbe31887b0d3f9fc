"""Canvas speed with 1,000 nodes and 1,000 wires: full repaints, a node move, a parameter edit.

Run: `QT_QPA_PLATFORM=offscreen python bench/bench_canvas.py` (from the repository root).
Each figure is the median of many runs, in milliseconds, and as a ratio to the anchor measured in
the same run: a full repaint of the same-sized view with an empty scene (background only).
The budget is one frame, 16 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from graph import Edge, Node, Project, load_project
from gui.canvas import CanvasView
from gui.canvas.layout import layered_positions
from gui.document import Document

ROOT = Path(__file__).resolve().parents[1]
CHAINS, PER_CHAIN = 25, 40  # 1,000 nodes and 1,000 wires
VIEW_SIZE = (1280, 800)
FRAME_MS = 16.0


def big_project(chains: int = CHAINS, per_chain: int = PER_CHAIN) -> Project:
    """Columns of layers: an Input, a residual Add, Linear/ReLU pairs, an Output."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for c in range(chains):
        x, fc, act, add = f"x{c}", f"fc{c}_0", f"relu{c}_0", f"add{c}"
        nodes += [
            Node(x, "Input", {"shape": [64]}),
            Node(fc, "Linear", {"out_features": 64}),
            Node(act, "ReLU"),
            Node(add, "Add"),
        ]
        edges += [Edge(x, fc), Edge(fc, act), Edge(act, add, 0, 0), Edge(x, add, 0, 1)]
        prev = add
        for i in range(1, per_chain - 4):
            node_id = f"n{c}_{i}"
            if i % 2:
                nodes.append(Node(node_id, "Linear", {"out_features": 64}))
            else:
                nodes.append(Node(node_id, "ReLU"))
            edges.append(Edge(prev, node_id))
            prev = node_id
        nodes.append(Node(f"out{c}", "Output"))
        edges.append(Edge(prev, f"out{c}"))
    project = Project("bench", nodes, edges)
    for node_id, pos in layered_positions(project).items():
        project.node(node_id).pos = pos  # set before any view listens: no events needed
    return project


def median_ms(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median CPU time and median wall time of `action`, in ms.

    CPU time (this thread's) is the figure to read on a shared machine: wall time also counts
    the time other processes held the cores.
    """
    action()  # warm caches (item pixmaps, glyphs, the report)
    cpu, wall = [], []
    for _ in range(repeats):
        c, w = time.thread_time(), time.perf_counter()
        action()
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def make_view(document: Document) -> CanvasView:
    view = CanvasView(document)
    view.resize(*VIEW_SIZE)
    view.show()
    QApplication.processEvents()
    return view


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    repeats = 40

    # Anchor: the LeNet example (10 nodes) at 100%, the drawing a learner starts with.
    lenet = make_view(Document(load_project(ROOT / "examples" / "lenet5.json")))
    lenet.set_zoom(100)
    anchor = median_ms(lambda: lenet.viewport().grab(), repeats)
    anchor_name = f"anchor: LeNet ({len(lenet.canvas_scene.nodes)} nodes), full repaint at 100%"
    lenet.close()

    # Just under the overview's size: every item paints itself even when zoomed far out.
    medium = make_view(Document(big_project(6, 19)))
    medium.fit_to_view()
    medium_zooms = [medium.zoom_percent(), medium.zoom_percent() + 3]

    def medium_zoom_step() -> None:
        medium_zooms.reverse()
        medium.set_zoom(medium_zooms[0])
        medium.viewport().grab()

    medium_zoom = median_ms(medium_zoom_step, repeats)
    medium_full = median_ms(lambda: medium.viewport().grab(), repeats)
    medium_name = (
        f"{len(medium.canvas_scene.nodes)} nodes, fitted ({medium_zooms[1]}%): zoom step + repaint"
    )

    project = big_project()
    assert len(project.nodes) == 1000 and len(project.edges) == 1000
    start, start_cpu = time.perf_counter(), time.thread_time()
    document = Document(project)
    view = make_view(document)
    open_ms = (time.perf_counter() - start) * 1000
    open_cpu = (time.thread_time() - start_cpu) * 1000
    scene = view.canvas_scene

    view.fit_to_view()
    fit_zoom = view.zoom_percent()
    full_fit = median_ms(lambda: view.viewport().grab(), repeats)
    zooms = [fit_zoom, fit_zoom + 3]

    def zoom_step() -> None:  # the overview is redrawn at the new scale
        zooms.reverse()
        view.set_zoom(zooms[0])
        view.viewport().grab()

    zoom_fit = median_ms(zoom_step, repeats)

    view.set_zoom(100)
    target = "n12_20"
    view.center_on_node(target)
    full_100 = median_ms(lambda: view.viewport().grab(), repeats)

    view.set_zoom(50)
    view.center_on_node(target)
    full_50 = median_ms(lambda: view.viewport().grab(), repeats)

    view.set_zoom(100)
    view.center_on_node(target)
    x0, y0 = project.node(target).pos
    step = [0]

    def move_node() -> None:
        step[0] += 1
        document.move_nodes({target: (x0 + step[0] % 7 * 3, y0)}, merge_key="bench")
        scene.flush()
        view.viewport().grab()

    move = median_ms(move_node, repeats)

    widths = [32, 64]

    def change_param() -> None:
        widths.reverse()
        document.set_param("n12_19", "out_features", widths[0])
        scene.flush()
        view.viewport().grab()

    param = median_ms(change_param, repeats)

    rows = [
        (anchor_name, anchor),
        (f"full repaint, fit to view ({fit_zoom}%, overview)", full_fit),
        ("wheel-zoom step when fitted: rescale + repaint", zoom_fit),
        ("full repaint at 50%", full_50),
        ("full repaint at 100%", full_100),
        ("move a node: command + repaint", move),
        ("change a param: command + re-validate + refresh + repaint", param),
        (medium_name, medium_zoom),
        (f"{len(medium.canvas_scene.nodes)} nodes, fitted: full repaint", medium_full),
    ]
    print(f"Canvas, {len(project.nodes)} nodes, {len(project.edges)} wires, view {VIEW_SIZE}")
    print(f"open (build the scene, validate, show): {open_cpu:.0f} ms cpu, {open_ms:.0f} ms wall")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'case':58} {'cpu ms':>7} {'wall ms':>8} {'x anchor':>9} {'16 ms':>6}")
    for name, (cpu, wall) in rows:
        verdict = "ok" if cpu < FRAME_MS else "OVER"
        print(f"{name:58} {cpu:7.2f} {wall:8.2f} {cpu / anchor[0]:9.1f} {verdict:>6}")
    app.processEvents()


if __name__ == "__main__":
    main()
