"""The training panel: settings, Start/Pause/Stop, the live dashboard and the results of a run.

It edits the project's `training` object through the Document (undoable), makes the drawing
read-only while a run goes, drains the worker's events on a ~30 Hz timer, and reports a failing
node through `runFailedAtNode` so the window can select it on the canvas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from graph import Project
from graph.events import ParamChanged, TrainingChanged
from gui.document import Document
from gui.training.collector import shared_collector
from gui.training.dashboard import TrainingDashboard
from gui.training.history import RunHistoryView
from gui.training.preview import DatasetPreview
from gui.training.results import ResultsView
from gui.training.resume import (
    kept_epochs,
    resume_refusal,
    resume_settings,
    run_processes,
    with_kept_epochs,
)
from gui.training.settings import TrainingSettingsForm
from gui.training.start_weights import StartWeightsRow
from gui.training.tensorboard_row import TensorBoardBox
from gui.training.weights import WeightsActions
from gui.training.worker import TrainingWorker, warm_up_training
from i18n import localize, message_of
from runtime.events import RunFinished, RunPaused, RunStarted
from runtime.run_history import RunRecord, new_run_folder, runs_directory

translate = QCoreApplication.translate

_LINGERING: set[TrainingWorker] = set()  # workers still stopping after their panel gave up
DRAIN_INTERVAL_MS = 33  # ~30 Hz: smooth to the eye, cheap for the event loop
SHUTDOWN_WAIT_MS = 5000

BANNER_STYLE = "background:#fff4ce; color:#5c4400; padding:6px; border-radius:4px;"
ERROR_STYLE = "background:#fde7e9; color:#a4262c; padding:6px; border-radius:4px;"


class TrainingPanel(QWidget):
    runStarted = Signal()
    runFinished = Signal(object)  # runtime.events.RunFinished
    runFailedAtNode = Signal(str)  # id of the node a failed run names

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._project: Project | None = None
        self.worker: TrainingWorker | None = None
        self.last_finished: RunFinished | None = None
        self.failed_node: str | None = None
        self._run_project: Project | None = None  # the project the running worker trains
        self._task: str | None = None
        self._paused = False
        self.lr_finder: QWidget | None = None  # Training › Find Learning Rate, once opened
        self.layer_stats: Any = None  # gui.training.gradient_flow.GradientFlow, when installed
        self.samples: Any = None  # gui.training.sample_controller.SampleController, likewise
        self._kept: list = []  # a resumed run's earlier epochs (EpochMetrics), shown once it starts
        self._replaces_shown = False  # the resumed run is the one the plots show last

        self.form = TrainingSettingsForm()
        self.preview = DatasetPreview()
        self.dashboard = TrainingDashboard()
        self.results = ResultsView()
        self.weights = WeightsActions(self)
        self.start_weights = StartWeightsRow(self._show_error, self._project_folder)
        self.tensorboard = TensorBoardBox()

        self.start_button = QPushButton(translate("TrainingPanel", "Start"))
        self.start_button.setToolTip(
            translate("TrainingPanel", "Train the drawn network with these settings")
        )
        self.pause_button = QPushButton(translate("TrainingPanel", "Pause"))
        self.stop_button = QPushButton(translate("TrainingPanel", "Stop"))
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)

        self.banner = QLabel(
            translate("TrainingPanel", "Training — the drawing is read-only until the run ends.")
        )
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button):
            buttons.addWidget(b)
        settings_box = QGroupBox(translate("TrainingPanel", "Settings"))
        QVBoxLayout(settings_box).addWidget(self.form)
        preview_box = QGroupBox(translate("TrainingPanel", "Dataset"))
        QVBoxLayout(preview_box).addWidget(self.preview)
        # The controls and what they say stay in place; only the settings below them scroll.
        settings = QWidget()
        settings_layout = QVBoxLayout(settings)
        settings_layout.setContentsMargins(0, 0, 0, 0)
        settings_layout.addWidget(settings_box)
        settings_layout.addWidget(self.start_weights)
        settings_layout.addWidget(self.tensorboard)
        settings_layout.addWidget(preview_box, 1)
        settings_layout.addLayout(self.weights.layout)
        # The column scrolls; its rows never squeeze below their natural height to fit.
        settings.setMinimumHeight(settings.sizeHint().height())
        self.settings_scroll = _scrolling(settings, horizontal=False)
        self.settings_scroll.setMinimumWidth(settings.sizeHint().width() + 16)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 4, 4, 4)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.banner)
        side_layout.addWidget(self.error_label)
        side_layout.addWidget(self.settings_scroll, 1)

        self.tabs = QTabWidget()
        # In a short or narrow dock the dashboard scrolls rather than pushing the docks around.
        self.live_page = _scrolling(self.dashboard, horizontal=True)
        self.tabs.addTab(self.live_page, translate("TrainingPanel", "Live"))
        self.results_page = _scrolling(self.results, horizontal=True)
        self.tabs.addTab(self.results_page, translate("TrainingPanel", "Results"))
        self.history = RunHistoryView()
        self.history.resumeRequested.connect(self.resume_run)
        self.history_page = _scrolling(self.history, horizontal=True)
        self.tabs.addTab(self.history_page, translate("TrainingPanel", "History"))
        split = QSplitter()
        split.addWidget(side)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([330, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_INTERVAL_MS)
        self._timer.timeout.connect(self.drain)

        self.form.settingChanged.connect(self._on_setting_changed)
        document.projectReplaced.connect(self._watch)
        document.pathChanged.connect(self._show_history)
        self._show_history(document.path)
        app = QCoreApplication.instance()
        if app is not None:  # last line of defence: never leave a thread running at exit
            app.aboutToQuit.connect(self.shutdown)
        self._watch(document.project)
        self._show_idle()

    # --- project ---------------------------------------------------------------------------------

    def _watch(self, project: Project) -> None:
        if self._project is not None:
            self._project.unsubscribe(self._on_project_event)
            if self.worker is not None:  # its results would belong to a drawing no longer open
                self.stop()
            self._forget_runs()
        self._project = project
        project.subscribe(self._on_project_event)
        self.form.load(project.training)
        self._refresh_preview(project.training)

    def _forget_runs(self) -> None:
        """Another project is open: the last run's curves, state, results and weights go."""
        self.last_finished = None
        self.failed_node = None
        self.dashboard.reset()
        self.results.clear()
        self.weights.set_run(None, None)
        self.start_weights.set_path(None)  # weights chosen for another drawing
        self.error_label.hide()
        if self.worker is not None:
            self.dashboard.set_state(translate("TrainingPanel", "Stopping…"))
            self.dashboard.log(
                "info",
                translate("TrainingPanel", "Another project was opened: the run is stopped."),
            )

    def _project_folder(self) -> Path | None:
        path = self.document.path
        return Path(path).parent if path else None

    def _on_project_event(self, event: object) -> None:
        if isinstance(event, TrainingChanged):
            self.form.load(event.training)
            self._refresh_preview(event.training)
        elif isinstance(event, ParamChanged) and self._is_input(event.node_id):
            self._refresh_preview(self.document.project.training)  # the data is fitted to it

    def _is_input(self, node_id: str) -> bool:
        project = self.document.project
        return project.has_node(node_id) and project.node(node_id).type == "Input"

    def _refresh_preview(self, training: dict[str, Any]) -> None:
        options = training.get("dataset_options")
        self.preview.refresh(
            self.form.values()["dataset"],
            options if isinstance(options, dict) else None,
            _input_shape(self.document.project),
        )

    def _on_setting_changed(self, key: str, value: Any) -> None:
        training = self.document.project.training
        if value is None:
            training.pop(key, None)
        else:
            training[key] = value
        if not self.document.set_training(training):
            self.form.load(self.document.project.training)  # refused (read-only): show the truth

    # --- running ---------------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self.worker is not None

    def start(self, nproc: int = 1) -> bool:
        """Start a run with the project's settings (on `nproc` processes under torchrun when
        more than one); False (with a message) if it cannot."""
        if self.worker is not None:
            return False
        self.error_label.hide()
        report = self.document.project.validate()
        if not report.valid:
            first = report.errors[0]
            count = len(report.errors) - 1
            more = (
                translate("TrainingPanel", " (and {count} more)").format(count=count)
                if count
                else ""
            )
            self._show_error(
                translate("TrainingPanel", "The drawing has errors: {message}{more}").format(
                    message=localize(first.message), more=more
                )
            )
            if first.node:
                self._mark_failed(first.node)
            return False
        try:
            from recipe.config import TrainConfig

            config = TrainConfig.from_training(self.document.project.training)
            config.out_dir = self._new_run_folder()
            if self.start_weights.path is not None:
                config = config.replace(
                    start_weights=str(self.start_weights.path),
                    strict_weights=self.start_weights.strict.isChecked(),
                )
            config.tensorboard_dir = self.tensorboard.run_folder(self.document.project.name)
        except Exception as exc:  # ConfigError carries a one-line message
            self._show_error(
                translate("TrainingPanel", "Training settings: {exc}").format(
                    exc=localize(message_of(exc))
                )
            )
            return False
        return self._launch(config, nproc)

    def resume_run(self, run: RunRecord) -> bool:
        """History › Resume: the stopped `run` goes on from its last whole epoch, in its folder
        and with its settings, its earlier epochs in the plots; False (with a message) if not."""
        if self.worker is not None:
            return False
        self.error_label.hide()
        why = resume_refusal(self.document.project, run)
        if why is None:
            try:
                from recipe.config import TrainConfig

                config = TrainConfig.from_training(resume_settings(run)).replace(
                    out_dir=str(run.path), resume_from=str(run.path)
                )
                config.tensorboard_dir = self.tensorboard.run_folder(self.document.project.name)
            except Exception as exc:  # a settings.json edited by hand: one line
                why = localize(message_of(exc))
        if why is not None:
            self._show_error(why)
            self.history.note.setText(why)
            return False
        self._kept = kept_epochs(run)
        # the plots show the stopped run last: the resumed one takes its place there
        shown = self.last_finished.out_dir if self.last_finished is not None else None
        self._replaces_shown = shown is not None and Path(shown).resolve() == run.path.resolve()
        return self._launch(config, run_processes(run))

    def choose_run_to_resume(self) -> None:
        """Train › Resume Run…: the History tab, with the latest run that can go on selected."""
        self.tabs.setCurrentWidget(self.history_page)
        self.history.choose_resumable()

    def _launch(self, config: Any, nproc: int) -> bool:
        self.failed_node = None
        self.last_finished = None
        self._task = None
        self._paused = False
        self.results.clear(translate("TrainingPanel", "Training…"))
        self.weights.set_run(None, None)
        self.document.set_read_only(True)
        shared_collector().hold()
        self._run_project = self.document.project
        self.worker = TrainingWorker(self.document.project, config, self, nproc=nproc)
        if self.layer_stats is not None:
            self.worker.layer_stats_every = self.layer_stats.every()
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.start()
        self.history.set_running(True)
        self._timer.start()
        self.dashboard.set_state(translate("TrainingPanel", "Starting…"))
        self.tabs.setCurrentWidget(self.live_page)
        self._show_running(pausable=nproc <= 1)
        self.runStarted.emit()
        return True

    def find_learning_rate(self) -> QWidget:
        """Training › Find Learning Rate: the range test's dialog, started at once."""
        from gui.training.lr_finder_dialog import LrFinderDialog

        if self.lr_finder is None:
            self.lr_finder = LrFinderDialog(self.document, self)
        self.lr_finder.show()
        self.lr_finder.raise_()
        self.lr_finder.start()
        return self.lr_finder

    def _show_history(self, path: object) -> None:
        self.history.set_runs_dir(runs_directory(path) if path else None)

    def _new_run_folder(self) -> str | None:
        """A saved project's runs are kept in its history; an unsaved one's in a temp folder."""
        path = self.document.path
        return str(new_run_folder(runs_directory(path))) if path else None

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.dashboard.set_state(translate("TrainingPanel", "Stopping…"))
            self.stop_button.setEnabled(False)

    def toggle_pause(self) -> None:
        if self.worker is None or not self.pause_button.isEnabled():
            return
        if self._paused:
            self.worker.resume()
        else:
            self.worker.pause()
        self._paused = not self._paused
        self._label_pause(self._paused)

    def _label_pause(self, paused: bool) -> None:
        resume, pause = translate("TrainingPanel", "Resume"), translate("TrainingPanel", "Pause")
        self.pause_button.setText(resume if paused else pause)

    def drain(self) -> None:
        """Take every queued event and show it; one redraw per call, whatever their number."""
        if self.worker is None:
            return
        events = self.worker.drain()
        if self._run_project is not self.document.project:
            return  # a run of a project no longer open: nothing of it is shown
        if self._kept and any(isinstance(e, RunStarted) for e in events):
            if self._replaces_shown:
                self.dashboard.plots.forget_current()
            events = with_kept_epochs(events, self._kept)  # a resumed run's earlier epochs
            self._kept, self._replaces_shown = [], False
        if self.layer_stats is not None:
            self.layer_stats.take(events)
        if self.samples is not None:
            self.samples.take(events)
        if not events:
            self.dashboard.refresh()  # shows what an earlier tick took in but held back
            return
        for event in events:
            if isinstance(event, RunStarted):
                self._task = event.task
            elif isinstance(event, RunPaused):
                self._paused = event.paused
                self._label_pause(event.paused)
        finished = self.dashboard.apply(events)
        if finished is not None:
            self.last_finished = finished

    def _on_worker_finished(self) -> None:
        worker = self.worker
        if worker is None:
            return
        self.drain()
        self._timer.stop()
        self.worker = None
        self._kept = []
        self.history.set_running(False)
        shared_collector().release()
        ours = self._run_project is self.document.project
        self._run_project = None
        finished = self.last_finished or worker.result
        if finished is None:  # cannot happen with a well-behaved trainer; never hang the GUI
            finished = RunFinished(
                "failed", translate("TrainingPanel", "The run ended without a result.")
            )
            if ours:
                self.dashboard.apply([finished])
        worker.deleteLater()
        self.document.set_read_only(False)
        if not ours:  # stopped because another project was opened: it shows nothing of this run
            self.dashboard.set_state(translate("TrainingPanel", "No run yet."))
            self._show_idle()
            self.runFinished.emit(finished)
            return
        self.last_finished = finished
        self._show_idle()
        self.history.refresh()
        self.results.show_results(finished, self._task, worker.predictions, worker.class_names)
        self.weights.set_run(finished, worker.project)
        if finished.status == "failed":
            self._show_error(
                localize(finished.message) or translate("TrainingPanel", "The run failed.")
            )
            if finished.node_id:
                self._mark_failed(finished.node_id)
        self.runFinished.emit(finished)

    def _mark_failed(self, node_id: str) -> None:
        self.failed_node = node_id
        self.runFailedAtNode.emit(node_id)

    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Stop a run and wait for its thread (closing the window); True if nothing is left."""
        if self.lr_finder is not None:
            self.lr_finder.shutdown(timeout_ms)
        worker = self.worker
        if worker is None:
            return True
        worker.stop()
        ended = worker.wait(timeout_ms)
        if not ended:  # its process does not answer Stop (a long data load): end it
            worker.kill()
            ended = worker.wait(timeout_ms)
        if ended:
            self._on_worker_finished()
        else:
            # Still in a step it cannot leave (a long data load): let it end on its own, owned
            # by no widget, so that deleting the panel never destroys a running QThread.
            _LINGERING.add(worker)
            worker.setParent(None)
            worker.finished.connect(lambda: _LINGERING.discard(worker))
        return ended

    def sizeHint(self) -> QSize:
        """No more room than the tab had before the panel arrived: opening the Training tab
        must not re-lay out the window (the docks keep their sizes, Start stays put)."""
        return QSize(720, 220)

    def showEvent(self, event: QShowEvent) -> None:
        warm_up_training()  # whoever opens the panel is about to train: the first Start is quick
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- look ------------------------------------------------------------------------------------

    def _show_running(self, pausable: bool = True) -> None:
        self.banner.show()
        self.form.setEnabled(False)
        self.start_weights.setEnabled(False)
        self.start_button.setEnabled(False)
        # the processes of a torchrun group train in lockstep: one that waited would hold up
        # the others until their collectives time out, so such a run offers no Pause
        self.pause_button.setEnabled(pausable)
        self.pause_button.setToolTip(
            ""
            if pausable
            else translate(
                "TrainingPanel",
                "A run on several processes cannot pause: its processes train in lockstep. "
                "Stop ends it and keeps its last whole epoch, which History › Resume continues.",
            )
        )
        self.pause_button.setText(translate("TrainingPanel", "Pause"))
        self.stop_button.setEnabled(True)

    def _show_idle(self) -> None:
        self.banner.hide()
        self.form.setEnabled(True)
        self.start_weights.setEnabled(True)
        self.start_button.setEnabled(True)
        self.pause_button.setEnabled(False)
        self.pause_button.setText(translate("TrainingPanel", "Pause"))
        self.stop_button.setEnabled(False)
        if self.last_finished is None:
            self.error_label.hide()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.dashboard.log("error", text)


def _scrolling(widget: QWidget, horizontal: bool) -> QScrollArea:
    """`widget` in a frameless scroll area that resizes it (and scrolls sideways if asked)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if not horizontal:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def _input_shape(project: Project) -> list[int] | None:
    """The shape of the drawing's (first) Input, as the dataset will be fitted to it."""
    for node in project.nodes:
        shape = node.params.get("shape") if node.type == "Input" else None
        if isinstance(shape, list) and all(isinstance(d, int) for d in shape):
            return list(shape)
    return None
