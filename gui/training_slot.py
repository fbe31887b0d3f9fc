"""The "Training" tab of the bottom panel, built the first time someone opens it.

The training panel pulls in pyqtgraph (and, for a run, torch): about a second and a half that the
editor does not spend at startup. Until the tab is opened it holds an empty placeholder.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from gui.document import Document

translate = QCoreApplication.translate


def default_training_panel(document: Document) -> QWidget:
    from gui.training.panel import TrainingPanel

    return TrainingPanel(document)


class TrainingSlot(QObject):
    """Owns the Training tab: a placeholder now, the real panel once the tab is first shown."""

    def __init__(
        self,
        tabs: QTabWidget,
        document: Document,
        factory: Callable[[Document], QWidget] = default_training_panel,
        title: str | None = None,
        on_built: Callable[[QWidget], None] | None = None,
    ) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self._document = document
        self._factory = factory
        self._on_built = on_built
        self.panel: QWidget | None = None
        self.placeholder = QWidget()
        self.placeholder.setObjectName("trainingPlaceholder")
        QVBoxLayout(self.placeholder)
        tabs.addTab(
            self.placeholder, translate("MainWindow", "Training") if title is None else title
        )
        tabs.currentChanged.connect(self._current_changed)

    def set_factory(self, factory: Callable[[Document], QWidget], title: str) -> None:
        """Build a different panel (only before the tab was first opened)."""
        if self.panel is None:
            self._factory = factory
            self._tabs.setTabText(self._tabs.indexOf(self.placeholder), title)

    def _current_changed(self, index: int) -> None:
        if self.panel is None and self._tabs.widget(index) is self.placeholder:
            self.build()

    def build(self) -> QWidget:
        """The training panel, made now if it was not yet."""
        if self.panel is None:
            panel = self._factory(self._document)
            self.panel = panel
            # The panel lives inside the placeholder: the tab keeps its place and title.
            layout = self.placeholder.layout()
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(panel)
            panel.show()  # a child added to a shown widget stays hidden until told
            if self._on_built is not None:
                self._on_built(panel)
        return self.panel

    def show(self) -> QWidget:
        panel = self.build()
        self._tabs.setCurrentWidget(self.placeholder)
        return panel
