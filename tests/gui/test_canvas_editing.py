"""Editing on the canvas: palette drops, moving, selecting, clipboard, rename, delete, undo."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from graph import Edge, Node, Project
from gui.document import Document
from gui.mime import FRAGMENT_MIME, LAYER_MIME
from tests.gui.canvas_support import NO_MODS, drag, node_centre, show_canvas, snapshot, to_view


def _drop_layer(view, layer_type: str, scene_pos: QPointF) -> None:
    """Real drag-enter, drag-move and drop events, as the palette's drag delivers them."""
    mime = QMimeData()
    mime.setData(LAYER_MIME, layer_type.encode("utf-8"))
    at = QPointF(to_view(view, scene_pos))
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, NO_MODS)
    for kind in (QDragEnterEvent, QDragMoveEvent, QDropEvent):
        try:
            event = kind(at, *args)  # PySide6 6.12 takes a QPointF ...
        except TypeError:
            event = kind(at.toPoint(), *args)  # ... 6.11 a QPoint for enter and move
        QApplication.sendEvent(view.viewport(), event)


def _two_nodes() -> Project:
    return Project(
        nodes=[
            Node("x", "Input", {"shape": [8]}, (0.0, 0.0)),
            Node("fc", "Linear", {"out_features": 4}, (0.0, 200.0)),
        ],
        edges=[Edge("x", "fc")],
    )


