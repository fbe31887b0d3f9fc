"""The inspector: the selected layer's name, shapes, problems and arguments, with editors built
from its spec. Edits go through the Document (undoable; repeated edits of one argument merge).

Inferred arguments show the value worked out from the input, read-only, with a pin toggle that
turns them into a checked, user-set value. A value the spec refuses is not applied: the reason is
shown under the editors.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graph import UNSET, Node, Project, Report, format_shape, get_spec
from graph.params import ParamSpec
from gui.document import Document
from gui.explain_view import ExplainBox
from gui.fix_views import FixesBox
from gui.init_editor import InitBox
from gui.param_editors import ParamEditor, editor_for, unreadable_reason


def _shapes(shapes: list[Any]) -> str:
    return ", ".join("?" if s is None else format_shape(s) for s in shapes) or "—"


def _label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ParamRow:
    """One argument's editor, with its pin (inferred) and reset buttons."""

    def __init__(self, spec: ParamSpec, editor: ParamEditor, pin: QToolButton | None) -> None:
        self.spec, self.editor, self.pin = spec, editor, pin
        self.reset: QToolButton | None = None


class InspectorPanel(QScrollArea):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._node_ids: list[str] = []
        self._built_for: tuple[int, str, str] | None = None  # (project id, node id, type)
        self.rows: dict[str, ParamRow] = {}
        self.refusal = _label("", "error", wrap=True)
        self.refusal.hide()
        self._body: QWidget | None = None
        self._rebuild()

    # --- public --------------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self.document.project

    def show_nodes(self, node_ids: list[str]) -> None:
        """Follow the selection."""
        if node_ids != self._node_ids:
            self._node_ids = list(node_ids)
            self.refusal.hide()
            self.refresh()

    def refresh(self) -> None:
        """The model changed: rebuild if another node is shown, else update values in place."""
        ids = [n for n in self._node_ids if self.project.has_node(n)]
        self._node_ids = ids
        key = None
        if len(ids) == 1:
            node = self.project.node(ids[0])
            key = (id(self.project), node.id, node.type)
        if key != self._built_for or key is None:
            self._built_for = key
            self._rebuild()
        else:
            self._update_node(self.project.node(ids[0]))

    # --- building ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        refusal_text = self.refusal.text() if self.refusal.isVisible() else ""
        body = QWidget()
        body.setObjectName("inspectorBody")
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(10, 10, 10, 10)
        self._layout.setSpacing(8)
        self.rows = {}
        self.label_edit: QLineEdit | None = None
        self.project_name_edit: QLineEdit | None = None
        self.refusal = _label(refusal_text, "error", wrap=True)
        self.refusal.setVisible(bool(refusal_text))
        if len(self._node_ids) == 1:
            self._build_node(self.project.node(self._node_ids[0]))
        elif self._node_ids:
            self._layout.addWidget(_label(f"{len(self._node_ids)} layers selected", "sectionTitle"))
            self._layout.addWidget(
                _label("Select a single layer to edit its arguments.", "muted", wrap=True)
            )
        else:
            self._build_project()
        self._layout.addStretch()
        self.setWidget(body)  # deletes the previous body and its editors
        self._body = body

    def _build_project(self) -> None:
        report = self.project.validate()
        self._layout.addWidget(_label("Project", "sectionTitle"))
        self.project_name_edit = QLineEdit(self.project.name)
        self.project_name_edit.setObjectName("projectName")
        self.project_name_edit.setEnabled(not self.document.read_only)
        self.project_name_edit.editingFinished.connect(self._rename_project)
        form = QFormLayout()
        form.addRow("Name", self.project_name_edit)
        self._layout.addLayout(form)
        state = "valid" if report.valid else f"{len(report.errors)} error(s)"
        self.project_summary = _label(
            f"{len(self.project.nodes)} layers · {report.total_params:,} parameters · {state}",
            "muted",
            wrap=True,
        )
        self._layout.addWidget(self.project_summary)
        self._layout.addWidget(
            _label(
                "Select a layer on the canvas to edit it, or double-click a layer in the "
                "palette to add it.",
                "muted",
                wrap=True,
            )
        )

    def _build_node(self, node: Node) -> None:
        spec = get_spec(node.type)
        title = _label(node.type, "sectionTitle")
        self._layout.addWidget(title)
        if spec is not None:
            self._layout.addWidget(_label(spec.doc, "muted", wrap=True))

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._label_shown = node.label or ""
        self.label_edit = QLineEdit(self._label_shown)
        self.label_edit.setObjectName("labelEdit")
        self.label_edit.setPlaceholderText(node.id)
        self.label_edit.setToolTip(f"A name for this layer (its id is {node.id})")
        self.label_edit.editingFinished.connect(self._rename_node)
        form.addRow("Name", self.label_edit)
        self.shape_in = _label()
        self.shape_out = _label()
        self.param_count = _label()
        form.addRow("Input", self.shape_in)
        form.addRow("Output", self.shape_out)
        form.addRow("Parameters", self.param_count)
        self._layout.addLayout(form)

        self.node_problems = _label("", "error", wrap=True)
        self._layout.addWidget(self.node_problems)
        self.fixes = FixesBox(self.document)
        self._layout.addWidget(self.fixes)
        self.explain = ExplainBox()
        self._layout.addWidget(self.explain)
        self.init = InitBox(self.document)
        self._layout.addWidget(self.init)

        if spec is not None and spec.params:
            line = QFrame()
            line.setObjectName("divider")
            self._layout.addWidget(line)
            self._layout.addWidget(_label("Arguments", "muted"))
            args = QFormLayout()
            args.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for pspec in spec.params:
                args.addRow(self._param_label(pspec), self._param_row(node.id, pspec))
            self._layout.addLayout(args)
        self._layout.addWidget(self.refusal)
        self._update_node(node)

    def _param_label(self, pspec: ParamSpec) -> QLabel:
        label = QLabel(pspec.name)
        label.setToolTip(f"{pspec.doc}\n({pspec.describe_type()})")
        return label

    def _param_row(self, node_id: str, pspec: ParamSpec) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        editor = editor_for(pspec, holder)
        editor.setObjectName(f"param:{pspec.name}")
        editor.setToolTip(pspec.doc)
        layout.addWidget(editor, 1)
        pin = None
        if pspec.inferred:
            pin = QToolButton(holder)
            pin.setObjectName("pinToggle")
            pin.setAccessibleName(f"pin {pspec.name}")
            pin.setCheckable(True)
            pin.setText("Pin")
            pin.setToolTip("Pin: set this value yourself instead of inferring it from the input")
            pin.toggled.connect(lambda on, n=pspec.name: self._pin(n, on))
            layout.addWidget(pin)
        row = ParamRow(pspec, editor, pin)
        if not pspec.inferred and not pspec.required:
            row.reset = QToolButton(holder)
            row.reset.setObjectName(f"reset:{pspec.name}")
            row.reset.setText("↺")
            row.reset.setToolTip(f"Back to the default ({pspec.default!r})")
            row.reset.clicked.connect(lambda _=False, n=pspec.name: self._commit(n, UNSET))
            layout.addWidget(row.reset)
        editor.edited.connect(lambda value, n=pspec.name: self._commit(n, value))
        self.rows[pspec.name] = row
        return holder

    # --- updating ------------------------------------------------------------------------------

    def _update_node(self, node: Node) -> None:
        report: Report = self.project.validate()
        nr = report.nodes.get(node.id)
        editable = not self.document.read_only
        if self.label_edit is not None:
            pending = self.label_edit.hasFocus() and self.label_edit.text() != self._label_shown
            if not pending:  # never overwrite what the person is typing
                self._label_shown = node.label or ""
                self.label_edit.setText(self._label_shown)
        self.label_edit.setEnabled(editable)
        self.shape_in.setText(_shapes(nr.input_shapes) if nr else "?")
        self.shape_out.setText(_shapes(nr.output_shapes) if nr else "?")
        self.param_count.setText(f"{nr.params:,}" if nr else "?")
        problems = nr.problems if nr else []
        self.node_problems.setText("\n".join(f"• {p.message}" for p in problems))
        self.node_problems.setVisible(bool(problems))
        self.fixes.show_node(node.id)
        self.explain.show_node(self.project, report, node.id)
        self.init.show_node(node, nr.resolved if nr else dict(node.params))
        self.shape_out.setToolTip(self.explain.formulas.text())
        resolved = nr.resolved if nr else {}
        for name, row in self.rows.items():
            pinned = name in node.params
            if name in node.params:
                value = node.params[name]
            elif name in resolved:
                value = resolved[name]
            else:
                value = row.spec.default
            if not row.editor.is_editing():
                row.editor.set_value(value)
            if row.pin is not None:
                row.pin.blockSignals(True)
                row.pin.setChecked(pinned)
                row.pin.blockSignals(False)
                row.pin.setEnabled(editable and (pinned or resolved.get(name) is not None))
                row.editor.setEnabled(editable and pinned)
                row.editor.setToolTip(
                    f"{row.spec.doc} — pinned" if pinned else f"{row.spec.doc} — inferred"
                )
            else:
                row.editor.setEnabled(editable)
            if row.reset is not None:
                row.reset.setVisible(pinned)
                row.reset.setEnabled(editable)

    # --- edits ---------------------------------------------------------------------------------

    def _current(self) -> Node | None:
        if len(self._node_ids) == 1 and self.project.has_node(self._node_ids[0]):
            return self.project.node(self._node_ids[0])
        return None

    def _refuse(self, reason: str) -> None:
        self.refusal.setText(f"Not applied: {reason}")
        self.refusal.show()

    def _commit(self, name: str, value: Any) -> None:
        node = self._current()
        if node is None:
            return
        row = self.rows[name]
        reason = unreadable_reason(value)
        if reason is None and value is not UNSET:
            try:
                value = row.spec.check(value)
            except ValueError as exc:  # ParamTypeError or ParamBoundsError, worded for people
                reason = str(exc)
        if reason is not None:
            self._refuse(reason)
            self._update_node(node)  # show the value that still holds
            return
        self.refusal.hide()
        if isinstance(value, tuple):
            value = list(value)  # files store lists; keep the model in that form
        old = node.params.get(name, UNSET)
        if old is not UNSET and isinstance(old, tuple):
            old = list(old)
        if value == old and (value is UNSET) == (old is UNSET):
            return
        self.document.set_param(node.id, name, value)

    def _pin(self, name: str, pinned: bool) -> None:
        node = self._current()
        if node is None:
            return
        if pinned:
            nr = self.project.validate().nodes.get(node.id)
            value = nr.resolved.get(name) if nr else None
            if value is None:
                self._refuse(f"{name} cannot be pinned until it can be inferred from the input")
                self._update_node(node)
                return
            self.document.set_param(node.id, name, value)
        else:
            self.document.set_param(node.id, name, UNSET)

    def _rename_node(self) -> None:
        node = self._current()
        if node is None or self.label_edit is None:
            return
        text = self.label_edit.text().strip()
        if text != (node.label or ""):
            self._label_shown = text
            self.document.set_label(node.id, text or None)

    def _rename_project(self) -> None:
        if self.project_name_edit is None:
            return
        text = self.project_name_edit.text().strip()
        if not text:
            self.project_name_edit.setText(self.project.name)
            return
        if text != self.project.name:
            self.document.rename_project(text)
