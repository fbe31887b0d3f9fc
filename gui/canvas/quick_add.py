"""Quick-add: the list of layers that fit where a wire was dropped on empty canvas.

`fitting_layers` asks the same shape rules the checker uses whether each layer type would accept
the tensor at the wire's end; `QuickAddPopup` is a filterable list that never blocks (no exec),
so it behaves the same on screen and offscreen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from graph import Node, NodeReport, TensorType, all_specs
from graph.inference import infer_outputs
from graph.param_check import check_params

translate = QCoreApplication.translate


def fitting_layers(incoming: TensorType | None) -> list[str]:
    """Layer types (palette order) whose first input would accept `incoming` without an error."""
    fits: list[str] = []
    for spec in all_specs():
        if not spec.inputs:
            continue
        if incoming is None:
            fits.append(spec.type)
            continue
        node = Node("candidate", spec.type, dict(spec.palette))
        params, given, problems = check_params(node, spec)
        if problems:
            continue
        if len(spec.inputs) > 1 or spec.variadic:
            # Other inputs are still open: only the dtype can be judged now.
            wants_int = spec.dtype == "int"
            if spec.dtype == "any" or (incoming.dtype == "int64") == wants_int:
                fits.append(spec.type)
            continue
        result = NodeReport("candidate")
        infer_outputs(node, spec, params, given, [incoming], ["'source'"], result)
        if not any(p.severity == "error" for p in result.problems):
            fits.append(spec.type)
    return fits


def layers_with_outputs() -> list[str]:
    return [s.type for s in all_specs() if s.outputs]


class QuickAddPopup(QFrame):
    """A popup list of layer types with a filter box; emits `chosen` with the type picked."""

    chosen = Signal(str)

    def __init__(self, layer_types: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(translate("Canvas", "Add a layer that fits…"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        for layer_type in layer_types:
            QListWidgetItem(layer_type, self.list)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.resize(240, 320)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._choose_current)
        self.list.itemActivated.connect(self._choose_item)
        self.list.itemClicked.connect(self._choose_item)
        self.filter.installEventFilter(self)

    def layer_types(self) -> list[str]:
        """The types currently listed (after filtering)."""
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
        ]

    def popup_at(self, global_pos: QPoint) -> None:
        self.move(global_pos)
        self.show()
        self.filter.setFocus()

    def choose(self, layer_type: str) -> None:
        self.close()
        self.chosen.emit(layer_type)

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = bool(needle) and needle not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def _choose_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self.choose(item.text())

    def _choose_item(self, item: QListWidgetItem) -> None:
        self.choose(item.text())

    def eventFilter(self, watched, event) -> bool:  # arrow keys in the filter move the list
        if (
            watched is self.filter
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = self.list.currentRow() + step
            while 0 <= row < self.list.count() and self.list.item(row).isHidden():
                row += step
            if 0 <= row < self.list.count():
                self.list.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)
