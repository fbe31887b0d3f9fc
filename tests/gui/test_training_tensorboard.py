"""Training › Log to TensorBoard: a run started from the panel with the box ticked leaves event
files that TensorBoard's reader finds the epoch scalars in, in a folder of its own."""

import pytest
from PySide6.QtCore import QPoint, Qt
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from graph import load_project
from gui.document import Document
from gui.training.panel import TrainingPanel

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def test_a_ticked_box_makes_the_run_write_tensorboard_logs(qtbot, tmp_path):
    project = load_project("examples/blobs.json")
    document = Document(project)
    document.set_training({**project.training, "device": "cpu", "epochs": 2})
    panel = TrainingPanel(document)
    panel.resize(1200, 700)
    panel.show()
    qtbot.addWidget(panel)
    qtbot.waitExposed(panel)
    panel.tensorboard.root = tmp_path / "tb"
    box = panel.tensorboard
    point = QPoint(6, box.height() // 2)  # on the box itself
    panel.settings_scroll.ensureWidgetVisible(box)
    qtbot.waitUntil(lambda: box.visibleRegion().contains(point))
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=point)
    assert box.isChecked()
    with qtbot.waitSignal(panel.runFinished, timeout=120_000) as done:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert done.args[0].status == "completed", done.args[0].message
    (run,) = (tmp_path / "tb").iterdir()
    assert run.name.startswith("TwoBlobClassifier-")  # the project, then when
    board = EventAccumulator(str(run))
    board.Reload()
    assert {"loss/train", "loss/validation", "lr"} <= set(board.Tags()["scalars"])
    assert [e.step for e in board.Scalars("loss/train")] == [1, 2]
    panel.shutdown()
