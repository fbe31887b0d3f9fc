"""Where the editor offers fixes: a light bulb on node badges, the Problems list and the
inspector, and Ctrl+. for the selected problem or node. Each fix is one undoable step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, QSize, Qt
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from graph import Problem
from graph.block_fixes import fixes_inside
from graph.fix_finder import fixes_for
from graph.fixes import Fix
from gui.icons import bulb_icon
from i18n import localize

if TYPE_CHECKING:
    from gui.document import Document
    from gui.main_window import MainWindow

translate = QCoreApplication.translate


def offered(document: Document, problems: list[Problem]) -> list[Fix]:
    """The fixes of `problems` in the drawing shown, in order, without repeats (two problems
    may share one). In an opened block they are edits of its definition, tried through the
    instance it was opened from."""
    found: list[Fix] = []
    titles: set[str] = set()
    path = document.stack.path()
    for problem in problems:
        if path:
            fixes = fixes_inside(document.project, path, problem)
        else:
            fixes = fixes_for(document.project, problem)
        for fix in fixes:
            if fix.title not in titles:
                titles.add(fix.title)
                found.append(fix)
    return found


def fix_menu(document: Document, problems: list[Problem], parent: QWidget) -> QMenu:
    """A menu with one action per fix; choosing one applies it as one undo step."""
    menu = QMenu(parent)
    menu.setObjectName("fixMenu")
    fixes = offered(document, problems)
    for fix in fixes:
        action = menu.addAction(bulb_icon(), localize(fix.title))
        action.triggered.connect(lambda _=False, f=fix: document.apply_fix(f))
    if not fixes:
        menu.addAction(translate("Fixes", "No fix to offer")).setEnabled(False)
    return menu


class FixesBox(QWidget):
    """The inspector's fixes for the node it shows: one button per fix."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fixesBox")
        self.document = document
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.buttons: list[QPushButton] = []
        self._shown: tuple | None = None

    def show_node(self, node_id: str) -> None:
        report = self.document.drawing_report()
        nr = report.nodes.get(node_id)
        problems = list(nr.problems) if nr else []
        key = (id(report), node_id, self.document.read_only)
        if key == self._shown:
            return
        self._shown = key
        for i in reversed(range(self._layout.count())):
            widget = self._layout.itemAt(i).widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        fixes = offered(self.document, problems) if problems else []
        if fixes:
            self._layout.addWidget(QLabel(translate("Fixes", "Fixes")))
        for i, fix in enumerate(fixes):
            button = FixButton(localize(fix.title), self)
            button.setObjectName(f"fix:{i}")
            button.setEnabled(not self.document.read_only)
            button.clicked.connect(lambda _=False, f=fix: self.document.apply_fix(f))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(fixes))


class FixButton(QPushButton):
    """A fix's button whose title wraps: a fix names the node and the value ("Set in_features
    of 'fc1' to 400 (what arrives)"), and one long title must not widen the whole inspector
    past its dock, clipping every field in it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        self.setToolTip(title)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        icon = QLabel(self)
        icon.setPixmap(bulb_icon().pixmap(16, 16))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel(title, self)
        self.label.setWordWrap(True)
        for child in (icon, self.label):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(child)
        layout.setStretch(1, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def text(self) -> str:  # the title, as a plain QPushButton would give it
        return self.label.text()

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self.layout().minimumSize().height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().totalHeightForWidth(width)


def install(window: MainWindow) -> QAction:
    """Ctrl+. and the light bulbs of the badges and the Problems list, wired to fix menus."""
    action = QAction(translate("Menu", "Show &Fixes"), window)
    action.setObjectName("showFixes")
    action.setShortcut(QKeySequence("Ctrl+."))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _=False: show_fixes(window))
    window.addAction(action)
    window.problems.fixesRequested.connect(lambda problem, pos: _popup(window, [problem], pos))
    window.canvas.scene().fixesRequested.connect(
        lambda node_id, pos: _popup(window, _node_problems(window, [node_id]), pos)
    )
    return action


def show_fixes(window: MainWindow) -> QMenu | None:
    """The fixes of the problem selected in the Problems list, else of the selected nodes."""
    panel = window.problems
    item = panel.currentItem()
    if panel.hasFocus() and item is not None:
        problem = panel.problem_of(item)
        if problem is not None:
            rect = panel.visualItemRect(item)
            return _popup(window, [problem], panel.viewport().mapToGlobal(rect.bottomLeft()))
    ids = window.selected_node_ids()
    if not ids:
        return None
    return _popup(window, _node_problems(window, ids), QCursor.pos())


def _node_problems(window: MainWindow, ids: list[str]) -> list[Problem]:
    report = window.document.drawing_report()
    return [p for nid in ids if nid in report.nodes for p in report.nodes[nid].problems]


def _popup(window: MainWindow, problems: list[Problem], pos: QPoint) -> QMenu:
    menu = fix_menu(window.document, problems, window)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.fix_menu = menu  # the open menu, for keyboard users and tests
    menu.popup(pos)
    return menu
