"""The palette: every layer by category with its tooltip, search, and adding layers by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt

from graph import Edge, all_specs
from gui.canvas.layout import ROW_PITCH
from gui.mime import LAYER_MIME
from gui.palette import PaletteWidget
from tests.gui.window_helpers import copy_example, isolate, make_window, press


def _click_point(tree, item):
    tree.scrollToItem(item)
    return tree.visualItemRect(item).center()


def test_every_layer_spec_is_listed_under_its_category_with_its_doc_as_tooltip(qtbot):
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    for spec in all_specs():
        item = palette.item_for(spec.type)
        assert item is not None, spec.type
        assert item.parent().text(0) == spec.category
        assert spec.doc.split(":")[0] in item.toolTip(0)


def test_search_keeps_only_matching_layers_and_hides_empty_categories(qtbot):
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    qtbot.keyClicks(palette.search, "conv")
    shown = palette.visible_layers()
    assert "Conv2d" in shown and "ReLU" not in shown and "Linear" not in shown
    assert palette.item_for("ReLU").parent().isHidden()

    palette.search.clear()
    assert len(palette.visible_layers()) == len(all_specs())


def test_ctrl_f_focuses_the_search_box(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.activateWindow()
    qtbot.waitActive(window)
    press(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.palette.search.hasFocus(), timeout=2000)


def test_double_click_adds_the_layer_after_the_selected_node_wired_to_it(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.select_nodes(["flat"])
    tree = window.palette.tree
    item = window.palette.item_for("Dropout") or window.palette.item_for("Identity")

    point = _click_point(tree, item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)  # as a person does:
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)  # click, double-click

    project = window.document.project
    new_id = window.selected_node_ids()[0]
    assert project.node(new_id).type == item.text(0)
    assert Edge("flat", new_id) in project.edges
    window.act.undo.trigger()  # node and wire were one step
    assert not project.has_node(new_id) and len(project.edges) == 9


def test_typing_a_name_and_enter_adds_it_unwired_when_nothing_is_selected(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    qtbot.keyClicks(window.palette.search, "linear")
    qtbot.keyClick(window.palette.search, Qt.Key.Key_Return)

    (node,) = window.document.project.nodes
    assert node.type == "Linear" and node.params == {"out_features": 10}
    assert window.selected_node_ids() == [node.id]


def test_enter_on_a_layer_in_the_tree_adds_it(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    tree = window.palette.tree
    tree.setCurrentItem(window.palette.item_for("Input"))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert [n.type for n in window.document.project.nodes] == ["Input"]


def test_nothing_is_wired_after_an_output(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    window.select_nodes(["out"])
    new_id = window.add_layer("ReLU")
    assert window.document.project.in_edges(new_id) == []


def test_dragging_a_layer_carries_its_type_name(qtbot):
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    data = palette.tree.mimeData([palette.item_for("Conv2d")])
    assert bytes(data.data(LAYER_MIME).data()).decode() == "Conv2d"
    assert palette.tree.mimeData([palette.item_for("Conv2d").parent()]).formats() == []


def test_the_drag_image_names_the_layer(qtbot):
    from gui.palette import _drag_chip

    palette = PaletteWidget()
    qtbot.addWidget(palette)
    chip = _drag_chip("Conv2d", "#7c3aed", palette.tree)
    assert chip.width() > palette.tree.fontMetrics().horizontalAdvance("Conv2d")
    left_edge = chip.toImage().pixelColor(4, chip.height() // 2)
    assert left_edge.name() == "#7c3aed"


def test_escape_clears_the_search_and_down_moves_into_the_list(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.activateWindow()
    qtbot.waitActive(window)
    palette = window.palette
    palette.focus_search()
    qtbot.keyClicks(palette.search, "relu")
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    qtbot.waitUntil(palette.tree.hasFocus)
    assert palette.tree.currentItem().text(0) == "ReLU"
    palette.focus_search()
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    assert palette.search.text() == "" and len(palette.visible_layers()) == len(all_specs())


def test_enter_in_the_search_inserts_between_the_selected_layer_and_its_successor(
    qtbot, tmp_path, monkeypatch
):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.files.open_path(copy_example(tmp_path))
    project = window.document.project
    (onward,) = project.out_edges("conv1")
    successor = onward.target
    before_pos = project.node(successor).pos
    window.select_nodes(["conv1"])
    window.palette.focus_search()
    qtbot.keyClicks(window.palette.search, "batchnorm2d")
    qtbot.keyClick(window.palette.search, Qt.Key.Key_Return)

    new_id = window.selected_node_ids()[0]
    assert project.node(new_id).type == "BatchNorm2d"
    assert project.in_edges(new_id) == [Edge("conv1", new_id)]
    assert project.out_edges(new_id) == [Edge(new_id, successor, 0, onward.target_port)]
    assert Edge("conv1", successor) not in project.edges
    # Laid out: the new layer sits a row below conv1, the successor moved a row further down.
    above, new, below = (project.node(n).pos for n in ("conv1", new_id, successor))
    assert above[0] == new[0] == below[0]
    assert above[1] < new[1] and below[1] == before_pos[1] + ROW_PITCH
    assert below[1] - new[1] >= ROW_PITCH - 1
    assert all(problem.node != new_id for problem in project.validate().errors)
    window.act.undo.trigger()  # one step
    assert not project.has_node(new_id) and project.node(successor).pos == before_pos


def test_ctrl_z_in_the_search_box_undoes_the_drawing(qtbot, tmp_path, monkeypatch):
    isolate(monkeypatch, tmp_path)
    window = make_window(qtbot)
    window.activateWindow()
    qtbot.waitActive(window)
    search = window.palette.search
    window.palette.focus_search()
    qtbot.keyClicks(search, "relu")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert [n.type for n in window.document.project.nodes] == ["ReLU"]
    window.palette.focus_search()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClick(search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.project.nodes == []
    qtbot.keyClick(search, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert [n.type for n in window.document.project.nodes] == ["ReLU"]


def test_the_search_box_and_the_list_have_accessible_names(qtbot):
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    assert palette.search.accessibleName() == "Search layers"
    assert palette.tree.accessibleName() == "Layers"


def test_rows_take_the_themes_padding_from_the_first_time_the_palette_is_shown(qtbot):
    from PySide6.QtWidgets import QApplication

    from gui.theme import apply_theme

    apply_theme(QApplication.instance(), "light")  # as the editor starts: theme, then window
    palette = PaletteWidget()
    qtbot.addWidget(palette)
    palette.show()
    qtbot.waitExposed(palette)
    tree = palette.tree
    first_layer = tree.topLevelItem(0).child(0)
    shown = tree.visualItemRect(first_layer).height()
    tree.setUniformRowHeights(False)  # what the style sheet asks for, row by row
    qtbot.waitUntil(lambda: tree.visualItemRect(first_layer).height() != 0)
    assert shown >= tree.visualItemRect(tree.topLevelItem(0)).height() - 1
    assert shown >= tree.fontMetrics().height() + 6  # the item padding: 3 px each side
