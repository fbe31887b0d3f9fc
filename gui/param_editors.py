"""One editor widget per ParamSpec kind, built from the spec alone.

Every editor emits `edited(value)` with a plain Python value (int, float, bool, str, list, None or
UNSET) and never checks it: the inspector runs ParamSpec.check and refuses bad values with the
reason. Bounded numbers get spin boxes that cannot leave the spec's bounds; shapes, optional values
and words ("same") get a text field that accepts "3", "3, 5", "[1, 28, 28]" or "none".
"""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from graph import UNSET
from graph.code_source import format_args, parse_args_text
from graph.params import ParamSpec, ParamTypeError
from graph.report import Problem
from i18n import localize

translate = QCoreApplication.translate

INT_LIMIT = 2**31 - 1


class ParamEditor(QWidget):
    """Base: `edited` carries the value the person entered; `set_value` shows one silently."""

    edited = Signal(object)

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def _emit(self, value: Any) -> None:
        self.edited.emit(value)

    def is_editing(self) -> bool:
        """True while the person is typing here (the inspector then leaves the text alone)."""
        return False

    def show_problems(self, problems: list[Problem]) -> None:
        """The node's problems about this param (a Code node's editor marks their lines)."""


class BoolEditor(ParamEditor):
    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = QCheckBox(self)
        self._layout.addWidget(self.box)
        self._layout.addStretch()
        self.box.toggled.connect(self._emit)

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)


class OptionalBoolEditor(ParamEditor):
    """True, False, or None (torch then decides, as for an unset optional flag)."""

    CHOICES = (("None", None), ("True", True), ("False", False))

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        for text, _ in self.CHOICES:
            self.combo.addItem(text)
        self._layout.addWidget(self.combo, 1)
        self.combo.activated.connect(lambda i: self.edited.emit(self.CHOICES[i][1]))

    def set_value(self, value: Any) -> None:
        index = next((i for i, (_, v) in enumerate(self.CHOICES) if v is value), 0)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)


class EnumEditor(ParamEditor):
    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.addItems(list(spec.choices))
        self._layout.addWidget(self.combo, 1)
        self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemText(i)))

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findText(str(value))))
        self.combo.blockSignals(False)


