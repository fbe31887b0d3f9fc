"""The breadcrumb over the canvas while a block is open: `Project › Stage › BasicBlock`.

Each crumb goes back to its level when clicked; the last one is where the canvas is. A note
says whose shapes the drawing shows and that edits reach every instance. Hidden at the top level.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from graph import Project
from gui.document import Document

translate = QCoreApplication.translate
MARGIN = 8


class BreadcrumbBar(QFrame):
    def __init__(self, document: Document, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("breadcrumb")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._document = document
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.setSpacing(2)
        self.crumbs: list[QToolButton] = []
        self.note = QLabel(self)
        self.note.setObjectName("muted")
        self._shown: tuple | None = None
        self.hide()

    def rebuild(self) -> None:
        """Follow the stack of open blocks (and the project's name)."""
        stack = self._document.stack
        levels = stack.levels
        key = (self._document.project.name, tuple((lv.instance_id, lv.block_name) for lv in levels))
        if key == self._shown:
            self._update_note()
            return
        self._shown = key
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None and widget is not self.note:
                widget.setParent(None)  # gone now, not at the next turn of the event loop
                widget.deleteLater()
        self.crumbs = []
        if not levels:  # at the top level there is no trail to show
            self.hide()
            return
        names = [self._document.project.name] + [lv.block_name for lv in levels]
        for depth, name in enumerate(names):
            if depth:
                arrow = QLabel("›", self)
                arrow.setObjectName("muted")
                self._layout.addWidget(arrow)
            crumb = QToolButton(self)
            crumb.setObjectName(f"crumb:{depth}")
            crumb.setText(name)
            crumb.setAutoRaise(True)
            crumb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            current = depth == len(levels)
            crumb.setEnabled(not current)
            if depth:
                crumb.setToolTip(
                    translate("Canvas", "Block {block}, opened from '{name}'").format(
                        block=name, name=levels[depth - 1].instance_id
                    )
                )
            crumb.clicked.connect(lambda _=False, d=depth: stack.go_to(d))
            self._layout.addWidget(crumb)
            self.crumbs.append(crumb)
        self._layout.addSpacing(8)
        self._layout.addWidget(self.note)
        self._update_note()
        self.setVisible(bool(levels))
        self.place()

    def _update_note(self) -> None:
        levels = self._document.stack.levels
        if not levels:
            return
        level = levels[-1]
        count = _instances(self._document.project, level.block_name)
        if count == 1:
            text = translate("Canvas", "shapes of '{name}', the only instance of this block")
        else:
            text = translate("Canvas", "shapes of '{name}' · edits apply to all {count} instances")
        self.note.setText(text.format(name=level.instance_id, count=count))
        self.adjustSize()

    def place(self) -> None:
        self.adjustSize()
        self.move(MARGIN, MARGIN)
        self.raise_()


def _instances(project: Project, block: str) -> int:
    """How many nodes anywhere in the project are instances of `block`."""
    drawings = [project, *(b.body for b in project.blocks)]
    return sum(1 for d in drawings for n in d.nodes if n.type == block)
