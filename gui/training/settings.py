"""The training settings form, built from the settings schema (recipe.settings) as the inspector
is built from layer specs: one row per setting the schema marks for the form, with its label,
help as tooltip, range and choices.

The form only shows a `training` dict and reports edits (`settingChanged(key, value)`, value None
meaning "use the default"); the panel turns each edit into one undoable Document.set_training.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QToolButton,
    QWidget,
)

from gui.training.devices import DeviceSelector
from i18n import localize, msg
from recipe.data import BUILTIN_DATASETS, DATASET_NOTES
from recipe.settings import SETTINGS, Setting, defaults

FORM_SETTINGS: tuple[Setting, ...] = tuple(s for s in SETTINGS if s.form)
DEFAULTS: dict[str, Any] = {
    k: v for k, v in defaults().items() if k in {s.name for s in FORM_SETTINGS}
}
_INT_MAX = 2**31 - 1  # QSpinBox holds a C int
_FLOAT_DECIMALS = 6


def _select(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index < 0 and isinstance(value, str):
        index = box.findData(value.lower())
    if index < 0:  # a value this build does not list: show it rather than lose it
        box.addItem(str(value), value)
        index = box.count() - 1
    box.setCurrentIndex(index)


def _tooltip(s: Setting) -> str:
    """A setting's help as a tooltip: its sentence, capitalized."""
    text = localize(s.help)
    return text[:1].upper() + text[1:]


class TrainingSettingsForm(QWidget):
    settingChanged = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self._editors: dict[str, QWidget] = {}
        for s in FORM_SETTINGS:
            editor, row = self._make_editor(s)
            editor.setToolTip(_tooltip(s))
            editor.setAccessibleName(localize(s.label))
            setattr(self, s.name, editor)  # form.epochs, form.lr, ...: what tests and panels use
            self._editors[s.name] = editor
            form.addRow(localize(s.label), row)
        self.optimizer.currentIndexChanged.connect(self._update_momentum)
        self._shown: dict[str, Any] = dict(DEFAULTS)
        self.load({})

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:  # labels and choices: gui/retranslate.py
            for s in FORM_SETTINGS:
                self._editors[s.name].setToolTip(_tooltip(s))
        super().changeEvent(event)

    # --- editors from the schema -------------------------------------------------------------

    def _make_editor(self, s: Setting) -> tuple[QWidget, Any]:
        if s.kind == "dataset":
            return self._dataset_editor(s)
        if s.kind == "device":
            device = DeviceSelector()
            device.deviceChosen.connect(lambda _d, k=s.name: self._emit(k))
            return device, device
        if s.kind == "bool":
            check = QCheckBox()
            check.toggled.connect(lambda _on, k=s.name: self._emit(k))
            return check, check
        if s.kind == "choice":
            box = QComboBox()
            for choice in s.choices:
                box.addItem(localize(choice.label), choice.value)
            box.activated.connect(lambda _i, k=s.name: self._emit(k))
            return box, box
        if s.kind == "int":
            spin: QSpinBox | QDoubleSpinBox = QSpinBox()
            low = int(s.low) if s.low is not None else -_INT_MAX
            spin.setRange(low, min(int(s.high), _INT_MAX) if s.high is not None else _INT_MAX)
        elif s.kind == "float":
            spin = QDoubleSpinBox()
            spin.setDecimals(_FLOAT_DECIMALS)
            smallest = 10.0**-_FLOAT_DECIMALS
            low = s.low if s.low is not None else -1e9
            spin.setRange(
                low + smallest if s.open_low else low, s.high if s.high is not None else 1e9
            )
            spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        else:
            raise ValueError(f"the form has no editor for a {s.kind} setting ({s.name})")
        # commit on a finished edit, not on every keystroke: one undo step per change
        spin.editingFinished.connect(lambda k=s.name: self._emit(k))
        return spin, spin

    def _dataset_editor(self, s: Setting) -> tuple[QWidget, Any]:
        box = QComboBox()
        box.setEditable(True)  # a path to a .csv, .npz or image folder may be typed
        for i, name in enumerate(BUILTIN_DATASETS):
            box.addItem(name, name)
            # which are built in and offline, which need torchvision and a download
            box.setItemData(i, DATASET_NOTES[name], Qt.ItemDataRole.ToolTipRole)
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip(localize(msg("Choose a data file or image folder")))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(box, 1)
        row.addWidget(browse)
        box.activated.connect(lambda _i: self._emit(s.name))
        box.lineEdit().editingFinished.connect(lambda: self._emit(s.name))
        return box, row

    # --- values ----------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form shows, one value per key (None: the default for the task)."""
        return {s.name: self._value(s) for s in FORM_SETTINGS}

    def _value(self, s: Setting) -> Any:
        editor = self._editors[s.name]
        if s.kind == "dataset":
            return editor.currentText().strip() or DEFAULTS[s.name]
        if s.kind == "device":
            return editor.current_device()
        if s.kind == "choice":
            return editor.currentData()
        if s.kind == "bool":
            return editor.isChecked()
        return editor.value()

    def load(self, training: dict[str, Any]) -> None:
        """Show a project's `training` object (missing keys show their defaults)."""
        values = {**DEFAULTS, **{k: v for k, v in training.items() if k in DEFAULTS}}
        widgets = [self, *self.findChildren(QWidget)]
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            for s in FORM_SETTINGS:
                self._show(s, values[s.name])
        finally:
            for w, was in zip(widgets, blocked, strict=True):
                w.blockSignals(was)
        self._shown = self.values()
        self._update_momentum()

    def _show(self, s: Setting, value: Any) -> None:
        editor = self._editors[s.name]
        if s.kind == "dataset":
            editor.setEditText(str(value))
        elif s.kind == "device":
            editor.set_device(str(value))
        elif s.kind == "choice":
            _select(editor, value)
        elif s.kind == "bool":
            editor.setChecked(value is True)
        else:
            kind = int if s.kind == "int" else float
            editor.setValue(_number(value, DEFAULTS[s.name], kind))

    def _emit(self, key: str) -> None:
        value = self.values()[key]
        if value != self._shown.get(key):
            self._shown[key] = value
            self.settingChanged.emit(key, value)

    def _update_momentum(self) -> None:
        self.momentum.setEnabled(self.optimizer.currentData() in ("sgd", "rmsprop"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a dataset", "", "Data (*.csv *.npz);;All files (*)"
        )
        if path:
            self.dataset.setEditText(path)
            self._emit("dataset")


def _number(value: Any, default: Any, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError, OverflowError):
        return default