def test_dropping_a_layer_from_the_palette_adds_it_where_it_was_dropped(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    before = snapshot(document)
    _drop_layer(view, "Conv2d", QPointF(400, 300))
    (conv,) = [n for n in document.project.nodes if n.type == "Conv2d"]
    item = view.canvas_scene.nodes[conv.id]
    assert item.sceneBoundingRect().contains(QPointF(400, 300))
    assert view.selected_node_ids() == [conv.id]
    document.undo_stack.undo()
    assert snapshot(document) == before
    assert conv.id not in view.canvas_scene.nodes


def test_dropping_a_layer_on_a_wire_inserts_it_there(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    on_wire = view.canvas_scene.wires[Edge("x", "fc")].curve().pointAtPercent(0.5)
    _drop_layer(view, "ReLU", on_wire)
    assert document.project.edges == [Edge("x", "relu1"), Edge("relu1", "fc")]


def test_an_unknown_layer_type_dropped_changes_nothing(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    _drop_layer(view, "NoSuchLayer", QPointF(400, 300))
    assert document.undo_stack.count() == 0


def test_a_whole_drag_move_is_one_undo_step(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    before = snapshot(document)
    start = node_centre(view, "fc")
    drag(view, start, start + QPointF(150, 60), steps=8)
    assert document.project.node("fc").pos == (150.0, 260.0)
    assert document.undo_stack.count() == 1
    wire = view.canvas_scene.wires[Edge("x", "fc")]
    assert wire.curve().currentPosition() == view.canvas_scene.nodes["fc"].inputs[0].scenePos()
    document.undo_stack.undo()
    assert snapshot(document) == before
    assert view.canvas_scene.nodes["fc"].pos() == QPointF(0, 200)


def test_moving_with_grid_snap_lands_on_the_grid(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    view.snap_to_grid = True
    start = node_centre(view, "fc")
    drag(view, start, start + QPointF(33, 47))
    x, y = document.project.node("fc").pos
    assert x % 20 == 0 and y % 20 == 0 and (x, y) != (0.0, 200.0)


def test_moving_a_selection_moves_every_selected_node(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    view.select_nodes(["x", "fc"])
    start = node_centre(view, "x")
    drag(view, start, start + QPointF(100, 0))
    assert document.project.node("x").pos == (100.0, 0.0)
    assert document.project.node("fc").pos == (100.0, 200.0)


def test_rubber_band_selects_the_nodes_it_covers(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document, zoom=50)
    scene = view.canvas_scene
    top = scene.nodes["conv1"].sceneBoundingRect()
    bottom = scene.nodes["pool1"].sceneBoundingRect()
    emitted = []
    view.selectionChanged.connect(emitted.append)
    drag(view, top.topLeft() + QPointF(-60, 10), bottom.bottomRight() + QPointF(60, -10))
    assert view.selected_node_ids() == ["conv1", "relu1", "pool1"]
    assert emitted[-1] == ["conv1", "relu1", "pool1"]


def test_select_nodes_reports_ids_in_project_order(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    with qtbot.waitSignal(view.selectionChanged) as signal:
        view.select_nodes(["fc1", "x"])
    assert signal.args == [["x", "fc1"]]


def test_delete_removes_nodes_with_their_wires_and_undo_restores_the_exact_state(
    qtbot, lenet_document
):
    view = show_canvas(qtbot, lenet_document)
    before = snapshot(lenet_document)
    view.select_nodes(["relu1", "conv2"])
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Delete)
    project = lenet_document.project
    assert not project.has_node("relu1") and not project.has_node("conv2")
    assert len(view.canvas_scene.wires) == len(project.edges) == 5
    lenet_document.undo_stack.undo()
    assert snapshot(lenet_document) == before
    assert len(view.canvas_scene.wires) == 9


def test_a_selected_wire_can_be_deleted(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    view.canvas_scene.wires[Edge("x", "fc")].setSelected(True)
    view.delete_selection()
    assert document.project.edges == []


def test_copy_and_paste_keep_internal_wires_only(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.select_nodes(["conv1", "relu1", "pool1"])
    view.copy_selection()
    mime = QApplication.clipboard().mimeData()
    fragment = json.loads(bytes(mime.data(FRAGMENT_MIME).data()))
    assert json.loads(mime.text()) == fragment
    assert all(n["pos"] is not None for n in fragment["nodes"])
    before = snapshot(lenet_document)
    view.paste()
    pasted = view.selected_node_ids()
    assert len(pasted) == 3 and not {"conv1", "relu1", "pool1"} & set(pasted)
    project = lenet_document.project
    internal = [e for e in project.edges if e.source in pasted]
    assert len(internal) == 2 and all(e.target in pasted for e in internal)
    original = view.canvas_scene.nodes["conv1"].pos()
    assert view.canvas_scene.nodes[pasted[0]].pos() == original + QPointF(40, 40)
    lenet_document.undo_stack.undo()
    assert snapshot(lenet_document) == before


def test_cut_removes_and_paste_brings_back(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.select_nodes(["relu1"])
    view.cut_selection()
    assert not lenet_document.project.has_node("relu1")
    view.paste()
    assert lenet_document.project.has_node("relu1")


def test_duplicate_copies_the_selection_beside_itself(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.select_nodes(["conv2", "relu2"])
    view.duplicate_selection()
    new = view.selected_node_ids()
    assert [lenet_document.project.node(n).type for n in new] == ["Conv2d", "ReLU"]
    assert Edge(new[0], new[1]) in lenet_document.project.edges
    assert lenet_document.undo_stack.count() == 1


def test_pasting_plain_text_does_nothing(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    QApplication.clipboard().setText("hello")
    view.paste()
    assert lenet_document.undo_stack.count() == 0


def test_rename_edits_the_label_in_place(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.select_nodes(["conv1"])
    view.rename_selected()
    editor = view.rename_editor()
    assert editor is not None and editor.text() == "conv1"
    editor.selectAll()
    QTest.keyClicks(editor, "features")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert lenet_document.project.node("conv1").label == "features"
    assert view.canvas_scene.nodes["conv1"].display_texts[1] == "features"
    lenet_document.undo_stack.undo()
    assert lenet_document.project.node("conv1").label is None


def test_escape_cancels_a_rename(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.select_nodes(["conv1"])
    view.rename_selected()
    editor = view.rename_editor()
    QTest.keyClicks(editor, "oops")
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert view.rename_editor() is None
    assert lenet_document.undo_stack.count() == 0


def test_double_clicking_a_node_starts_renaming_it(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.center_on_node("relu1")
    QTest.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(view, node_centre(view, "relu1"))
    )
    assert view.rename_editor() is not None
    assert view.selected_node_ids() == ["relu1"]


def test_read_only_document_refuses_canvas_edits(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    document.set_read_only(True)
    before = snapshot(document)
    start = node_centre(view, "fc")
    drag(view, start, start + QPointF(100, 100))
    _drop_layer(view, "ReLU", QPointF(300, 300))
    view.select_nodes(["fc"])
    view.delete_selection()
    assert snapshot(document) == before
    assert view.canvas_scene.nodes["fc"].pos() == QPointF(0, 200)


def test_keyboard_shortcuts_select_all_duplicate_and_delete(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    view.select_nodes(["relu1"])
    QTest.keyClick(view, Qt.Key.Key_D, ctrl)
    (copy,) = view.selected_node_ids()
    assert lenet_document.project.node(copy).type == "ReLU"
    QTest.keyClick(view, Qt.Key.Key_A, ctrl)
    assert len(view.selected_node_ids()) == 11
    QTest.keyClick(view, Qt.Key.Key_Backspace)
    assert lenet_document.project.nodes == []
    lenet_document.undo_stack.undo()
    assert len(lenet_document.project.nodes) == 11


def test_double_clicking_a_wire_offers_layers_to_insert_on_it(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    on_wire = view.canvas_scene.wires[Edge("x", "fc")].curve().pointAtPercent(0.5)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=to_view(view, on_wire))
    offered = view.quick_add.layer_types()
    assert "ReLU" in offered and "Output" not in offered and "Conv2d" not in offered
    view.quick_add.choose("ReLU")
    assert document.project.edges == [Edge("x", "relu1"), Edge("relu1", "fc")]
    assert document.undo_stack.count() == 1


def _context_menu(view, scene_pos: QPointF):
    at = to_view(view, scene_pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), event)
    return {a.text(): a for a in view.context_menu.actions() if a.text()}


def test_right_clicking_a_node_offers_what_can_be_done_with_it(qtbot, lenet_document):
    view = show_canvas(qtbot, lenet_document)
    view.center_on_node("relu1")
    actions = _context_menu(view, node_centre(view, "relu1"))
    assert view.selected_node_ids() == ["relu1"]
    assert {"Rename", "Duplicate", "Cut", "Copy", "Delete"} <= set(actions)
    actions["Delete"].trigger()
    assert not lenet_document.project.has_node("relu1")
    view.context_menu.close()


def test_right_clicking_empty_canvas_offers_layout_and_adding(qtbot):
    document = Document(_two_nodes())
    view = show_canvas(qtbot, document)
    actions = _context_menu(view, QPointF(600, 600))
    assert {"Add a layer here…", "Paste", "Auto-layout", "Fit to view", "Snap to grid"} <= set(
        actions
    )
    actions["Snap to grid"].trigger()
    assert view.snap_to_grid
    actions["Add a layer here…"].trigger()
    assert view.quick_add is not None and "Input" in view.quick_add.layer_types()
    view.context_menu.close()


def test_a_pasted_copy_of_a_layer_in_a_module_list_is_a_layer_of_its_own(qtbot):
    from codegen import generate_model
    from codegen.containers import INIT_ORDER_KEY, MEMBER_KEY

    member = {MEMBER_KEY: {"of": "layers", "type": "ModuleList", "index": 0}, INIT_ORDER_KEY: 0}
    project = Project(
        "Stack",
        [
            Node("x", "Input", {"shape": [4]}, pos=(0.0, 0.0)),
            Node("layers_0", "Linear", {"out_features": 4}, pos=(0.0, 80.0), extra=member),
            Node("out", "Output", pos=(0.0, 160.0)),
        ],
        [Edge("x", "layers_0"), Edge("layers_0", "out")],
    )
    document = Document(project)
    view = show_canvas(qtbot, document)
    view.select_nodes(["layers_0"])
    view.copy_selection()
    view.paste()
    (copy,) = view.selected_node_ids()
    assert MEMBER_KEY not in document.project.node(copy).extra
    assert document.project.node("layers_0").extra[MEMBER_KEY]["of"] == "layers"
    document.project.remove_edge(Edge("layers_0", "out"))
    document.project.add_edge(Edge("layers_0", copy))
    document.project.add_edge(Edge(copy, "out"))
    source = generate_model(document.project).source
    assert f"        self.{copy} = nn.Linear(4, 4)" in source
    assert "        x = self.layers[0](x)  # [N, 4]" in source
    # cut and pasted back, the layer keeps its place in the container
    view.select_nodes(["layers_0"])
    view.cut_selection()
    view.paste()
    assert document.project.node("layers_0").extra[MEMBER_KEY]["index"] == 0
