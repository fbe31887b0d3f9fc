"""Renders the screenshots of "one sample through the network" (light theme):
the Sample dock with a conv node's feature maps before training, the same during a run, and the
output's class probabilities after it; the thumbnails sit under the canvas's nodes. Last, the
same after the run in the dark theme (View › Theme › Dark): thumbnails and plot follow it.

    python docs/screenshots/make_sample_screenshots.py   # writes docs/screenshots/sample_*.png

A small digits CNN is trained in a temporary folder; nothing outside it is written. Runs offscreen
unless DISPLAY is set and NETWRIGHT_SHOTS_ON_SCREEN=1 (then the window shows on that display).
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
SIZE = (1440, 900)


def project():
    from graph import Edge, Node, Project

    layers = [
        ("conv1", "Conv2d", {"out_channels": 12, "kernel_size": 3, "padding": 1}),
        ("relu1", "ReLU", {}),
        ("pool", "MaxPool2d", {"kernel_size": 2}),
        ("flat", "Flatten", {}),
        ("fc1", "Linear", {"out_features": 32}),
        ("relu2", "ReLU", {}),
        ("fc2", "Linear", {"out_features": 10}),
    ]
    nodes = [Node("x", "Input", {"shape": [1, 8, 8]}, (0.0, 0.0))]
    for i, (node_id, kind, params) in enumerate(layers, start=1):
        nodes.append(Node(node_id, kind, params, (0.0, 130.0 * i)))
    nodes.append(Node("out", "Output", {}, (0.0, 130.0 * (len(layers) + 1))))
    edges = [Edge(a.id, b.id) for a, b in itertools.pairwise(nodes)]
    training = {"dataset": "digits", "epochs": 12, "lr": 0.003, "device": "cpu", "batch_size": 32}
    return Project("Digits CNN", nodes, edges, training)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="netwright-shots-"))
    if not os.environ.get("NETWRIGHT_SHOTS_ON_SCREEN"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["NETWRIGHT_SETTINGS"] = str(tmp / "settings.ini")
    os.environ["NETWRIGHT_RECOVERY_DIR"] = str(tmp / "recovery")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from graph import save_project
    from gui.main_window import MainWindow
    from gui.settings import AppSettings
    from gui.theme import apply_theme

    app = QApplication([])
    apply_theme(app, "light")
    path = tmp / "digits_cnn.json"
    save_project(project(), path)
    window = MainWindow(AppSettings(), examples_dir=ROOT / "examples")
    window.resize(*SIZE)
    window.show()
    window.files.open_path(path, ask=False)

    def wait(condition, seconds: float = 300.0) -> None:
        loop, waited = QEventLoop(), [0.0]

        def check() -> None:
            waited[0] += 0.1
            if condition() or waited[0] > seconds:
                loop.quit()
            else:
                QTimer.singleShot(100, check)

        QTimer.singleShot(100, check)
        loop.exec()

    def shot(name: str) -> None:
        wait(lambda: False, 0.5)  # the thumbnails' next repaint
        window.grab().save(str(OUT / name))
        print(f"wrote {OUT / name}")

    window.show_sample_view()
    panel = window.training.panel
    samples = panel.samples
    wait(lambda: samples.latest is not None)
    samples.choose(3)
    wait(lambda: samples.latest.index == 3)
    window.canvas.fit_to_view()
    window.select_nodes(["conv1"])
    shot("sample_before_training.png")
    panel.start()
    wait(lambda: samples.latest.weights == "live" and samples.latest.step > 150)
    shot("sample_during_training.png")
    wait(lambda: not panel.is_running())
    wait(lambda: samples.latest.weights == "final")
    window.select_nodes([])
    shot("sample_after_training.png")
    window.act.theme_dark.trigger()
    window.select_nodes(["conv1"])
    shot("sample_dark_theme.png")
    window.document.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
