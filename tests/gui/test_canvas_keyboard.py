"""The canvas without a mouse: arrows and Tab move between layers, W … Enter wires them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from graph import Edge, Node, Project
from gui.canvas import CanvasView
from gui.canvas.port_item import PortState
from gui.document import Document
from tests.gui.canvas_support import show_canvas, snapshot

Key = Qt.Key


def _grid_of_layers() -> Project:
    """x above a, a above out; b to the right of a. Nothing wired."""
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("a", "Linear", {"out_features": 4}, (0.0, 160.0)),
            Node("b", "ReLU", {}, (260.0, 160.0)),
            Node("out", "Output", {}, (0.0, 320.0)),
        ]
    )


def _keys(view: CanvasView, *keys: Key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    for key in keys:
        QTest.keyClick(view, key, mods)


def test_arrow_keys_select_the_nearest_layer_in_that_direction(qtbot):
    view = show_canvas(qtbot, Document(_grid_of_layers()))
    view.setFocus()
    _keys(view, Key.Key_Down)  # nothing selected: the first layer
    assert view.selected_node_ids() == ["x"]
    _keys(view, Key.Key_Down)
    assert view.selected_node_ids() == ["a"]
    _keys(view, Key.Key_Right)
    assert view.selected_node_ids() == ["b"]
    _keys(view, Key.Key_Left, Key.Key_Down)
    assert view.selected_node_ids() == ["out"]
    _keys(view, Key.Key_Down)  # nothing further down: stays
    assert view.selected_node_ids() == ["out"]


def test_tab_goes_through_the_layers_in_order_then_leaves_the_canvas(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    view = CanvasView(Document(_grid_of_layers()))
    after = QLineEdit()
    layout.addWidget(view)
    layout.addWidget(after)
    host.resize(900, 700)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    seen = []
    for _ in range(4):
        _keys(view, Key.Key_Tab)
        seen.append(view.selected_node_ids()[0])
    assert seen == ["x", "a", "b", "out"]
    _keys(view, Key.Key_Tab, mods=Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_node_ids() == ["b"]
    _keys(view, Key.Key_Tab, Key.Key_Tab)  # past the last layer: focus moves on
    qtbot.waitUntil(after.hasFocus)


def test_w_then_enter_wires_the_selected_layer_to_the_one_below(qtbot):
    document = Document(_grid_of_layers())
    view = show_canvas(qtbot, document)
    view.setFocus()
    view.select_nodes(["x"])
    _keys(view, Key.Key_W)
    fits = view.canvas_scene.nodes["a"].inputs[0]
    assert fits.state == PortState.FITS  # the ports light up as for the mouse
    _keys(view, Key.Key_Return)
    assert document.project.edges == [Edge("x", "a")]
    assert view.selected_node_ids() == ["a"]
    lit = [p for n in view.canvas_scene.nodes.values() for p in n.inputs + n.outputs]
    assert all(p.state == PortState.NORMAL for p in lit)


def test_while_wiring_arrows_choose_another_target_and_escape_drops_the_wire(qtbot):
    document = Document(_grid_of_layers())
    view = show_canvas(qtbot, document)
    view.setFocus()
    view.select_nodes(["a"])
    before = snapshot(document)
    _keys(view, Key.Key_W, Key.Key_Escape)
    assert snapshot(document) == before
    _keys(view, Key.Key_W, Key.Key_Right, Key.Key_Return)  # from a, to b beside it
    assert document.project.edges == [Edge("a", "b")]
    document.undo_stack.undo()
    assert snapshot(document) == before


def test_the_canvas_has_an_accessible_name_and_describes_the_selection(qtbot):
    view = show_canvas(qtbot, Document(_grid_of_layers()))
    assert view.accessibleName() == "Network canvas"
    view.setFocus()
    _keys(view, Key.Key_Down, Key.Key_Down)
    assert view.accessibleDescription() == "Linear 'a' selected"