def _int_box(spec: ParamSpec, parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    lo = spec.minimum if spec.minimum is not None else -INT_LIMIT
    if spec.exclusive_minimum:
        lo += 1
    hi = spec.maximum if spec.maximum is not None else INT_LIMIT
    box.setRange(int(lo), int(hi))
    box.setKeyboardTracking(False)  # one edit per committed number, not per keystroke
    box.setAccelerated(True)
    return box


class IntEditor(ParamEditor):
    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = _int_box(spec, self)
        self._layout.addWidget(self.box, 1)
        self.box.valueChanged.connect(self._emit)

    def set_value(self, value: Any) -> None:
        box = self.box
        number = int(value) if isinstance(value, int | float) and math.isfinite(value) else None
        box.blockSignals(True)
        # A value from a file can be beyond what a spin box holds (2**36): show the nearest end
        # (the problems list says what is wrong with it) instead of overflowing.
        box.setValue(
            box.minimum() if number is None else max(box.minimum(), min(number, box.maximum()))
        )
        box.blockSignals(False)


class FloatEditor(ParamEditor):
    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = QDoubleSpinBox(self)
        self.box.setDecimals(6)
        lo = spec.minimum if spec.minimum is not None else -1e12
        hi = spec.maximum if spec.maximum is not None else 1e12
        self.box.setRange(lo, hi)
        self.box.setSingleStep(0.01 if hi - lo <= 10 else 0.1)
        self.box.setKeyboardTracking(False)
        self._layout.addWidget(self.box, 1)
        self.box.valueChanged.connect(self._emit)

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setValue(float(value) if isinstance(value, int | float) else 0.0)
        self.box.blockSignals(False)


class TupleEditor(ParamEditor):
    """kernel_size and friends: one spin box when all sizes agree, one per dimension otherwise.

    The link button switches between the two; a linked value is saved as a single number.
    """

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.boxes = [_int_box(spec, self) for _ in range(spec.arity)]
        for box in self.boxes:
            self._layout.addWidget(box, 1)
            box.valueChanged.connect(self._changed)
        self.link = QToolButton(self)
        self.link.setObjectName("linkToggle")
        self.link.setCheckable(True)
        self.link.setText("=")
        self.link.setToolTip(translate("ParamEditors", "Same size in every dimension"))
        self.link.setAccessibleName(
            translate("ParamEditors", "{name} same in every dimension").format(name=spec.name)
        )
        self._layout.addWidget(self.link)
        self.link.toggled.connect(self._link_toggled)

    def _show_linked(self, linked: bool) -> None:
        for box in self.boxes[1:]:
            box.setVisible(not linked)

    def _link_toggled(self, linked: bool) -> None:
        self._show_linked(linked)
        self._changed()

    def _changed(self, *_: Any) -> None:
        if self.link.isChecked():
            self.edited.emit(self.boxes[0].value())
        else:
            self.edited.emit([b.value() for b in self.boxes])

    def set_value(self, value: Any) -> None:
        linked = not isinstance(value, list | tuple)
        values = [value] * self.spec.arity if linked else list(value)
        for box, v in zip(self.boxes, values, strict=False):
            box.blockSignals(True)
            box.setValue(int(v) if isinstance(v, int | float) else box.minimum())
            box.blockSignals(False)
        self.link.blockSignals(True)
        self.link.setChecked(linked)
        self.link.blockSignals(False)
        self._show_linked(linked)


class TextEditor(ParamEditor):
    """Free text for shapes, optional values and words; parsed on Enter or when focus leaves."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        example = translate("ParamEditors", "e.g. 1, 28, 28")
        hint = example if spec.kind == "ints" else spec.describe_type()
        if spec.words:
            hint += translate("ParamEditors", " or ") + " / ".join(spec.words)
        if spec.optional:
            hint += translate("ParamEditors", " (empty: none)")
        self.line.setPlaceholderText(hint)
        self._layout.addWidget(self.line, 1)
        self.line.editingFinished.connect(self._finished)
        self._shown = ""

    def _finished(self) -> None:
        text = self.line.text()
        if text.strip() == self._shown.strip():
            return
        try:
            value = parse_param_text(self.spec, text)
        except ParamTypeError as exc:
            value = _Unreadable(str(exc))
        self.edited.emit(value)

    def set_value(self, value: Any) -> None:
        self._shown = format_param_value(value)
        self.line.setText(self._shown)
        self.line.setProperty("invalid", False)

    def is_editing(self) -> bool:
        return self.line.hasFocus() and self.line.text() != self._shown


class _Unreadable:
    """Text that is not a value at all; the inspector shows `reason` and keeps the old value."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def unreadable_reason(value: Any) -> str | None:
    return value.reason if isinstance(value, _Unreadable) else None


_SPLIT = re.compile(r"[,\s×x*]+")


def parse_param_text(spec: ParamSpec, text: str) -> Any:
    """Read what a person typed: "" (default), "none", a word, a number, or numbers."""
    text = text.strip()
    if spec.kind == "args":
        try:
            return parse_args_text(text)
        except ValueError as exc:
            raise ParamTypeError(localize(str(exc))) from None
    if not text:
        return None if spec.required else UNSET
    if text.lower() in ("none", "null"):
        return None
    if text in spec.words:
        return text
    inner = text.strip("[]() ")
    parts = [p for p in _SPLIT.split(inner) if p]
    floats = spec.kind in ("float", "float_or_tuple")
    values: list[Any] = []
    for part in parts:
        if part.lower() == "none":
            values.append(None)
            continue
        try:
            values.append(float(part) if floats else int(part))
        except ValueError:
            try:
                number = float(part)
            except ValueError:
                raise ParamTypeError(
                    translate("ParamEditors", "{name} must be a number, not {part!r}").format(
                        name=spec.name, part=part
                    )
                ) from None
            values.append(int(number) if number.is_integer() else number)
    if spec.kind == "ints" or len(values) != 1 or text.startswith(("[", "(")):
        return values
    return values[0]


def format_param_value(value: Any) -> str:
    if value is None or value is UNSET:
        return ""
    if isinstance(value, dict):
        return format_args(value)
    if isinstance(value, list | tuple):
        return ", ".join("none" if v is None else str(v) for v in value)
    return str(value)


def editor_for(spec: ParamSpec, parent: QWidget | None = None) -> ParamEditor:
    """The editor that suits a param: a spin box when the value is always a bounded number."""
    plain = not spec.optional and not spec.words and not spec.item_optional
    if spec.kind == "text":
        from gui.code_editor import CodeSourceEditor  # it builds on ParamEditor

        return CodeSourceEditor(spec, parent)
    if spec.kind == "bool":
        return OptionalBoolEditor(spec, parent) if spec.optional else BoolEditor(spec, parent)
    if spec.kind == "enum":
        return EnumEditor(spec, parent)
    if spec.kind == "int" and plain:
        return IntEditor(spec, parent)
    if spec.kind == "float" and plain and not spec.exclusive_minimum:
        return FloatEditor(spec, parent)
    if spec.kind == "int_or_tuple" and plain and spec.arity > 1:
        return TupleEditor(spec, parent)
    if spec.kind == "int_or_tuple" and plain:
        return IntEditor(spec, parent)
    return TextEditor(spec, parent)
