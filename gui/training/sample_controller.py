"""One sample through the network, in the editor: the Sample dock, the thumbnails under the
canvas's nodes, and where each sample comes from.

Before a run and after it, the drawing's own network (random weights, then the run's final
ones) runs the sample on a QThread (runtime.sample_probe.DrawingProbe); during a run the trainer
serves it between batches (`TrainingWorker.request_sample`), asked again at most a few times a
second. A run on several processes (torchrun) serves none: there the drawing's network runs the
weights the run saves after every epoch (its state.pt), once per new save. The GUI thread only
asks and paints: it never waits for torch. The canvas's thumbnails are pixmaps painted once per
sample, and at most a few times a second.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QDockWidget

from graph import Project, project_from_dict, project_to_dict
from graph.events import NodeMoved, ProjectRenamed
from gui.training.sample_thumbs import SampleThumbs
from gui.training.sample_view import SampleView
from i18n import localize
from runtime.events import EpochMetrics, RunStarted, SampleActivations
from runtime.run_history import STATE_FILE, file_stamp

translate = QCoreApplication.translate
LIVE_INTERVAL_MS = 400  # a live run is asked for the sample again at most this often
THUMB_INTERVAL_MS = 250  # the canvas's thumbnails are repainted at most this often
EDIT_DELAY_MS = 300  # after an edit of the drawing, wait this long before running it again
_RUNNING: set[QThread] = set()  # probe threads still running after their owner has gone


class _ProbeThread(QThread):
    """Runs the drawing's network on one sample, off the GUI thread."""

    answered = Signal(object)  # SampleActivations

    def __init__(
        self, probe: Any, project: Project, index: int, weights: str | None, saved: str | None
    ) -> None:
        super().__init__()
        self.probe, self.project, self.index, self.weights = probe, project, index, weights
        self.saved = saved  # a run folder: the weights it saved after its latest epoch

    def run(self) -> None:  # on the probe thread
        if self.probe.get("drawing") is None:
            # imported here: the editor starts without torch, and only this thread waits for it
            from runtime.sample_probe import DrawingProbe

            self.probe["drawing"] = DrawingProbe()
        drawing = self.probe["drawing"]
        if self.saved is not None:
            self.answered.emit(drawing.run_saved(self.project, self.index, self.saved))
        else:
            self.answered.emit(drawing.run(self.project, self.index, self.weights))


