"""The user block library in the editor: a project's block is saved from the palette, listed
under My blocks in every project, added to another project (its definition copied in, one undo
step), renamed and deleted from the palette. The library is a temporary folder here."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from graph import Project, project_to_dict
from tests.gui.test_block_navigation import nested, two_instances, window_with
from tests.gui.window_helpers import make_window
from tests.gui.window_helpers import press as key

LEFT = Qt.MouseButton.LeftButton


def entry(window, title: str, text: str):
    """The palette entry `text` under the category `title`, scrolled into view."""
    tree = window.palette.tree
    for i in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(i)
        if parent.text(0) == title:
            for j in range(parent.childCount()):
                if parent.child(j).text(0) == text:
                    tree.scrollToItem(parent.child(j))
                    return parent.child(j)
    raise AssertionError(f"no {text} under {title}")


def point_on(window, item) -> QPoint:
    rect = window.palette.tree.visualItemRect(item)
    return QPoint(rect.left() + 4, rect.center().y())  # on the text, even in a narrow dock


def palette_menu(window, title: str, text: str) -> dict:
    """Right-click the palette entry; the menu's actions by text."""
    viewport = window.palette.tree.viewport()
    at = point_on(window, entry(window, title, text))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, viewport.mapToGlobal(at))
    QApplication.sendEvent(viewport, event)
    return {a.text(): a for a in window.palette.context_menu.actions() if a.text()}


def category(window, title: str) -> list[str]:
    tree = window.palette.tree
    for i in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(i)
        if parent.text(0) == title:
            return [parent.child(j).text(0) for j in range(parent.childCount())]
    return []


def double_click_entry(window, title: str, text: str) -> None:
    viewport = window.palette.tree.viewport()
    at = point_on(window, entry(window, title, text))
    QTest.mouseClick(viewport, LEFT, Qt.KeyboardModifier.NoModifier, at)  # as a person does
    QTest.mouseDClick(viewport, LEFT, Qt.KeyboardModifier.NoModifier, at)


def test_a_block_saved_from_one_project_is_added_to_another(qtbot, own_block_library):
    window = window_with(qtbot, nested())
    assert category(window, "My blocks") == []
    actions = palette_menu(window, "Blocks", "Outer")
    actions["Save to My blocks"].trigger()
    saved = own_block_library / "Outer.block.json"
    assert json.loads(saved.read_text())["block"] == "Outer"
    assert category(window, "My blocks") == ["Outer"]
    outer = project_to_dict(window.document.project)["blocks"]

    other = make_window(qtbot)  # another project, another window: the library is the same
    other.document.replace_project(Project("other"))
    assert category(other, "My blocks") == ["Outer"]
    assert category(other, "Blocks") == []
    steps = other.document.undo_stack.count()
    double_click_entry(other, "My blocks", "Outer")
    project = other.document.project
    assert set(project.blocks.names()) == {"MLPBlock", "Outer"}
    assert project_to_dict(project)["blocks"] == outer
    (instance,) = [n for n in project.nodes if n.type == "Outer"]
    assert other.selected_node_ids() == [instance.id]
    assert category(other, "Blocks") == ["MLPBlock", "Outer"]
    assert other.document.undo_stack.count() == steps + 1
    other.canvas.setFocus()
    key(other, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.nodes == [] and project.blocks.names() == []


def test_library_blocks_are_renamed_and_deleted_from_the_palette(qtbot, own_block_library):
    window = window_with(qtbot, two_instances())
    palette_menu(window, "Blocks", "MLPBlock")["Save to My blocks"].trigger()
    assert category(window, "My blocks") == ["MLPBlock"]
    assert set(palette_menu(window, "Blocks", "MLPBlock")) == {"Save to My blocks"}
    window.dialogs.text_answer = "Hidden"
    palette_menu(window, "My blocks", "MLPBlock")["Rename…"].trigger()
    assert category(window, "My blocks") == ["Hidden"]
    assert (own_block_library / "Hidden.block.json").exists()
    assert not (own_block_library / "MLPBlock.block.json").exists()

    window.dialogs.confirm_answer = False
    palette_menu(window, "My blocks", "Hidden")["Delete from My blocks"].trigger()
    assert category(window, "My blocks") == ["Hidden"]  # answered no: kept
    window.dialogs.confirm_answer = True
    palette_menu(window, "My blocks", "Hidden")["Delete from My blocks"].trigger()
    assert category(window, "My blocks") == []
    assert list(own_block_library.iterdir()) == []
    assert "MLPBlock" in window.document.project.blocks  # the project keeps its own


def test_a_broken_library_file_is_refused_with_one_line_naming_it(qtbot, own_block_library):
    (own_block_library / "Broken.block.json").write_text("{oops")
    window = make_window(qtbot)
    window.document.replace_project(Project("p"))
    assert category(window, "My blocks") == ["Broken"]
    double_click_entry(window, "My blocks", "Broken")
    ((_title, text),) = window.dialogs.errors
    assert "Broken.block.json" in text and "\n" not in text
    assert window.document.project.nodes == []
    assert window.document.undo_stack.count() == 0


def test_renaming_to_a_bad_name_says_why_and_keeps_the_block(qtbot, own_block_library):
    window = window_with(qtbot, two_instances())
    palette_menu(window, "Blocks", "MLPBlock")["Save to My blocks"].trigger()
    window.dialogs.text_answer = "Linear"
    window.library.rename("MLPBlock")
    ((_, text),) = window.dialogs.errors
    assert "already a layer type" in text
    assert category(window, "My blocks") == ["MLPBlock"]
