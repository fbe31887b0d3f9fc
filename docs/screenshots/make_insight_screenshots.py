"""Renders the screenshots of the views that look inside a run (offscreen, light theme):
the evaluation in the Results tab, the run history with two runs overlaid, the gradient-flow
tint with the layer statistics at the foot of the inspector, and the learning-rate finder.

    python docs/screenshots/make_insight_screenshots.py   # writes docs/screenshots/insight_*.png

Two short runs of a small digits network (one ReLU held dead by a -100 bias, so the tint has a
warning to show) are trained in a temporary folder; nothing outside it is written.
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
        ("fc1", "Linear", {"out_features": 32}),
        ("relu1", "ReLU", {}),
        ("fc2", "Linear", {"out_features": 32}),
        ("relu2", "ReLU", {}),
        ("fc3", "Linear", {"out_features": 10}),
    ]
    nodes = [Node("x", "Input", {"shape": [64]}, (0.0, 0.0))]
    for i, (node_id, kind, params) in enumerate(layers, start=1):
        nodes.append(Node(node_id, kind, params, (0.0, 140.0 * i)))
    nodes.append(Node("out", "Output", {}, (0.0, 140.0 * (len(layers) + 1))))
    nodes[3].init = {"bias": {"kind": "constant", "val": -100.0}}  # fc2: relu2 stays dead
    edges = [Edge(a.id, b.id) for a, b in itertools.pairwise(nodes)]
    training = {"dataset": "digits", "epochs": 4, "lr": 0.01, "device": "cpu", "batch_size": 32}
    return Project("Digits MLP", nodes, edges, training)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="netwright-shots-"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    path = tmp / "digits_mlp.json"
    save_project(project(), path)
    window = MainWindow(AppSettings(), examples_dir=ROOT / "examples")
    window.resize(*SIZE)
    window.show()
    window.files.open_path(path, ask=False)
    panel = window.show_training_panel()

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

    def run(lr: float) -> None:
        window.document.set_training({**window.document.project.training, "lr": lr})
        panel.start()
        wait(lambda: not panel.is_running())

    def shot(name: str, widget=None) -> None:
        app.processEvents()
        (widget or window).grab().save(str(OUT / name))
        print(f"wrote {OUT / name}")

    # the tint, while the second run goes
    run(0.01)
    window.document.set_training({**window.document.project.training, "lr": 0.003})
    panel.start()
    wait(lambda: panel.layer_stats.history.latest.get("fc3") is not None)
    window.canvas.fit_to_view()
    window.select_nodes(["fc3"])
    wait(lambda: len(panel.layer_stats.curve_data[0]) >= 3, 60)
    shot("insight_gradient_flow.png")
    wait(lambda: not panel.is_running())
    panel.tabs.setCurrentWidget(panel.results_page)
    shot("insight_evaluation.png")
    panel.tabs.setCurrentWidget(panel.history_page)
    panel.history.table.selectAll()
    shot("insight_history.png")
    dialog = panel.find_learning_rate()
    dialog.resize(760, 560)
    wait(lambda: not dialog.is_running())
    shot("insight_lr_finder.png", dialog)
    dialog.close()
    window.document.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