class SampleController(QObject):
    """Which sample, from which weights, shown where."""

    shown = Signal(object)  # the SampleActivations now shown

    def __init__(
        self, document: Any, scene: Any, panel: Any, view: SampleView, in_sight: Any = None
    ) -> None:
        super().__init__(view)
        self.document, self.panel, self.view = document, panel, view
        self.thumbs = SampleThumbs(scene, in_sight, self)
        self.index = 0
        self.latest: SampleActivations | None = None
        self.node: str | None = None  # the selected node's id in the drawing shown
        self.active = False
        self.final_weights: str | None = None  # the last run's weights, while the drawing holds
        self._probe: dict[str, Any] = {}  # the DrawingProbe, made on the probe thread
        self._job: _ProbeThread | None = None
        self._queued = False  # asked again while a job ran
        self._live_waiting = False  # a live request not yet answered
        self._saved: tuple[str, Any] | None = None  # (folder, stamp) of the saved weights asked
        self._project: Project | None = None
        self._live = QTimer(self)
        self._live.setInterval(LIVE_INTERVAL_MS)
        self._live.timeout.connect(self._ask_live)
        self._paint_timer = QTimer(self)
        self._paint_timer.setSingleShot(True)
        self._paint_timer.setInterval(THUMB_INTERVAL_MS)
        self._paint_timer.timeout.connect(self._paint_held)
        self._paint_held_back = False
        self._edited = QTimer(self)
        self._edited.setSingleShot(True)
        self._edited.setInterval(EDIT_DELAY_MS)
        self._edited.timeout.connect(self.refresh)
        view.indexChosen.connect(self.choose)
        view.nextAsked.connect(lambda: self.choose(self.index + 1))
        view.randomAsked.connect(self._choose_random)
        view.languageChanged.connect(self._say_again)
        panel.runStarted.connect(self._run_started)
        panel.runFinished.connect(self._run_finished)
        document.projectReplaced.connect(self._watch)
        document.drawingChanged.connect(lambda _drawing: self._show())
        self._watch(document.project)

    # --- what is asked ---------------------------------------------------------------------------

    def set_active(self, active: bool) -> None:
        """The dock is open: samples are computed and shown; closed: nothing runs."""
        self.active = active
        if active:
            self.refresh()
        else:
            self._live.stop()
            self.thumbs.clear()

    def choose(self, index: int) -> None:
        count = self.latest.count if self.latest is not None and self.latest.count else 0
        self.index = index % count if count else max(0, index)
        self.view.set_index(self.index)
        self.refresh()

    def _choose_random(self) -> None:
        count = self.latest.count if self.latest is not None else 0
        self.choose(random.randrange(count) if count > 1 else 0)

    def select(self, node_ids: list[str]) -> None:
        self.node = node_ids[0] if node_ids else None
        self._show_full()

    def refresh(self) -> None:
        """Ask for the chosen sample from the weights of the moment."""
        if not self.active:
            return
        worker = self.panel.worker
        if worker is not None and worker.processes > 1:
            self._saved = None
            self._follow_saved(worker)
        elif worker is not None:
            self._live_waiting = True
            worker.request_sample(self.index)
        else:
            self._run_offline()
            return
        if not self._live.isActive():
            self._live.start()

    def _ask_live(self) -> None:
        worker = self.panel.worker
        if worker is None:
            self._live.stop()
        elif worker.processes > 1:
            self._follow_saved(worker)
        elif not self._live_waiting:  # never pile requests on a run that is busy elsewhere
            self._live_waiting = True
            worker.request_sample(self.index)

    def _follow_saved(self, worker: Any) -> None:
        """A run on several processes: run the weights it saved last, once per new save (until
        its first, the drawing's own network shows what it starts from)."""
        folder = worker.run_folder
        stamp = file_stamp(Path(folder) / STATE_FILE) if folder else None
        if self._saved == (folder, stamp) or (stamp is None and self._saved is not None):
            return
        if self._job is not None:
            self._queued = True  # asked again when this job is done
            return
        self._saved = (folder, stamp)
        self._run_offline(folder if stamp is not None else None)

    def _run_offline(self, saved: str | None = None) -> None:
        if self._job is not None:
            self._queued = True  # the newest wish runs when this one is done
            return
        project = project_from_dict(project_to_dict(self.document.project))
        project.set_code_runner(self.document.project.code_runner)  # trusted stays trusted
        job = _ProbeThread(self._probe, project, self.index, self.final_weights, saved)
        # bound methods of this GUI-thread object: Qt queues both onto the GUI thread
        job.answered.connect(self._answered)
        job.finished.connect(self._job_done)
        self._job = job
        _RUNNING.add(job)
        job.start()

    def _job_done(self) -> None:
        job, self._job = self._job, None
        if job is None:
            return
        job.wait(5000)  # `finished` is sent just before the thread ends: let it end
        _RUNNING.discard(job)
        job.deleteLater()
        if self._queued:
            self._queued = False
            self.refresh()

    def busy(self) -> bool:
        """A sample is being computed off the GUI thread now."""
        return self._job is not None

    # --- runs and edits --------------------------------------------------------------------------

    def take(self, events: list[Any]) -> None:
        """A tick's events from the training panel."""
        for event in events:
            if isinstance(event, SampleActivations):
                self._live_waiting = False
                self._answered(event)
            elif isinstance(event, RunStarted):
                self.final_weights = None
            elif isinstance(event, EpochMetrics) and self.active:
                worker = self.panel.worker  # a run on several processes: a save may be new
                if worker is not None and worker.processes > 1:
                    self._follow_saved(worker)

    def _run_started(self) -> None:
        self.final_weights = None
        self.refresh()

    def _run_finished(self, finished: Any) -> None:
        self._live.stop()
        self._live_waiting = False
        self._saved = None
        self.final_weights = _final_weights(finished)
        self.refresh()

    def _watch(self, project: Project) -> None:
        if self._project is not None:
            self._project.unsubscribe(self._on_edit)
        self._project = project
        project.subscribe(self._on_edit)
        self.final_weights = None
        self.latest = None
        self.thumbs.clear()
        self._edited.start()

    def _on_edit(self, event: object) -> None:
        if isinstance(event, NodeMoved | ProjectRenamed):
            return  # the same network: its weights and its answers still hold
        self.final_weights = None  # the weights of the last run belong to another drawing now
        if self.active and self.panel.worker is None:
            self._edited.start()

    # --- showing ---------------------------------------------------------------------------------

    def _answered(self, sample: SampleActivations) -> None:
        if self.latest is not None and self.latest.count and sample.index != self.index:
            return  # an answer to an earlier wish: the sample chosen since is on its way
        self.latest = sample
        self.view.set_count(sample.count)
        self.view.set_index(sample.index)
        self.index = sample.index
        self.view.info.setText(_describe(sample))
        self._show_full()
        self.shown.emit(sample)
        if self._paint_timer.isActive():
            self._paint_held_back = True  # painted when the interval is over
        else:
            self._show()
            self._paint_timer.start()

    def _say_again(self) -> None:
        if self.latest is not None:
            self.view.info.setText(_describe(self.latest))
        self._show_full()

    def _paint_held(self) -> None:
        if self._paint_held_back:
            self._paint_held_back = False
            self._show()

    def _show(self) -> None:
        if self.active:
            self.thumbs.show(self.latest, self.prefix())
            self._show_full()

    def prefix(self) -> str:
        """The path of the drawing the canvas shows: "" at the top, "b1/" inside instance b1."""
        path = self.document.stack.path()
        return "/".join(path) + "/" if path else ""

    def key(self) -> str | None:
        """The node the full view shows: the selected one, else the network's output."""
        if self.node is not None:
            return self.prefix() + self.node
        outputs = [n.id for n in self.document.project.nodes if n.type == "Output"]
        return outputs[0] if outputs else None

    def _show_full(self) -> None:
        sample, key = self.latest, self.key()
        if sample is None or key is None:
            self.view.show_node("", None)
            return
        summary = sample.nodes.get(key)
        self.view.show_node(_title(key, summary), summary, sample.class_names)


