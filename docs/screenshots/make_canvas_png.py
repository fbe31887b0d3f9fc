"""Draws docs/screenshots/canvas.png: the canvas on a small residual CNN with one mistake.

Run from the repository root under a display (or `xvfb-run`):
`python docs/screenshots/make_canvas_png.py [out.png] [--dark]`.
"""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from graph import Edge, Node, Project
from gui.canvas import CanvasView
from gui.canvas.layout import layered_positions
from gui.document import Document
from gui.theme import apply_theme


def demo_project() -> Project:
    nodes = [
        Node("x", "Input", {"shape": [1, 8, 8]}),
        Node("conv1", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
        Node("relu1", "ReLU"),
        Node("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 3, "padding": 1}),
        Node("bn2", "BatchNorm2d"),
        Node("relu2", "ReLU"),
        Node("skip", "Add"),
        Node("pool", "MaxPool2d", {"kernel_size": 2}),
        Node("flat", "Flatten"),
        Node("fc1", "Linear", {"in_features": 576, "out_features": 64}, label="hidden"),
        Node("fc2", "Linear", {"out_features": 10}),
        Node("out", "Output"),
    ]
    chain = ["x", "conv1", "relu1", "conv2", "bn2", "relu2"]
    edges = [Edge(a, b) for a, b in pairwise(chain)]
    edges += [Edge("relu2", "skip", 0, 0), Edge("relu1", "skip", 0, 1)]
    tail = ["skip", "pool", "flat", "fc1", "fc2", "out"]
    edges += [Edge(a, b) for a, b in pairwise(tail)]
    project = Project("Residual digits CNN", nodes, edges)
    for node_id, pos in layered_positions(project).items():
        project.node(node_id).pos = pos
    return project


def main() -> None:
    app = QApplication(sys.argv)
    apply_theme(app, "dark" if "--dark" in sys.argv else "light")
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0] if args else str(Path(__file__).with_name("canvas.png"))
    window = QMainWindow()
    view = CanvasView(Document(demo_project()))
    window.setCentralWidget(view)
    window.resize(760, 1400)
    window.show()
    QTest.qWaitForWindowExposed(window)
    view.fit_to_view()
    view.select_nodes(["conv2"])
    QTest.qWait(200)
    window.grab().save(out)


if __name__ == "__main__":
    main()
