"""The settings side of the training panel: the form edits project.training as undoable steps."""

import os
import subprocess
import sys

import pytest

from graph import Project, load_project
from gui.document import Document
from gui.training.devices import DeviceSelector
from gui.training.panel import TrainingPanel


@pytest.fixture
def panel(qtbot):
    document = Document(load_project("examples/digits_cnn.json"))
    widget = TrainingPanel(document)
    qtbot.addWidget(widget)
    return widget


def commit(spin, value):
    spin.setValue(value)
    spin.editingFinished.emit()


def choose(combo, data):
    combo.setCurrentIndex(combo.findData(data))
    combo.activated.emit(combo.currentIndex())


def test_changing_epochs_is_one_undoable_step_saved_in_training(panel):
    document = panel.document
    saved = document.project.training["epochs"]
    commit(panel.form.epochs, saved + 1)
    assert document.project.training["epochs"] == saved + 1
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.project.training["epochs"] == saved
    assert panel.form.epochs.value() == saved  # the form follows the model on undo


def test_an_unchanged_value_makes_no_undo_step(panel):
    commit(panel.form.batch_size, panel.form.batch_size.value())
    assert panel.document.undo_stack.count() == 0


def test_choices_are_stored_by_their_runtime_names(panel):
    choose(panel.form.optimizer, "sgd")
    choose(panel.form.schedule, "cosine")
    choose(panel.form.loss, "smooth_l1")
    training = panel.document.project.training
    assert (training["optimizer"], training["schedule"], training["loss"]) == (
        "sgd",
        "cosine",
        "smooth_l1",
    )
    assert panel.form.momentum.isEnabled()  # SGD uses momentum


def test_the_task_default_loss_removes_the_key(panel):
    choose(panel.form.loss, "mse")
    choose(panel.form.loss, None)
    assert "loss" not in panel.document.project.training


def test_the_form_shows_the_settings_of_a_replaced_project(panel):
    project = Project(training={"epochs": 7, "lr": 0.05, "optimizer": "RMSprop", "seed": 42})
    panel.document.replace_project(project)
    form = panel.form
    assert (form.epochs.value(), form.lr.value(), form.seed.value()) == (7, 0.05, 42)
    assert form.optimizer.currentData() == "rmsprop"
    commit(form.epochs, 8)
    assert project.training["epochs"] == 8  # edits go to the new project


def test_an_unknown_value_in_the_file_is_shown_not_lost(panel):
    panel.document.replace_project(Project(training={"dataset": "my_data.csv", "device": "cuda:3"}))
    assert panel.form.dataset.currentText() == "my_data.csv"
    assert panel.form.device.current_device() == "cuda:3"


def test_the_device_list_comes_from_this_machine_cpu_first(qtbot):
    from runtime.devices import available_devices

    selector = DeviceSelector()
    qtbot.addWidget(selector)
    with qtbot.waitSignal(selector.devicesLoaded, timeout=60_000):
        selector.load()
    ids = [selector.itemData(i) for i in range(selector.count())]
    assert ids == ["auto"] + [d.id for d in available_devices()]
    assert ids[1] == "cpu"
    selector.set_device("cuda:99")
    assert selector.currentText() == "cuda:99 (not on this machine)"


def test_a_drawing_with_errors_does_not_start_and_names_the_node(panel, qtbot):
    panel.document.replace_project(load_project("examples/broken/lenet_mismatch.json"))
    with qtbot.waitSignal(panel.runFailedAtNode) as blocker:
        assert panel.start() is False
    assert blocker.args == ["fc1"]
    assert "expects 576 input features" in panel.error_label.text()
    assert not panel.is_running()
    assert not panel.document.read_only


def test_opening_the_panel_does_not_import_torch():
    code = (
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from graph import load_project; from gui.document import Document;"
        "from gui.training.panel import TrainingPanel;"
        "p = TrainingPanel(Document(load_project('examples/digits_cnn.json')));"
        "import sys; print('torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_the_form_is_built_from_the_settings_schema(qtbot):
    from PySide6.QtCore import Qt

    from gui.training import settings
    from recipe.config import TrainConfig
    from recipe.data import BUILTIN_DATASETS
    from recipe.settings import SETTINGS

    form = settings.TrainingSettingsForm()
    qtbot.addWidget(form)
    for s in SETTINGS:
        if not s.form:
            assert not hasattr(form, s.name)
        elif s.kind == "choice":
            box = getattr(form, s.name)
            assert [box.itemData(i) for i in range(box.count())] == list(s.values)
            assert [box.itemText(i) for i in range(box.count())] == [c.label for c in s.choices]
    assert form.epochs.minimum() == 1 and form.lr.minimum() > 0
    assert form.val_fraction.maximum() == 0.95
    assert "learning rate" in form.lr.toolTip().lower()
    assert [form.dataset.itemData(i) for i in range(form.dataset.count())] == list(BUILTIN_DATASETS)
    tips = [form.dataset.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(3)]
    assert all("built in, offline" in tip for tip in tips)
    mnist = form.dataset.findData("mnist")
    assert "torchvision" in form.dataset.itemData(mnist, Qt.ItemDataRole.ToolTipRole)
    TrainConfig.from_training(form.values())  # what the form shows is a valid config


def test_the_speed_settings_are_rows_of_the_form_that_edit_training(panel, qtbot):
    from PySide6.QtCore import QPoint, Qt

    choose(panel.form.precision, "bf16")
    commit(panel.form.workers, 2)
    panel.show()
    qtbot.waitExposed(panel)
    box = panel.form.compile
    point = QPoint(6, box.height() // 2)  # on the box itself
    panel.settings_scroll.ensureWidgetVisible(box)  # scroll to it, as a person would
    qtbot.waitUntil(lambda: box.visibleRegion().contains(point))
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=point)
    training = panel.document.project.training
    assert (training["precision"], training["workers"], training["compile"]) == ("bf16", 2, True)
    panel.document.undo_stack.undo()
    assert "compile" not in panel.document.project.training  # back to the default
    assert not panel.form.compile.isChecked()  # the form follows the model on undo
