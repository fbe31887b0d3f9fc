"""The inspector's Initialisation section: for each tensor of a layer (weight, bias), a scheme
of nn.init and its arguments. Every change is one undoable edit of the node's `init`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from graph import Node, get_spec
from graph.init import CHOICES, KINDS, arguments
from gui.document import Document

translate = QCoreApplication.translate


class InitBox(QWidget):
    """One row per tensor: the scheme, then an editor per argument."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("initBox")
        self.document = document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(translate("Init", "Initialisation")))
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.editors: dict[str, QWidget] = {}  # "weight", "weight:std", ... -> editor
        self._shown: tuple | None = None

    def show_node(self, node: Node, resolved: dict[str, Any]) -> None:
        spec = get_spec(node.type)
        tensors = spec.init_tensors(resolved) if spec and spec.init_tensors else {}
        key = (node.id, tuple(tensors), repr(node.init), self.document.read_only)
        if key == self._shown:
            return
        self._shown = key
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        for tensor in tensors:
            self.form.addRow(tensor, self._row(node, tensor))
        self.setVisible(bool(tensors))

    def _row(self, node: Node, tensor: str) -> QWidget:
        scheme = node.init.get(tensor)
        scheme = scheme if isinstance(scheme, dict) and scheme.get("kind") in KINDS else None
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        kinds = QComboBox(holder)
        kinds.setObjectName(f"init:{tensor}")
        kinds.setAccessibleName(
            translate("Init", "initialisation of {tensor}").format(tensor=tensor)
        )
        kinds.addItems(list(KINDS))
        kinds.setCurrentText(scheme["kind"] if scheme else "default")
        kinds.setEnabled(not self.document.read_only)
        kinds.currentTextChanged.connect(
            lambda kind, n=node.id, t=tensor: self._commit(n, t, {"kind": kind})
        )
        row.addWidget(kinds)
        self.editors[tensor] = kinds
        if scheme:
            for name, value in arguments(scheme).items():
                row.addWidget(QLabel(name, holder))
                editor = self._argument(node.id, tensor, scheme, name, value, holder)
                editor.setEnabled(not self.document.read_only)
                row.addWidget(editor)
                self.editors[f"{tensor}:{name}"] = editor
        row.addStretch()
        return holder

    def _argument(
        self, node_id: str, tensor: str, scheme: dict, name: str, value: Any, parent: QWidget
    ) -> QWidget:
        def changed(new: Any) -> None:
            self._commit(node_id, tensor, {**scheme, name: new})

        if name in CHOICES:
            combo = QComboBox(parent)
            combo.addItems(list(CHOICES[name]))
            combo.setCurrentText(str(value))
            combo.currentTextChanged.connect(changed)
            combo.setObjectName(f"init:{tensor}:{name}")
            return combo
        spin = QDoubleSpinBox(parent)
        spin.setObjectName(f"init:{tensor}:{name}")
        spin.setDecimals(4)
        spin.setRange(-1e6, 1e6)
        spin.setSingleStep(0.01)
        spin.setValue(float(value))
        spin.editingFinished.connect(lambda: changed(spin.value()))
        return spin

    def _commit(self, node_id: str, tensor: str, scheme: dict[str, Any]) -> None:
        project = self.document.drawing
        if not project.has_node(node_id):
            return
        init = dict(project.node(node_id).init)
        if scheme.get("kind") == "default":
            init.pop(tensor, None)
        else:
            init[tensor] = scheme
        if init != project.node(node_id).init:
            # After the editor's signal returns: the edit rebuilds this section, editor included.
            QTimer.singleShot(0, lambda: self.document.set_init(node_id, init))
