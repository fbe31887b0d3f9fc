"""The inspector: editors generated from the layer spec, inferred values with pins, refusals with
the reason, renaming; every edit one undoable step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from graph import UNSET, get_spec
from gui.param_editors import (
    BoolEditor,
    EnumEditor,
    IntEditor,
    TextEditor,
    TupleEditor,
    parse_param_text,
)
from tests.gui.window_helpers import copy_example, isolate, make_window


def _window_on(qtbot, tmp_path, monkeypatch, node_id):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.select_nodes([node_id])
    return window


def _type_into(qtbot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_editors_follow_the_param_kinds_of_the_spec(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    rows = window.inspector.rows
    assert list(rows) == [p.name for p in get_spec("Conv2d").params]
    assert isinstance(rows["out_channels"].editor, IntEditor)
    assert isinstance(rows["kernel_size"].editor, TupleEditor)
    assert isinstance(rows["padding"].editor, TextEditor)  # takes "same" / "valid" too
    assert isinstance(rows["bias"].editor, BoolEditor)
    assert isinstance(rows["padding_mode"].editor, EnumEditor)
    box = rows["out_channels"].editor.findChild(QSpinBox)
    assert box.minimum() == 1 and box.value() == 6


def test_a_spin_box_edit_sets_the_param_and_repeated_edits_undo_as_one_step(
    qtbot, tmp_path, monkeypatch
):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    box = window.inspector.rows["out_channels"].editor.findChild(QSpinBox)
    steps = window.document.undo_stack.count()

    box.setValue(8)
    box.setValue(12)

    assert window.document.project.node("conv1").params["out_channels"] == 12
    assert window.document.undo_stack.count() == steps + 1
    window.act.undo.trigger()
    assert window.document.project.node("conv1").params["out_channels"] == 6
    qtbot.waitUntil(lambda: box.value() == 6)  # the editor follows the model back


def test_inferred_argument_shows_its_value_read_only_and_can_be_pinned(
    qtbot, tmp_path, monkeypatch
):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv2")
    row = window.inspector.rows["in_channels"]
    box = row.editor.findChild(QSpinBox)
    assert box.value() == 6 and not row.editor.isEnabled() and not row.pin.isChecked()

    qtbot.mouseClick(row.pin, Qt.MouseButton.LeftButton)

    node = window.document.project.node("conv2")
    assert node.params["in_channels"] == 6
    qtbot.waitUntil(lambda: row.pin.isChecked() and row.editor.isEnabled())

    qtbot.mouseClick(row.pin, Qt.MouseButton.LeftButton)
    assert "in_channels" not in node.params


def test_unpinning_the_lenet_mistake_makes_the_drawing_valid(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "fc1")
    row = window.inspector.rows["in_features"]
    assert row.pin.isChecked()  # the file pins in_features=576, which is wrong
    assert "576" in window.inspector.node_problems.text()

    qtbot.mouseClick(row.pin, Qt.MouseButton.LeftButton)

    assert window.document.project.validate().valid
    box = window.inspector.rows["in_features"].editor.findChild(QSpinBox)
    qtbot.waitUntil(lambda: box.value() == 400)
    assert window.validity_label.text().endswith("Valid")


def test_an_impossible_value_is_refused_with_the_reason(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "x")
    line = window.inspector.rows["shape"].editor.findChild(QLineEdit)
    steps = window.document.undo_stack.count()

    _type_into(qtbot, line, "0, 28, 28")

    assert window.inspector.refusal.isVisible()
    assert window.inspector.refusal.text() == "Not applied: shape must be at least 1, not 0"
    assert window.document.project.node("x").params["shape"] == [1, 32, 32]
    assert window.document.undo_stack.count() == steps

    _type_into(qtbot, window.inspector.rows["shape"].editor.findChild(QLineEdit), "1, 28 28")
    assert window.document.project.node("x").params["shape"] == [1, 28, 28]
    assert not window.inspector.refusal.isVisible()


def test_text_that_is_not_a_number_is_refused(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    line = window.inspector.rows["padding"].editor.findChild(QLineEdit)
    _type_into(qtbot, line, "lots")
    assert "padding must be a number, not 'lots'" in window.inspector.refusal.text()
    _type_into(qtbot, window.inspector.rows["padding"].editor.findChild(QLineEdit), "same")
    assert window.document.project.node("conv1").params["padding"] == "same"


def test_checkbox_and_combo_edits(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    check = window.inspector.rows["bias"].editor.findChild(QCheckBox)
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert window.document.project.node("conv1").params["bias"] is False
    combo = window.inspector.rows["padding_mode"].editor.findChild(QComboBox)
    combo.activated.emit(combo.findText("reflect"))
    assert window.document.project.node("conv1").params["padding_mode"] == "reflect"


def test_a_tuple_can_differ_per_dimension_once_unlinked(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    editor = window.inspector.rows["kernel_size"].editor
    assert editor.link.isChecked() and not editor.boxes[1].isVisibleTo(editor)
    qtbot.mouseClick(editor.link, Qt.MouseButton.LeftButton)
    editor = window.inspector.rows["kernel_size"].editor
    editor.boxes[1].setValue(3)
    assert window.document.project.node("conv1").params["kernel_size"] == [5, 3]


def test_reset_puts_an_argument_back_to_its_default(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    window.document.set_param("conv1", "stride", 2)
    reset = window.inspector.rows["stride"].reset
    qtbot.waitUntil(reset.isVisible)
    qtbot.mouseClick(reset, Qt.MouseButton.LeftButton)
    assert "stride" not in window.document.project.node("conv1").params


def test_renaming_a_layer_through_its_name_field_is_undoable(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    _type_into(qtbot, window.inspector.label_edit, "features")
    assert window.document.project.node("conv1").label == "features"
    window.act.undo.trigger()
    assert window.document.project.node("conv1").label is None
    qtbot.waitUntil(lambda: window.inspector.label_edit.text() == "")


def test_with_nothing_selected_the_project_can_be_renamed(qtbot, tmp_path, monkeypatch):
    window = _window_on(qtbot, tmp_path, monkeypatch, "conv1")
    window.select_nodes([])
    _type_into(qtbot, window.inspector.project_name_edit, "My LeNet")
    qtbot.waitUntil(lambda: window.windowTitle() == "Netwright — My LeNet *")


def test_typed_values_are_read_as_people_write_them():
    shape = get_spec("Input").param_index["shape"]
    assert parse_param_text(shape, "[1, 28, 28]") == [1, 28, 28]
    assert parse_param_text(shape, "3×32×32") == [3, 32, 32]
    stride = get_spec("MaxPool2d").param_index["stride"]
    assert parse_param_text(stride, "") is UNSET
    assert parse_param_text(stride, "none") is None
    assert parse_param_text(stride, "2") == 2
    assert parse_param_text(stride, "2, 1") == [2, 1]


def test_every_layer_type_gets_an_editor_for_each_argument(qtbot, tmp_path, monkeypatch):
    from graph import all_specs

    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    for spec in all_specs():
        node_id = window.document.add_node(spec.type)
        window.select_nodes([node_id])
        assert list(window.inspector.rows) == [p.name for p in spec.params], spec.type
