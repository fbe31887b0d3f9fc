"""The problems list: every error and warning of the validation report; activating one asks the
window to select and centre its node."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from graph import Problem, Project, Report
from graph.fix_finder import has_candidates
from gui.icons import bulb_icon
from gui.retranslate import OWN_ITEM_TEXTS
from gui.theme import colors
from i18n import localize

translate = QCoreApplication.translate

NODE_ROLE = Qt.ItemDataRole.UserRole + 1


def _badge(color: str, glyph: str) -> QIcon:
    pm = QPixmap(32, 32)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 28, 28)
    painter.setPen(QColor("#ffffff"))
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(20)
    painter.setFont(font)
    painter.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pm)


class ProblemsPanel(QTreeWidget):
    nodeActivated = Signal(str)  # the node a clicked problem is about
    pathActivated = Signal(str)  # a clicked problem inside a block: its path (`b1.fc2`)
    fixesRequested = Signal(object, QPoint)  # a problem's light bulb was clicked (global pos)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.setColumnCount(3)
        self.setHeaderLabels([self.tr("Layer"), self.tr("Problem"), ""])  # the bulbs: no title
        self.setProperty(OWN_ITEM_TEXTS, True)  # node names are data; set_report says the rest
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(1, self.header().ResizeMode.Stretch)
        self.setColumnWidth(0, 150)
        self.setColumnWidth(2, 28)
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)
        self._problems: list[Problem] = []
        # The last run's failure (node or None, sentence): shown under the drawing's problems
        # until the next run starts or another project is opened.
        self.run_failure: tuple[str | None, str] | None = None
        self._project: Project | None = None

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def set_report(self, project: Project, report: Report, force: bool = False) -> None:
        # Rebuilding only when the list changed keeps the selection and scroll position steady.
        if project is not self._project:
            self.run_failure = None  # it was about another project
        elif not force and report.problems == self._problems and self.topLevelItemCount():
            return
        self._project = project
        self._problems = list(report.problems)
        self._rebuild()

    def set_run_failure(self, node_id: str | None, message: str) -> None:
        """Show why the last run failed, on the node it names (selected with a click)."""
        self.run_failure = (node_id, message)
        self._rebuild()

    def clear_run_failure(self) -> None:
        if self.run_failure is not None:
            self.run_failure = None
            self._rebuild()

    def _name(self, node_id: str | None) -> str:
        project = self._project
        if node_id and project is not None and project.has_node(node_id):
            return project.node(node_id).name
        return ""

    def _rebuild(self) -> None:
        self.clear()
        theme = colors()
        icons = {"error": _badge(theme.error, "!"), "warning": _badge(theme.warning, "?")}
        project = self._project
        for problem in self._problems:
            text = localize(problem.message)
            item = QTreeWidgetItem(
                [self._name(problem.node) or translate("ProblemsPanel", "project"), text]
            )
            item.setIcon(0, icons[problem.severity])
            item.setToolTip(1, text)
            item.setData(0, NODE_ROLE, problem.node)
            if project is not None and has_candidates(project, problem):
                item.setIcon(2, bulb_icon())
                item.setToolTip(2, translate("ProblemsPanel", "Fixes (Ctrl+.)"))
            self.addTopLevelItem(item)
        if self.run_failure is not None:
            node_id, message = self.run_failure
            text = self.tr("Training failed: {message}").format(message=localize(message))
            item = QTreeWidgetItem([self._name(node_id) or "project", text])
            item.setIcon(0, icons["error"])
            item.setToolTip(1, text)
            item.setData(0, NODE_ROLE, node_id)
            self.addTopLevelItem(item)
        if not self._problems and self.run_failure is None:
            item = QTreeWidgetItem(
                ["", translate("ProblemsPanel", "No problems: every wire fits.")]
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addTopLevelItem(item)

    def problem_of(self, item: QTreeWidgetItem) -> Problem | None:
        index = self.indexOfTopLevelItem(item)
        return self._problems[index] if 0 <= index < len(self._problems) else None

    def _clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        problem = self.problem_of(item)
        if column == 2 and not item.icon(2).isNull() and problem is not None:
            rect = self.visualItemRect(item)
            self.fixesRequested.emit(problem, self.viewport().mapToGlobal(rect.bottomRight()))
            return
        if problem is not None and problem.path:
            self.pathActivated.emit(problem.path)
            return
        node = item.data(0, NODE_ROLE)
        if node:
            self.nodeActivated.emit(node)
