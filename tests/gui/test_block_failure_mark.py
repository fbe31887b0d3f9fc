"""A run that failed inside a block is marked on the canvas: on the instance in the project,
and on the inner node once the block is opened from that instance."""

from __future__ import annotations

from runtime.events import RunFinished
from tests.gui.test_block_navigation import click_crumb, double_click, two_instances, window_with

MESSAGE = (
    "the loss became nan at epoch 1, batch 2; the first values that are not finite come from "
    "Linear 'fc2' at b1.fc2"
)


def marks(view) -> dict[str, str]:
    return {
        nid: item.run_failure for nid, item in view.canvas_scene.nodes.items() if item.run_failure
    }


def test_a_failure_inside_a_block_marks_the_instance_and_then_the_inner_node(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    panel = window.show_training_panel()
    panel.runFinished.emit(RunFinished("failed", MESSAGE, node_id="b1", path=("b1", "fc2")))
    view.canvas_scene.flush()
    assert marks(view) == {"b1": MESSAGE}
    assert "The last run failed here" in view.canvas_scene.nodes["b1"].toolTip()
    failures = [
        window.problems.topLevelItem(i).text(1) for i in range(window.problems.topLevelItemCount())
    ]
    assert any("b1.fc2" in text for text in failures)

    double_click(view, "b1")
    assert marks(view) == {"fc2": MESSAGE}
    click_crumb(view, 0)
    double_click(view, "b2")  # the other instance did not fail
    assert marks(view) == {}
    click_crumb(view, 0)
    assert marks(view) == {"b1": MESSAGE}

    panel.runStarted.emit()  # the next run clears the mark
    assert marks(view) == {}


def test_a_failure_outside_blocks_marks_its_node(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    panel = window.show_training_panel()
    panel.runFinished.emit(RunFinished("failed", "boom", node_id="x"))
    view.canvas_scene.flush()
    assert marks(view) == {"x": "boom"}
