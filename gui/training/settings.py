"""The training settings form: dataset, loss, optimizer, learning rate, batch size, epochs,
schedule, seed, validation share and device — the keys of the project's `training` object.

The form only shows a `training` dict and reports edits (`settingChanged(key, value)`, value None
meaning "use the default"); the panel turns each edit into one undoable Document.set_training.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QToolButton,
    QWidget,
)

from codegen.data_sources import BUILTIN_DATASETS
from gui.training.devices import DeviceSelector
from runtime.config import TrainConfig

translate = QCoreApplication.translate

# Friendly labels for the runtime's names (runtime.config, which loads no torch); a test keeps
# them in step with it.
LOSSES = (
    (QT_TRANSLATE_NOOP("TrainingSettings", "Default for the task"), None),
    (QT_TRANSLATE_NOOP("TrainingSettings", "Cross-entropy"), "cross_entropy"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "Negative log-likelihood"), "nll"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "Mean squared error"), "mse"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "L1 (mean absolute error)"), "l1"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "Smooth L1"), "smooth_l1"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "BCE with logits"), "bce_with_logits"),
)
OPTIMIZERS = (("Adam", "adam"), ("AdamW", "adamw"), ("SGD", "sgd"), ("RMSprop", "rmsprop"))
SCHEDULES = (
    (QT_TRANSLATE_NOOP("TrainingSettings", "Constant"), "none"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "Step"), "step"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "Cosine"), "cosine"),
    (QT_TRANSLATE_NOOP("TrainingSettings", "One-cycle"), "onecycle"),
)
FORM_KEYS = "dataset loss optimizer lr momentum batch_size epochs schedule seed val_fraction device"
DEFAULTS: dict[str, Any] = {
    key: value for key, value in TrainConfig().to_training().items() if key in FORM_KEYS.split()
}


def _choice_combo(choices: tuple[tuple[str, Any], ...]) -> QComboBox:
    box = QComboBox()
    for text, value in choices:
        box.addItem(translate("TrainingSettings", text), value)
    return box


def _select(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index < 0 and isinstance(value, str):
        index = box.findData(value.lower())
    if index < 0:  # a value this build does not list: show it rather than lose it
        box.addItem(str(value), value)
        index = box.count() - 1
    box.setCurrentIndex(index)


class TrainingSettingsForm(QWidget):
    settingChanged = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = QComboBox()
        self.dataset.setEditable(True)  # a path to a .csv, .npz or image folder may be typed
        for name in BUILTIN_DATASETS:
            self.dataset.addItem(name, name)
        self.dataset.setToolTip(
            translate(
                "TrainingSettings", "A built-in dataset, or a path to a .csv, .npz or image folder"
            )
        )
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip(translate("TrainingSettings", "Choose a data file or image folder"))
        browse.clicked.connect(self._browse)
        dataset_row = QHBoxLayout()
        dataset_row.setContentsMargins(0, 0, 0, 0)
        dataset_row.addWidget(self.dataset, 1)
        dataset_row.addWidget(browse)

        self.loss = _choice_combo(LOSSES)
        self.optimizer = _choice_combo(OPTIMIZERS)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(6)
        self.lr.setRange(1e-6, 10.0)
        self.lr.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.momentum = QDoubleSpinBox()
        self.momentum.setRange(0.0, 0.999)
        self.momentum.setDecimals(3)
        self.momentum.setSingleStep(0.05)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(1, 65536)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100000)
        self.schedule = _choice_combo(SCHEDULES)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.val_fraction = QDoubleSpinBox()
        self.val_fraction.setRange(0.0, 0.9)
        self.val_fraction.setSingleStep(0.05)
        self.val_fraction.setDecimals(2)
        self.device = DeviceSelector()

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(translate("TrainingSettings", "Dataset"), dataset_row)
        form.addRow(translate("TrainingSettings", "Loss"), self.loss)
        form.addRow(translate("TrainingSettings", "Optimizer"), self.optimizer)
        form.addRow(translate("TrainingSettings", "Learning rate"), self.lr)
        form.addRow(translate("TrainingSettings", "Momentum"), self.momentum)
        form.addRow(translate("TrainingSettings", "Batch size"), self.batch_size)
        form.addRow(translate("TrainingSettings", "Epochs"), self.epochs)
        form.addRow(translate("TrainingSettings", "LR schedule"), self.schedule)
        form.addRow(translate("TrainingSettings", "Seed"), self.seed)
        form.addRow(translate("TrainingSettings", "Validation share"), self.val_fraction)
        form.addRow(translate("TrainingSettings", "Device"), self.device)

        # Commit on a finished edit, not on every keystroke: one undo step per change.
        self.dataset.activated.connect(lambda _i: self._emit("dataset"))
        self.dataset.lineEdit().editingFinished.connect(lambda: self._emit("dataset"))
        for key in ("loss", "optimizer", "schedule"):
            getattr(self, key).activated.connect(lambda _i, k=key: self._emit(k))
        for key in ("lr", "momentum", "batch_size", "epochs", "seed", "val_fraction"):
            getattr(self, key).editingFinished.connect(lambda k=key: self._emit(k))
        self.device.deviceChosen.connect(lambda _d: self._emit("device"))
        self.optimizer.currentIndexChanged.connect(self._update_momentum)
        self._shown: dict[str, Any] = dict(DEFAULTS)
        self.load({})

    def values(self) -> dict[str, Any]:
        """What the form shows, one value per key (None: the default for the task)."""
        return {
            "dataset": self.dataset.currentText().strip() or DEFAULTS["dataset"],
            "loss": self.loss.currentData(),
            "optimizer": self.optimizer.currentData(),
            "lr": self.lr.value(),
            "momentum": self.momentum.value(),
            "batch_size": self.batch_size.value(),
            "epochs": self.epochs.value(),
            "schedule": self.schedule.currentData(),
            "seed": self.seed.value(),
            "val_fraction": self.val_fraction.value(),
            "device": self.device.current_device(),
        }

    def load(self, training: dict[str, Any]) -> None:
        """Show a project's `training` object (missing keys show their defaults)."""
        values = {**DEFAULTS, **{k: v for k, v in training.items() if k in DEFAULTS}}
        widgets = [self, *self.findChildren(QWidget)]
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            self.dataset.setEditText(str(values["dataset"]))
            _select(self.loss, values["loss"])
            _select(self.optimizer, values["optimizer"])
            _select(self.schedule, values["schedule"])
            for key in ("lr", "momentum", "val_fraction"):
                getattr(self, key).setValue(_number(values[key], DEFAULTS[key], float))
            for key in ("batch_size", "epochs", "seed"):
                getattr(self, key).setValue(_number(values[key], DEFAULTS[key], int))
            self.device.set_device(str(values["device"]))
        finally:
            for w, was in zip(widgets, blocked, strict=True):
                w.blockSignals(was)
        self._shown = self.values()
        self._update_momentum()

    def _emit(self, key: str) -> None:
        value = self.values()[key]
        if value != self._shown.get(key):
            self._shown[key] = value
            self.settingChanged.emit(key, value)

    def _update_momentum(self) -> None:
        self.momentum.setEnabled(self.optimizer.currentData() in ("sgd", "rmsprop"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("TrainingSettings", "Choose a dataset"),
            "",
            translate("TrainingSettings", "Data (*.csv *.npz);;All files (*)"),
        )
        if path:
            self.dataset.setEditText(path)
            self._emit("dataset")


def _number(value: Any, default: Any, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        return default
