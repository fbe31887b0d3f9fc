"""The inspector: the selected layer's name, shapes, problems and arguments, with editors built
from its spec. Edits go through the Document (undoable; repeated edits of one argument merge).

Inferred arguments show the value worked out from the input, read-only, with a pin toggle that
turns them into a checked, user-set value. A value the spec refuses is not applied: the reason is
shown under the editors.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graph import UNSET, Node, Project, Report, format_shape
from graph.params import ParamSpec
from gui.canvas.node_item import NOT_CALLED_TEXT
from gui.document import Document
from gui.explain_view import ExplainBox
from gui.fix_views import FixesBox
from gui.init_editor import InitBox
from gui.param_editors import ParamEditor, editor_for, unreadable_reason
from i18n import localize, message_of

translate = QCoreApplication.translate


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
        self._sections: list[QWidget] = []  # kept at the foot whatever is shown (add_section)
        self._rebuild()

    # --- public --------------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        """The drawing shown: the project, or a block opened from an instance."""
        return self.document.drawing

    def add_section(self, widget: QWidget) -> None:
        """A part that stays at the foot of the inspector whichever node is shown (the layer
        statistics of the selected node): moved into each new body, never rebuilt."""
        self._sections.append(widget)
        self._layout.insertWidget(self._layout.count() - 1, widget)  # above the stretch

    def show_nodes(self, node_ids: list[str]) -> None:
        """Follow the selection."""
        if node_ids != self._node_ids:
            self._node_ids = list(node_ids)
            self.refusal.hide()
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._built_for = None  # built again in the new language
            self.refresh()
        super().changeEvent(event)

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
        self.repeat_spin: QSpinBox | None = None
        self.shares_box: QComboBox | None = None
        self.project_name_edit: QLineEdit | None = None
        self.refusal = _label(refusal_text, "error", wrap=True)
        self.refusal.setVisible(bool(refusal_text))
        if len(self._node_ids) == 1:
            self._build_node(self.project.node(self._node_ids[0]))
        elif self._node_ids:
            self._layout.addWidget(
                _label(
                    translate("Inspector", "{count} layers selected").format(
                        count=len(self._node_ids)
                    ),
                    "sectionTitle",
                )
            )
            self._layout.addWidget(
                _label(
                    translate("Inspector", "Select a single layer to edit its arguments."),
                    "muted",
                    wrap=True,
                )
            )
        elif self.document.stack.levels:
            self._build_opened_block()
        else:
            self._build_project()
        for section in self._sections:  # moved out of the old body before it is deleted
            self._layout.addWidget(section)
        self._layout.addStretch()
        self.setWidget(body)  # deletes the previous body and its editors
        self._body = body

    def _build_project(self) -> None:
        report = self.document.project.validate()
        self._layout.addWidget(_label(translate("Inspector", "Project"), "sectionTitle"))
        self.project_name_edit = QLineEdit(self.document.project.name)
        self.project_name_edit.setObjectName("projectName")
        self.project_name_edit.setEnabled(not self.document.read_only)
        self.project_name_edit.editingFinished.connect(self._rename_project)
        form = QFormLayout()
        form.addRow(translate("Inspector", "Name"), self.project_name_edit)
        self._layout.addLayout(form)
        state = (
            translate("Inspector", "valid")
            if report.valid
            else translate("Inspector", "{count} error(s)").format(count=len(report.errors))
        )
        self.project_summary = _label(
            translate("Inspector", "{count} layers · {total_params:,} parameters · {state}").format(
                count=len(self.document.project.nodes),
                total_params=report.total_params,
                state=state,
            ),
            "muted",
            wrap=True,
        )
        self._layout.addWidget(self.project_summary)
        self._layout.addWidget(
            _label(
                translate(
                    "Inspector",
                    "Select a layer on the canvas to edit it, or double-click a layer in "
                    "the palette to add it.",
                ),
                "muted",
                wrap=True,
            )
        )

    def _build_opened_block(self) -> None:
        """Nothing selected inside an opened block: say which block this is, not "Project"."""
        level = self.document.stack.levels[-1]
        block = self.document.project.blocks.get(level.block_name)
        report = self.document.stack.report()
        self._layout.addWidget(
            _label(
                translate("Inspector", "Block {block}").format(block=level.block_name),
                "sectionTitle",
            )
        )
        params = ", ".join(f"{p.name} = {p.default}" for p in block.params)
        self.block_summary = _label(
            translate(
                "Inspector",
                "Opened from '{instance}' · {count} layers inside · {total_params:,} parameters "
                "in this instance",
            ).format(
                instance=level.instance_id,
                count=len(block.body.nodes),
                total_params=report.total_params,
            )
            + (
                "\n" + translate("Inspector", "Parameters: {params}").format(params=params)
                if params
                else ""
            ),
            "muted",
            wrap=True,
        )
        self._layout.addWidget(self.block_summary)
        self._layout.addWidget(
            _label(
                translate(
                    "Inspector",
                    "Select a layer to edit it: the edit changes the block, so every instance "
                    "follows. Esc or the path above the canvas goes back up.",
                ),
                "muted",
                wrap=True,
            )
        )

    def _build_node(self, node: Node) -> None:
        spec = self.project.spec(node.type)  # a layer, or a block: its params are the block's
        title = _label(node.type, "sectionTitle")
        self._layout.addWidget(title)
        if spec is not None:
            self._layout.addWidget(_label(localize(spec.doc), "muted", wrap=True))
        if node.not_called:
            self.not_called = _label(NOT_CALLED_TEXT(), "notCalled", wrap=True)
            self.not_called.setToolTip(
                translate(
                    "Inspector", "The generated code builds it in __init__ and never calls it"
                )
            )
            self._layout.addWidget(self.not_called)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._label_shown = node.label or ""
        self.label_edit = QLineEdit(self._label_shown)
        self.label_edit.setObjectName("labelEdit")
        self.label_edit.setPlaceholderText(node.id)
        self.label_edit.setToolTip(
            translate("Inspector", "A name for this layer (its id is {id})").format(id=node.id)
        )
        self.label_edit.editingFinished.connect(self._rename_node)
        form.addRow(translate("Inspector", "Name"), self.label_edit)
        self.shape_in = _label()
        self.shape_out = _label()
        self.param_count = _label()
        form.addRow(translate("Inspector", "Input"), self.shape_in)
        form.addRow(translate("Inspector", "Output"), self.shape_out)
        form.addRow(translate("Inspector", "Parameters"), self.param_count)
        self.repeat_spin = None
        self.shares_box = None
        if spec is not None and len(spec.inputs) == 1 and len(spec.outputs) == 1:
            self._add_block_options(form, node)
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
            self._layout.addWidget(_label(translate("Inspector", "Arguments"), "muted"))
            args = QFormLayout()
            args.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for pspec in spec.params:
                args.addRow(self._param_label(pspec), self._param_row(node.id, pspec))
            self._layout.addLayout(args)
        self._layout.addWidget(self.refusal)
        self._update_node(node)

    def _add_block_options(self, form: QFormLayout, node: Node) -> None:
        """Repeat (copies in sequence, each with its own weights) and shares (call another
        node's layer: one set of weights)."""
        spin = QSpinBox()
        spin.setObjectName("repeatSpin")
        spin.setRange(1, 10_000)
        spin.setToolTip(self.tr("Copies of this node in sequence, each with its own weights"))
        spin.setValue(node.repeat if isinstance(node.repeat, int) else 1)
        spin.setEnabled(not isinstance(node.repeat, str))  # an expression: edit it in the file
        spin.editingFinished.connect(lambda: self._set_repeat(spin.value()))
        form.addRow(self.tr("Repeat"), spin)
        self.repeat_spin = spin
        box = QComboBox()
        box.setObjectName("sharesBox")
        box.setToolTip(self.tr("Call the layer of another node of the same type (shared weights)"))
        box.addItem(self.tr("(its own layer)"), "")
        for other in self.project.nodes:
            if other.type == node.type and other.id != node.id and not other.shares:
                box.addItem(other.name, other.id)
        box.setCurrentIndex(max(0, box.findData(node.shares or "")))
        box.activated.connect(lambda index: self._set_shares(box.itemData(index)))
        form.addRow(self.tr("Shares"), box)
        self.shares_box = box

    def _set_repeat(self, value: int) -> None:
        node_id = self._node_ids[0]
        wanted = None if value == 1 else value
        if self.project.node(node_id).repeat != wanted:
            self.document.set_repeat(node_id, wanted)

    def _set_shares(self, target: str) -> None:
        node_id = self._node_ids[0]
        if (self.project.node(node_id).shares or "") != target:
            self.document.set_shares(node_id, target or None)

    def _param_label(self, pspec: ParamSpec) -> QLabel:
        label = QLabel(pspec.name)
        label.setToolTip(f"{localize(pspec.doc)}\n({pspec.describe_type()})")
        return label

    def _param_row(self, node_id: str, pspec: ParamSpec) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        editor = editor_for(pspec, holder)
        editor.setObjectName(f"param:{pspec.name}")
        editor.setToolTip(localize(pspec.doc))
        layout.addWidget(editor, 1)
        pin = None
        if pspec.inferred:
            pin = QToolButton(holder)
            pin.setObjectName("pinToggle")
            pin.setAccessibleName(translate("Inspector", "pin {name}").format(name=pspec.name))
            pin.setCheckable(True)
            pin.setText(translate("Inspector", "Pin"))
            pin.setToolTip(
                translate(
                    "Inspector",
                    "Pin: set this value yourself instead of inferring it from the input",
                )
            )
            pin.toggled.connect(lambda on, n=pspec.name: self._pin(n, on))
            layout.addWidget(pin)
        row = ParamRow(pspec, editor, pin)
        if not pspec.inferred and not pspec.required:
            row.reset = QToolButton(holder)
            row.reset.setObjectName(f"reset:{pspec.name}")
            row.reset.setText("↺")
            row.reset.setToolTip(
                translate("Inspector", "Back to the default ({default!r})").format(
                    default=pspec.default
                )
            )
            row.reset.clicked.connect(lambda _=False, n=pspec.name: self._commit(n, UNSET))
            layout.addWidget(row.reset)
        editor.edited.connect(lambda value, n=pspec.name: self._commit(n, value))
        self.rows[pspec.name] = row
        return holder

    # --- updating ------------------------------------------------------------------------------

    def _update_node(self, node: Node) -> None:
        report: Report = self.document.drawing_report()
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
        if self.repeat_spin is not None and not self.repeat_spin.hasFocus():
            self.repeat_spin.setValue(node.repeat if isinstance(node.repeat, int) else 1)
        problems = nr.problems if nr else []
        self.node_problems.setText("\n".join(f"• {localize(p.message)}" for p in problems))
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
            row.editor.show_problems([p for p in problems if p.param == name])
            if row.pin is not None:
                row.pin.blockSignals(True)
                row.pin.setChecked(pinned)
                row.pin.blockSignals(False)
                row.pin.setEnabled(editable and (pinned or resolved.get(name) is not None))
                row.editor.setEnabled(editable and pinned)
                row.editor.setToolTip(
                    translate("Inspector", "{doc} — pinned").format(doc=localize(row.spec.doc))
                    if pinned
                    else translate("Inspector", "{doc} — inferred").format(
                        doc=localize(row.spec.doc)
                    )
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
        self.refusal.setText(translate("Inspector", "Not applied: {reason}").format(reason=reason))
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
                reason = localize(message_of(exc))
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
            nr = self.document.drawing_report().nodes.get(node.id)
            value = nr.resolved.get(name) if nr else None
            if value is None:
                self._refuse(
                    translate(
                        "Inspector",
                        "{name} cannot be pinned until it can be inferred from the input",
                    ).format(name=name)
                )
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
            self.project_name_edit.setText(self.document.project.name)
            return
        if text != self.document.project.name:
            self.document.rename_project(text)