def _final_weights(finished: Any) -> str | None:
    folder = getattr(finished, "out_dir", None)
    if not folder or getattr(finished, "status", "") == "failed":
        return None
    for name in ("last.pt", "best.pt"):
        if (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    return None


def _describe(sample: SampleActivations) -> str:
    if sample.error:
        return translate("SampleView", "Nothing to show: {reason}").format(
            reason=localize(sample.error)
        )
    weights = {
        "initial": translate("SampleView", "random weights, before training"),
        "live": translate("SampleView", "training, step {step}").format(step=sample.step),
        "final": translate("SampleView", "the last run's final weights"),
        "epoch": translate("SampleView", "weights saved after epoch {epoch}").format(
            epoch=sample.step
        ),
    }.get(sample.weights, sample.weights)
    return translate(
        "SampleView", "Sample {index} · true: {target} · network: {predicted} · {weights}"
    ).format(
        index=sample.index, target=sample.target, predicted=sample.predicted or "?", weights=weights
    )


def _title(key: str, summary: Any) -> str:
    if summary is None:
        return translate("SampleView", "{node}: nothing to show (not run for this sample)").format(
            node=key
        )
    shape = "×".join(str(d) for d in summary.shape)
    kind = {
        "maps": translate("SampleView", "feature maps, first {count} channels").format(
            count=len(summary.values)
        ),
        "bars": translate("SampleView", "values"),
        "lines": translate("SampleView", "sequence, one line per feature"),
        "probabilities": translate("SampleView", "class probabilities"),
    }.get(summary.kind, summary.kind)
    return translate("SampleView", "{node} · output {shape} · {kind}").format(
        node=key, shape=shape, kind=kind
    )


def wait_for_probes(milliseconds: int = 10_000) -> None:
    """Let probe threads end before the application does (a QThread must not outlive it)."""
    for job in list(_RUNNING):
        job.wait(milliseconds)


def install(window: Any, panel: Any) -> SampleController:
    """The Sample dock, tabbed with the inspector, wired to the panel and the canvas; closed
    until asked for (Training › Sample Through the Network)."""
    view = SampleView()
    dock = QDockWidget(translate("SampleView", "Sample"), window)
    dock.setObjectName("sampleDock")
    dock.setWidget(view)
    window.addDockWidget(window.dockWidgetArea(window.inspector_dock), dock)
    window.tabifyDockWidget(window.inspector_dock, dock)
    window.inspector_dock.raise_()
    dock.hide()
    window.act.add_panel_toggle(dock.toggleViewAction())
    canvas = window.canvas

    def in_sight() -> Any:
        return canvas.mapToScene(canvas.viewport().rect()).boundingRect()

    controller = SampleController(window.document, canvas.canvas_scene, panel, view, in_sight)
    controller.dock = dock
    dock.toggleViewAction().toggled.connect(controller.set_active)
    window.canvas.selectionChanged.connect(controller.select)
    panel.samples = controller
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(wait_for_probes)
    return controller
