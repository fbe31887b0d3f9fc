"""Opening a block from an instance: double-click shows its drawing with that instance's shapes,
the breadcrumb (and Escape, Backspace) go back up, and edits inside are undoable edits of the
definition that every instance follows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from graph import project_from_dict
from tests.graph.blocks_helpers import chain, project_data
from tests.gui.canvas_support import node_centre, press, release, snapshot, to_view
from tests.gui.window_helpers import make_window
from tests.gui.window_helpers import press as key

LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier

MLP_BLOCK = {
    "params": {"width": {"type": "int", "default": 16}},
    **chain(
        ("x", "Input"),
        ("fc", "Linear", {"out_features": "$width"}),
        ("act", "ReLU"),
        ("fc2", "Linear", {"out_features": "$width * 2"}),
        ("out", "Output"),
    ),
}
OUTER_BLOCK = {
    "params": {"w": {"type": "int", "default": 4}},
    **chain(("x", "Input"), ("m", "MLPBlock", {"width": "$w"}), ("out", "Output")),
}


def two_instances():
    """x [4] -> b1: MLPBlock(16) [32] -> b2: MLPBlock(8) [16] -> out."""
    return project_from_dict(
        project_data(
            {"MLPBlock": MLP_BLOCK},
            ("x", "Input", {"shape": [4]}),
            ("b1", "MLPBlock", {"width": 16}),
            ("b2", "MLPBlock", {"width": 8}),
            ("out", "Output"),
        )
    )


def nested():
    """x [4] -> o: Outer(w=3) (inside: m: MLPBlock(3)) -> out."""
    return project_from_dict(
        project_data(
            {"MLPBlock": MLP_BLOCK, "Outer": OUTER_BLOCK},
            ("x", "Input", {"shape": [4]}),
            ("o", "Outer", {"w": 3}),
            ("out", "Output"),
        )
    )


def window_with(qtbot, project):
    window = make_window(qtbot)
    window.document.replace_project(project)
    window.canvas.set_zoom(60)
    window.canvas.canvas_scene.flush()
    return window


def double_click(view, node_id: str) -> None:
    QTest.mouseDClick(view.viewport(), LEFT, NO_MODS, to_view(view, node_centre(view, node_id)))
    view.canvas_scene.flush()


def click(view, node_id: str, mods=NO_MODS) -> None:
    centre = node_centre(view, node_id)
    press(view, centre, mods=mods)
    release(view, centre, mods=mods)


def click_crumb(view, depth: int) -> None:
    crumb = view.breadcrumb.crumbs[depth]
    QTest.mouseClick(crumb, LEFT, NO_MODS, QPoint(crumb.width() // 2, crumb.height() // 2))
    view.canvas_scene.flush()


def shown(view) -> set[str]:
    return set(view.canvas_scene.nodes)


def shape_of(view, node_id: str) -> str:
    return view.canvas_scene.nodes[node_id].display_texts[3]


def test_double_clicking_an_instance_shows_its_block_with_that_instances_shapes(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    assert not view.breadcrumb.isVisible()
    double_click(view, "b2")
    assert window.document.drawing is window.document.project.blocks.get("MLPBlock").body
    assert shown(view) == {"x", "fc", "act", "fc2", "out"}
    # b2 receives [32] and has width 8
    assert shape_of(view, "x") == "→ [32]"
    assert shape_of(view, "fc") == "→ [8]"
    assert shape_of(view, "fc2") == "→ [16]"
    assert view.breadcrumb.isVisible()
    assert [c.text() for c in view.breadcrumb.crumbs] == ["t", "MLPBlock"]
    assert "'b2'" in view.breadcrumb.note.text() and "2 instance" in view.breadcrumb.note.text()

    click_crumb(view, 0)
    assert window.document.drawing is window.document.project
    double_click(view, "b1")  # the other instance: the same drawing with its own shapes
    assert shape_of(view, "x") == "→ [4]"
    assert shape_of(view, "fc") == "→ [16]"
    assert shape_of(view, "fc2") == "→ [32]"


def test_the_breadcrumb_of_a_blocks_only_instance_says_so_without_a_plural(qtbot):
    window = window_with(qtbot, nested())
    double_click(window.canvas, "o")
    note = window.canvas.breadcrumb.note.text()
    assert "'o'" in note and "only instance" in note
    assert "instance(s)" not in note and "all 1" not in note


def test_with_nothing_selected_inside_a_block_the_inspector_describes_the_block(qtbot):
    window = window_with(qtbot, two_instances())
    double_click(window.canvas, "b2")
    window.canvas.canvas_scene.clearSelection()
    inspector = window.inspector
    assert inspector.project_name_edit is None  # not the project's form
    summary = inspector.block_summary.text()
    assert "'b2'" in summary and "5 layers inside" in summary
    # b2: [32] -> Linear(32, 8) -> ReLU -> Linear(8, 16)
    assert f"{32 * 8 + 8 + 8 * 16 + 16:,} parameters" in summary
    assert "width = 16" in summary  # the block's own parameter and its default


def test_the_inspector_explains_an_inner_node_with_the_instances_numbers(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    double_click(view, "b2")
    click(view, "fc")
    assert window.selected_node_ids() == ["fc"]
    formulas = window.inspector.explain.formulas.text()
    assert "parameters = 32 × 8 + 8 = 264" in formulas
    assert window.inspector.explain.cost.isVisible()
    assert "256" in window.inspector.explain.cost.text()  # 8 × 32 MACs


def test_an_edit_inside_a_block_is_one_undo_step_and_every_instance_follows(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    project = window.document.project
    before = snapshot(window.document)
    double_click(view, "b1")
    click(view, "act")
    view.setFocus()
    key(window, Qt.Key.Key_Delete)  # the ReLU goes, with its two wires
    view.canvas_scene.flush()
    assert "act" not in shown(view)
    body = project.blocks.get("MLPBlock").body
    assert not body.has_node("act")
    report = project.validate()
    assert not report.valid  # fc2 has nothing wired in: said on b1, by path
    assert {p.path for p in report.errors} == {"b1.fc2"}
    assert report.nodes["b2"].output_shapes == [None]  # nothing known reaches b2 now
    assert window.document.drawing is body  # still inside

    key(window, Qt.Key.Key_Z, CTRL)
    view.canvas_scene.flush()
    assert snapshot(window.document) == before
    assert "act" in shown(view)
    assert project.validate().valid
    assert shape_of(view, "fc2") == "→ [32]"

    # a param edit inside: every instance's shapes follow the definition
    window.document.set_param("fc2", "out_features", "$width * 3")
    view.canvas_scene.flush()
    assert shape_of(view, "fc2") == "→ [48]"
    nodes = project.validate().nodes
    assert nodes["b1"].output_shapes == [(48,)] and nodes["b2"].output_shapes == [(24,)]
    key(window, Qt.Key.Key_Z, CTRL)
    assert snapshot(window.document) == before


def test_the_breadcrumb_goes_back_any_number_of_levels(qtbot):
    window = window_with(qtbot, nested())
    view = window.canvas
    document = window.document
    double_click(view, "o")
    assert shown(view) == {"x", "m", "out"}
    double_click(view, "m")
    assert shown(view) == {"x", "fc", "act", "fc2", "out"}
    assert [c.text() for c in view.breadcrumb.crumbs] == ["t", "Outer", "MLPBlock"]
    assert shape_of(view, "fc") == "→ [3]"  # w=3 reaches MLPBlock's width through Outer
    assert not view.breadcrumb.crumbs[2].isEnabled()  # where we are

    click_crumb(view, 1)
    assert document.drawing is document.project.blocks.get("Outer").body
    assert [c.text() for c in view.breadcrumb.crumbs] == ["t", "Outer"]
    double_click(view, "m")
    click_crumb(view, 0)
    assert document.drawing is document.project
    assert shown(view) == {"x", "o", "out"}
    assert not view.breadcrumb.isVisible()


def test_escape_and_backspace_go_up_one_level(qtbot):
    window = window_with(qtbot, nested())
    view = window.canvas
    document = window.document
    double_click(view, "o")
    double_click(view, "m")
    view.setFocus()
    key(window, Qt.Key.Key_Escape)
    assert document.drawing is document.project.blocks.get("Outer").body
    view.canvas_scene.clearSelection()
    key(window, Qt.Key.Key_Backspace)  # nothing selected: up, nothing deleted
    assert document.drawing is document.project
    assert document.undo_stack.count() == 0
    key(window, Qt.Key.Key_Escape)  # at the top: stays
    assert document.drawing is document.project


def test_undoing_the_group_of_an_open_block_closes_it(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    document = window.document
    click(view, "b1")
    click(view, "b2", CTRL)
    view.setFocus()
    key(window, Qt.Key.Key_G, CTRL)
    view.canvas_scene.flush()
    (instance,) = window.selected_node_ids()
    double_click(view, instance)
    assert document.drawing is not document.project
    key(window, Qt.Key.Key_Z, CTRL)  # the block is gone: back to the project
    view.canvas_scene.flush()
    assert document.drawing is document.project
    assert shown(view) == {"x", "b1", "b2", "out"}


def test_double_clicking_a_plain_layer_still_renames_it(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    double_click(view, "x")
    assert window.document.drawing is window.document.project
    assert view.rename_editor() is not None


def test_the_context_menu_of_an_instance_opens_its_block(qtbot):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    window = window_with(qtbot, two_instances())
    view = window.canvas
    at = to_view(view, node_centre(view, "b2"))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), event)
    actions = {a.text(): a for a in view.context_menu.actions() if a.text()}
    actions["Open Block"].trigger()
    view.canvas_scene.flush()
    assert shape_of(view, "fc") == "→ [8]"
    view.context_menu.close()


def test_selecting_an_inner_node_marks_its_line_in_the_blocks_class(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    window.show_problems()
    window.bottom_tabs.setCurrentWidget(window.code)
    double_click(view, "b2")
    click(view, "fc2")
    lines = window.code.highlighted_lines()
    assert lines
    source = window.code.source().splitlines()
    assert all("nn.Linear(" in source[n - 1] for n in lines)
    assert window.code.block_lines[lines[0]] == ("MLPBlock", "fc2")


def test_grouping_inside_an_open_block_makes_a_nested_block(qtbot):
    window = window_with(qtbot, two_instances())
    view = window.canvas
    document = window.document
    before = snapshot(document)
    double_click(view, "b1")
    click(view, "act")
    click(view, "fc2", CTRL)
    view.setFocus()
    key(window, Qt.Key.Key_G, CTRL)
    view.canvas_scene.flush()
    body = document.project.blocks.get("MLPBlock").body
    (inner,) = [n for n in body.nodes if n.type in document.project.blocks]
    assert document.drawing is body and shown(view) == {"x", "fc", inner.id, "out"}
    assert document.project.validate().nodes["b2"].output_shapes == [(16,)]
    double_click(view, inner.id)
    assert [c.text() for c in view.breadcrumb.crumbs] == ["t", "MLPBlock", inner.type]
    assert shape_of(view, "fc2") == "→ [32]"  # opened from b1's inner instance
    key(window, Qt.Key.Key_Z, CTRL)
    view.canvas_scene.flush()
    assert snapshot(document) == before
    assert document.drawing is body  # the nested block went away with the undo


def test_clicking_a_problem_inside_blocks_opens_them_down_to_the_node_at_fault(qtbot):
    project = nested()
    project.blocks.get("MLPBlock").body.set_param("fc2", "out_features", "$width * 0")
    window = window_with(qtbot, project)
    window.refresh()
    panel = window.problems
    (item,) = [
        panel.topLevelItem(i)
        for i in range(panel.topLevelItemCount())
        if "o.m.fc2" in panel.topLevelItem(i).text(1)
    ]
    panel.scrollToItem(item)
    rect = panel.visualItemRect(item)
    at = QPoint(rect.left() + 4, rect.center().y())
    QTest.mouseClick(panel.viewport(), LEFT, NO_MODS, at)
    QTest.mouseDClick(panel.viewport(), LEFT, NO_MODS, at)
    document = window.document
    assert document.stack.path() == ["o", "m"]
    assert window.selected_node_ids() == ["fc2"]
    assert [c.text() for c in window.canvas.breadcrumb.crumbs] == ["t", "Outer", "MLPBlock"]
