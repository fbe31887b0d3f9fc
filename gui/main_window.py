"""The editor window: palette (left), canvas (centre), inspector (right), problems and code
(bottom tabs, where the training panel also goes), and a status bar with validity, total
parameters and zoom.

The window wires views to the Document and to each other; it edits nothing itself.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolButton,
    QWidget,
)

import i18n
from graph import Edge, Project
from graph.block_library import LibraryError
from graph.events import BlockAdded, BlockRemoved, ProjectEvent
from gui import fix_views
from gui.block_library_view import LibraryActions
from gui.canvas.layout import ROW_PITCH
from gui.canvas.style import NODE_WIDTH
from gui.canvas.view import CanvasView
from gui.code_trust import CodeTrust
from gui.code_view import CodePreview
from gui.dialogs import Dialogs
from gui.document import Document
from gui.explain_view import CostLabel
from gui.files import UNTITLED, FileController
from gui.inspector import InspectorPanel
from gui.language import apply_language
from gui.mime import library_name
from gui.palette import PaletteWidget
from gui.problems_panel import ProblemsPanel
from gui.recovery import Autosaver, find_recoveries
from gui.retranslate import retranslate
from gui.settings import AppSettings
from gui.theme import apply_theme
from gui.training.collector import shared_collector
from gui.training_slot import TrainingSlot
from gui.window_actions import WindowActions
from i18n import localize, message_of

translate = QCoreApplication.translate

LAYOUT_VERSION = 1
# When a run starts, the bottom dock grows to at least this share of the window's height: below
# it the live plots of a small window are squeezed to their titles.
RUN_DOCK_SHARE = 0.6


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings | None = None,
        dialogs: Dialogs | None = None,
        examples_dir: Path | None = None,
    ) -> None:
        super().__init__()
        # only the GUI thread collects cycles from now on (see gui.training.collector)
        shared_collector().install()
        self.setObjectName("mainWindow")
        self.settings = settings or AppSettings()
        self.dialogs = dialogs or Dialogs()
        self.document = Document(parent=self)
        self.files = FileController(self.document, self.settings, self.dialogs, self, examples_dir)
        self.autosaver = Autosaver(self.document)
        self._project: Project | None = None
        self._shown_language = i18n.language()  # what the window's texts are in

        self.canvas = CanvasView(self.document, self)
        self.canvas.setFrameShape(QFrame.Shape.NoFrame)  # the docks' separators frame it
        self.setCentralWidget(self.canvas)
        self.palette = PaletteWidget(self)
        self.palette_dock = self._dock(
            translate("MainWindow", "Layers"), "paletteDock", self.palette
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.palette_dock)
        self.inspector = InspectorPanel(self.document, self)
        self.inspector_dock = self._dock(
            translate("MainWindow", "Inspector"), "inspectorDock", self.inspector
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)
        self.problems = ProblemsPanel(self)
        self.code = CodePreview(self)
        self.bottom_tabs = QTabWidget(self)
        self.bottom_tabs.setObjectName("bottomTabs")
        self.bottom_tabs.setDocumentMode(True)
        self.bottom_tabs.tabBar().setDrawBase(False)  # its base line ignores the dark palette
        self.bottom_tabs.addTab(self.problems, translate("MainWindow", "Problems"))
        self.bottom_tabs.addTab(self.code, translate("MainWindow", "Code"))
        self.bottom_dock = self._dock(
            translate("MainWindow", "Output"), "bottomDock", self.bottom_tabs
        )
        self.bottom_dock.setTitleBarWidget(QWidget())  # the tabs are title enough
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.bottom_dock)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.training = TrainingSlot(
            self.bottom_tabs, self.document, on_built=self._training_panel_built
        )

        self._build_status_bar()
        self.code_trust = CodeTrust(self.document, self.settings, self.dialogs, self)
        self.files.opened.connect(self.code_trust.opened)
        self.files.exported.connect(self._show_status)
        self.library = LibraryActions(
            self.document, self.palette, self.dialogs, self, self._show_status
        )
        self.act = WindowActions(self)
        for dock in (self.palette_dock, self.inspector_dock, self.bottom_dock):
            self.act.add_panel_toggle(dock.toggleViewAction())

        # Many events from one edit (a macro) cost one refresh.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

        self.document.projectReplaced.connect(self._watch)
        self.document.drawingChanged.connect(lambda _drawing: self.inspector.refresh())
        self.document.pathChanged.connect(self._path_changed)
        self.document.undo_stack.cleanChanged.connect(self._clean_changed)
        self.document.readOnlyChanged.connect(self._read_only_changed)
        self.canvas.selectionChanged.connect(self._selection_changed)
        self.canvas.zoomChanged.connect(self._zoom_changed)
        self.canvas.statusMessage.connect(self._show_status)
        self.palette.layerActivated.connect(self.add_layer)
        self.problems.nodeActivated.connect(self.reveal_node)
        self.problems.pathActivated.connect(self.reveal_path)
        self.fix_menu: QMenu | None = None  # the open fix menu (Ctrl+., a light bulb)
        self.show_fixes = fix_views.install(self)

        self._default_size()
        self._restore_layout()
        self._watch(self.document.project)

    def _default_size(self) -> None:
        """1440×900, or 90% of a smaller screen (a restored layout overrides it)."""
        screen = QApplication.primaryScreen()
        width, height = 1440, 900
        if screen is not None:
            free = screen.availableGeometry()
            width = min(width, int(free.width() * 0.9))
            height = min(height, int(free.height() * 0.9))
        self.resize(width, height)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState() keys docks by object name
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.validity_label = QToolButton(self)
        self.validity_label.setObjectName("validity")
        self.validity_label.setAutoRaise(True)
        self.validity_label.setToolTip(translate("MainWindow", "Show the problems"))
        self.validity_label.clicked.connect(self.show_problems)
        self.params_label = QLabel(self)
        self.params_label.setObjectName("totalParams")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoom")
        bar.addPermanentWidget(self.validity_label)
        bar.addPermanentWidget(self.params_label)
        self.cost_label = CostLabel(self)
        bar.addPermanentWidget(self.cost_label)
        bar.addPermanentWidget(self.zoom_label)
        self._zoom_changed(self.canvas.zoom_percent())

    # --- the open project ----------------------------------------------------------------------

    def _watch(self, project: Project) -> None:
        if self._project is not None:
            self._project.unsubscribe(self._project_changed)
        self._project = project
        project.subscribe(self._project_changed)
        self.palette.set_blocks(project.blocks.names())
        self.code.set_project(project)
        self.inspector.show_nodes([])
        self.refresh()
        if project.nodes:
            QTimer.singleShot(0, self.canvas.fit_to_view)

    def _project_changed(self, event: ProjectEvent) -> None:
        if isinstance(event, BlockAdded | BlockRemoved) and self._project is not None:
            self.palette.set_blocks(self._project.blocks.names())
        self._refresh_timer.start()
        self.code.schedule()

    def refresh(self) -> None:
        """Bring the panels and the status bar up to date with the model."""
        self._refresh_timer.stop()
        project = self.document.project
        report = project.validate()
        self.problems.set_report(project, report)
        self.inspector.refresh()
        errors, warnings = len(report.errors), len(report.warnings)
        if errors == 1:
            text, state = translate("MainWindow", "✗  1 error"), "error"
        elif errors:
            text = translate("MainWindow", "✗  {count} errors").format(count=errors)
            state = "error"
        elif warnings == 1:
            text, state = translate("MainWindow", "⚠  1 warning"), "warning"
        elif warnings:
            text = translate("MainWindow", "⚠  {count} warnings").format(count=warnings)
            state = "warning"
        else:
            text, state = translate("MainWindow", "✓  Valid"), "ok"
        if not project.nodes:
            text, state = translate("MainWindow", "Empty drawing"), "muted"
        self.validity_label.setText(text)
        self.validity_label.setProperty("state", state)
        self.validity_label.setStyleSheet(f"color: {_state_color(state)}; font-weight: 600;")
        self.params_label.setText(
            translate("MainWindow", "{total_params:,} parameters").format(
                total_params=report.total_params
            )
        )
        self.cost_label.show_totals(project, report)
        self._update_title()

    def _path_changed(self, path: object) -> None:
        self._update_title()

    def _clean_changed(self, clean: bool) -> None:
        # Uses the signal's value: the stack may be mid-destruction when it says so.
        self._update_title(modified=not clean)

    def _update_title(self, modified: bool | None = None) -> None:
        if modified is None:
            modified = self.document.is_modified()
        mark = " *" if modified else ""
        name = self.document.project.name
        if name == UNTITLED and self.document.path is None:
            name = translate("MainWindow", "Untitled")  # a new drawing, not one so named
        self.setWindowTitle(
            translate("MainWindow", "Netwright — {name}{mark}").format(name=name, mark=mark)
        )

    # --- selection and navigation --------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        return list(self.canvas.selected_node_ids())

    def select_nodes(self, ids: list[str]) -> None:
        self.canvas.select_nodes(ids)
        self._selection_changed(self.selected_node_ids())

    def select_all(self) -> None:
        self.select_nodes([n.id for n in self.document.drawing.nodes])

    def _selection_changed(self, ids: list[str]) -> None:
        ids = list(ids)
        self.inspector.show_nodes(ids)
        self.code.highlight_nodes(ids, block=self.document.drawing.block_name)
        editable = not self.document.read_only
        for action in self.act.needs_selection:
            action.setEnabled(bool(ids) and (action is self.act.copy or editable))

    def show_problems(self) -> None:
        self.bottom_dock.show()
        self.bottom_tabs.setCurrentWidget(self.problems)

    def reveal_node(self, node_id: str) -> None:
        """Select a node and bring it into view (problems list, search)."""
        if self.document.drawing is not self.document.project:
            self.document.stack.go_to(0)  # the problems list names the project's own nodes
        if not self.document.project.has_node(node_id):
            return
        self.select_nodes([node_id])
        self.canvas.center_on_node(node_id)

    def reveal_path(self, path: str) -> None:
        """Open the blocks down to a problem inside them (`layer2.0.conv1`: instance layer2,
        copy 0, node conv1) and select the node at fault."""
        stack = self.document.stack
        stack.go_to(0)
        parts = path.split(".")
        target, rest = parts[0], parts[1:]
        while rest:
            drawing = self.document.drawing
            repeated = drawing.has_node(target) and drawing.node(target).repeat not in (None, 1)
            if not stack.open(target):
                break  # a repeated layer: the copy number is all that follows
            if repeated and rest[0].isdigit():
                rest = rest[1:]  # which copy: the drawing shows the first one's shapes
            if not rest:
                break
            target, rest = rest[0], rest[1:]
        if self.document.drawing.has_node(target):
            self.select_nodes([target])
            self.canvas.center_on_node(target)

    def rename_selected(self) -> None:
        """Rename in place on the canvas (the inspector's Name field does the same)."""
        if len(self.selected_node_ids()) == 1:
            self.canvas.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.canvas.rename_selected()

    def group_selected(self) -> None:
        """Edit › Group into Block (Ctrl+G); why not, in the status bar, when it cannot be."""
        problem = self.canvas.group_selection()
        if problem:
            self._show_status(problem)

    def ungroup_selected(self) -> None:
        problem = self.canvas.ungroup_selection()
        if problem:
            self._show_status(problem)

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def zoom_by(self, factor: float) -> None:
        self.canvas.set_zoom(round(self.canvas.zoom_percent() * factor))

    def _zoom_changed(self, percent: int) -> None:
        self.zoom_label.setText(f"{percent}%")

    # --- adding layers -------------------------------------------------------------------------

    def add_layer(self, layer_type: str) -> str | None:
        """Add a layer from the palette after the selected node, wired to it, and select it.

        Between the selected node and its only successor it is inserted on that wire, and the
        nodes below it in its column move down a row to make room (one undo step).
        """
        project = self.document.drawing
        selected = [n for n in self.selected_node_ids() if project.has_node(n)]
        library = library_name(layer_type)
        after = selected[-1] if len(selected) == 1 else None
        if after is not None:
            spec = project.spec(project.node(after).type)
            if spec is not None and not spec.outputs:
                after = None  # an Output has nothing to wire onward
        pos = self._position_for(after)
        if library is not None:  # a block of the user's library: its definition comes along
            try:
                node_id = self.document.add_from_library(library, pos, after=after)
            except LibraryError as exc:
                self.dialogs.error(self, self.tr("Cannot add the block"), localize(message_of(exc)))
                return None
            if node_id is not None:
                self.select_nodes([node_id])
            return node_id
        new_spec = project.spec(layer_type)
        onward = project.out_edges(after) if after is not None else []
        if len(onward) == 1 and new_spec is not None and new_spec.inputs and new_spec.outputs:
            node_id = self._insert_after(layer_type, onward[0], pos)
        else:
            node_id = self.document.add_node(layer_type, pos, after=after)
        if node_id is not None:
            self.select_nodes([node_id])
            self.canvas.center_on_node(node_id)
        return node_id

    def _insert_after(
        self, layer_type: str, edge: Edge, pos: tuple[float, float] | None
    ) -> str | None:
        project = self.document.drawing
        name = project.node(edge.source).name
        with self.document.macro(
            translate("MainWindow", "Insert {layer_type} after '{name}'").format(
                layer_type=layer_type, name=name
            )
        ):
            if pos is not None:
                x, y = pos
                below = {
                    n.id: (n.pos[0], n.pos[1] + ROW_PITCH)
                    for n in project.nodes
                    if n.pos is not None and abs(n.pos[0] - x) < NODE_WIDTH and n.pos[1] >= y - 1
                }
                if below:
                    self.document.move_nodes(below)
            return self.document.insert_on_wire(layer_type, edge, pos)

    def _position_for(self, after: str | None) -> tuple[float, float] | None:
        if after is not None:
            pos = self.document.drawing.node(after).pos
            if pos is not None:
                return (pos[0], pos[1] + ROW_PITCH)  # one canvas row below it
        centre = self.canvas.mapToScene(self.canvas.viewport().rect().center())
        return (round(centre.x()), round(centre.y()))

    # --- training panel ------------------------------------------------------------------------

    @property
    def training_panel(self) -> QWidget | None:
        """The training panel once built (the Training tab builds it when first opened)."""
        return self.training.panel

    def add_training_panel(self, widget: QWidget, title: str | None = None) -> None:
        """Use `widget` as the training panel (instead of gui.training's TrainingPanel)."""
        title = translate("MainWindow", "Training") if title is None else title
        self.training.set_factory(lambda _document: widget, title)

    def show_training_panel(self) -> QWidget:
        self.bottom_dock.show()
        return self.training.show()

    def start_training(self) -> None:
        panel = self.show_training_panel()
        start = getattr(panel, "start", None)
        if callable(start):
            start()

    def start_training_on_processes(self) -> None:
        """Training › Run on N Processes…: the exported script under torchrun, N processes."""
        count = self.files.dialogs.number(
            self,
            translate("MainWindow", "Run on several processes"),
            translate("MainWindow", "Processes (torchrun --nproc_per_node):"),
            2,
            2,
            256,
        )
        panel = self.show_training_panel()
        start = getattr(panel, "start", None)
        if count is not None and callable(start):
            start(nproc=count)

    def resume_run(self) -> None:
        """Training › Resume Run…: the History tab, the latest stopped run chosen to go on."""
        chooser = getattr(self.show_training_panel(), "choose_run_to_resume", None)
        if callable(chooser):
            chooser()

    def choose_start_weights(self) -> None:
        """Training › Start from Weights…: the panel's file dialog; its runs load that file."""
        panel = self.show_training_panel()
        row = getattr(panel, "start_weights", None)
        if row is not None:
            row.choose()

    def find_learning_rate(self) -> None:
        """Training › Find Learning Rate…: the panel's range test."""
        finder = getattr(self.show_training_panel(), "find_learning_rate", None)
        if callable(finder):
            finder()

    def show_sample_view(self) -> None:
        """Train › Sample Through the Network: the Sample dock, beside the inspector."""
        samples = getattr(self.show_training_panel(), "samples", None)
        if samples is not None:
            samples.dock.show()
            samples.dock.raise_()

    def _training_panel_built(self, panel: QWidget) -> None:
        if hasattr(panel, "layer_stats"):  # the gradient-flow tint follows its runs
            from gui.training.gradient_flow import install

            install(self, panel)
        if hasattr(panel, "samples"):  # one sample through the network, on the nodes
            from gui.training.sample_controller import install as install_samples

            install_samples(self, panel)
        failed = getattr(panel, "runFailedAtNode", None)
        if failed is not None:
            failed.connect(self.reveal_node)
        started = getattr(panel, "runStarted", None)
        if started is not None:
            started.connect(self.problems.clear_run_failure)
            started.connect(self.document.stack.clear_failure)
            started.connect(self.make_room_for_plots)
        finished = getattr(panel, "runFinished", None)
        if finished is not None:
            finished.connect(self._run_finished)

    def make_room_for_plots(self) -> None:
        """Grow a short bottom dock so a starting run's curves can be read (the drawing is
        read-only while it trains); a taller dock, or a floating one, is left as the user set it."""
        if self.bottom_dock.isFloating() or self.bottom_dock.isHidden():
            return
        want = round(self.height() * RUN_DOCK_SHARE)
        if self.bottom_dock.height() < want:
            self.resizeDocks([self.bottom_dock], [want], _V)

    def _run_finished(self, finished: object) -> None:
        """A failed run is listed with the drawing's problems, on the node it names."""
        if getattr(finished, "status", None) != "failed":
            return
        node_id = getattr(finished, "node_id", None)
        message = getattr(finished, "message", "") or translate("MainWindow", "the run failed")
        if node_id is not None and not self.document.project.has_node(node_id):
            node_id = None
        self.problems.set_run_failure(node_id, message)
        # the canvas marks the node, and inside a block the path down to the inner node
        path = tuple(getattr(finished, "path", ()) or ((node_id,) if node_id else ()))
        self.document.stack.mark_failure(path, localize(message))

    def _read_only_changed(self, read_only: bool) -> None:
        for action in self.act.editing:
            action.setEnabled(not read_only)
        stack = self.document.undo_stack
        self.act.undo.setEnabled(not read_only and stack.canUndo())
        self.act.redo.setEnabled(not read_only and stack.canRedo())
        self._selection_changed(self.selected_node_ids())
        self.inspector.refresh()

    # --- look ----------------------------------------------------------------------------------

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.settings.theme = name
        self.code.set_theme()
        self.problems.set_report(self.document.project, self.document.project.validate(), True)
        self.refresh()
        self.canvas.viewport().update()

    def set_language(self, code: str) -> None:
        """Remember the language and switch to it now (Qt then sends LanguageChange)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_language(app, code)
        self.settings.language = code
        self.act.languages[i18n.language()].setChecked(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._say_again()
        super().changeEvent(event)

    def _say_again(self) -> None:
        """The language changed: every text the window shows is said again in it (see
        gui/retranslate.py), and the texts made from the model are made again."""
        before, self._shown_language = self._shown_language, i18n.language()
        if before == self._shown_language:
            return
        retranslate(self, before)
        self.canvas.canvas_scene.say_again()
        self.problems.set_report(self.document.project, self.document.project.validate(), True)
        self.refresh()
        self._show_status(
            self.tr("Language: {name}").format(name=i18n.LANGUAGES[self._shown_language])
        )

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            translate("MainWindow", "About Netwright"),
            "<b>Netwright</b><p>{}</p><p>{}</p>".format(
                html.escape(translate("MainWindow", "Build PyTorch networks by drawing them.")),
                html.escape(
                    translate(
                        "MainWindow", "Drag layers from the palette, wire them, and read the code."
                    )
                ),
            ),
        )

    # --- layout and closing --------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)
        else:
            self.resizeDocks([self.palette_dock, self.inspector_dock], [210, 300], _H)
            # Room for the problems, the code or the training plots to be read at first launch.
            self.resizeDocks([self.bottom_dock], [max(220, round(self.height() * 0.4))], _V)

    def save_layout(self) -> None:
        self.settings.save_layout(
            QByteArray(self.saveGeometry()), QByteArray(self.saveState(LAYOUT_VERSION))
        )
        self.settings.sync()

    def offer_recovery(self) -> bool:
        """After a crash, offer the newest unsaved work left behind. True if it was restored."""
        recoveries = find_recoveries(self.autosaver.folder)
        if not recoveries:
            return False
        newest = recoveries[0]
        if not self.dialogs.ask_restore(self, newest.describe()):
            newest.discard()
            return False
        self.document.replace_project(newest.project, newest.original_path)
        self.document.undo_stack.resetClean()  # restored work is unsaved work
        self._update_title()
        self.autosaver.write_now()  # this session now owns it
        newest.discard()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        panel = self.training.panel
        if panel is not None and hasattr(panel, "shutdown"):
            panel.shutdown()  # stop a run and wait for its thread before the widgets go
        self.save_layout()
        self.autosaver.stop()
        self._shutdown()
        event.accept()

    def _shutdown(self) -> None:
        """Stop listening: when the window is destroyed its undo stack goes too, and the signals it
        sends while dying must not reach views that are already half gone."""
        self._refresh_timer.stop()
        if self._project is not None:
            self._project.unsubscribe(self._project_changed)
            self._project = None
        self.document.blockSignals(True)
        self.document.undo_stack.blockSignals(True)


_H = Qt.Orientation.Horizontal
_V = Qt.Orientation.Vertical


def _state_color(state: str) -> str:
    from gui.theme import colors

    theme = colors()
    return {"ok": theme.ok, "error": theme.error, "warning": theme.warning}.get(state, theme.muted)
