"""A module the imported model owns but never calls (googlenet's auxiliary heads) is kept as a
Code node marked not called: greyed on the canvas, explained in the inspector, no wire asked for,
its parameters counted by the code worker building it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from graph import Edge, Node, Project, save_project
from graph.model_types import NOT_CALLED_KEY
from tests.gui.window_helpers import isolate, make_window

KEPT_LINEAR = """class Linear(nn.Linear):
    def forward(self, x):
        return super().forward(x)
"""


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    return make_window(qtbot)


def test_a_kept_node_is_greyed_explained_and_counted_without_wires(window, qtbot, tmp_path):
    spare = Node(
        "spare",
        "Code",
        {"source": KEPT_LINEAR, "args": {"in_features": 4, "out_features": 3}},
        extra={NOT_CALLED_KEY: True},
    )
    project = Project(
        "Kept",
        nodes=[
            Node("x", "Input", {"shape": [4]}),
            Node("fc", "Linear", {"out_features": 2}),
            spare,
            Node("out", "Output"),
        ],
        edges=[Edge("x", "fc"), Edge("fc", "out")],
    )
    path = tmp_path / "kept.json"
    save_project(project, path)
    assert '"not_called": true' in path.read_text(encoding="utf-8")
    window.files.open_example(path, ask=False)  # opened as an import is: its code trusted

    item = window.canvas.canvas_scene.nodes["spare"]
    assert item.opacity() < 1.0  # greyed
    # the worker builds it (never calls it) and counts 4 * 3 + 3 parameters
    qtbot.waitUntil(lambda: item.params_text == "15 params", timeout=60000)
    report = window.document.project.validate()
    assert report.valid and report.total_params == 4 * 2 + 2 + 15
    assert not [p for p in report.problems if p.node == "spare"]  # no wire asked for
    assert "Kept, not called" in item.toolTip()

    window.canvas.fit_to_view()
    where = window.canvas.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, pos=where)
    note = window.inspector.not_called
    assert note.isVisible() and note.text().startswith("Kept, not called")
