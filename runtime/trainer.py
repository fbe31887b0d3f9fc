"""The training engine: runs a project's generated network on a dataset and emits events.

`Trainer.run()` blocks (call it from a worker thread), never raises, and always ends with one
RunFinished event. `stop()`, `pause()` and `resume()` may be called from any thread; the loop
looks at them before every batch. The loop itself is runtime.run_loop over the shared recipe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import numpy as np

from graph import Project
from i18n import message_of, msg
from recipe.config import ConfigError, TrainConfig
from recipe.data import DatasetError
from runtime.checkpoints import CheckpointError, RunFolder, load_state
from runtime.control import RunControl
from runtime.datasets import TrainingData, prepare_data
from runtime.devices import DeviceError, device_name, resolve_device
from runtime.evaluation import evaluate_run
from runtime.events import Message, RunFinished, RunStarted, TrainingEvent
from runtime.failures import FailureNamer, RunFailed, is_out_of_memory
from runtime.layer_stats import LayerStatistics
from runtime.memory import check_memory
from runtime.network import (
    Network,
    NetworkError,
    build_network,
    check_trainable,
    exception_line,
    project_for_run,
)
from runtime.run_history import record_run
from runtime.run_loop import EpochLoop
from runtime.sample_probe import LiveProbe, ProbeTarget, SampleRequests, node_modules
from runtime.speed import apply_threads
from runtime.start_weights import StartWeightsError, load_start_weights


class Trainer:
    def __init__(
        self, project: Project, config: TrainConfig, emit: Callable[[TrainingEvent], None]
    ) -> None:
        self.project = project
        self.config = config
        self._emit = emit
        self._control = RunControl()
        self._class_names: list[str] | None = None
        self._predictions: tuple[np.ndarray, np.ndarray] | None = None
        # every how many batches per-layer statistics are sampled (runtime.layer_stats); 0: never
        self.layer_stats_every = 0
        self._samples = SampleRequests()  # one sample through the network, asked from anywhere

    # --- control, from any thread ----------------------------------------------------------

    def stop(self) -> None:
        self._control.stop()

    def pause(self) -> None:
        self._control.pause()

    def resume(self) -> None:
        self._control.resume()

    def request_sample(self, index: int) -> None:
        """Run sample `index` of the validation split through the network between two batches
        and emit what every node makes of it (a SampleActivations event). The newest request
        wins; one asked before the run starts is served at its first batch."""
        self._samples.ask(index)

    # --- results -----------------------------------------------------------------------------

    @property
    def class_names(self) -> list[str] | None:
        return self._class_names

    def validation_predictions(self) -> tuple[np.ndarray, np.ndarray]:
        """(targets, predictions) on the validation split after run(); empty before."""
        if self._predictions is None:
            return np.empty(0), np.empty(0)
        return self._predictions

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> RunFinished:
        self._control.start_clock()
        try:
            finished = self._run()
        except RunFailed as exc:
            finished = self._finished("failed", message_of(exc), node_id=exc.node_id, path=exc.path)
        except OSError as exc:  # the output folder: full disk, no permission...
            where = f" {exc.filename}" if exc.filename else ""
            reason = exc.strerror or str(exc)
            finished = self._finished(
                "failed", msg("cannot write{where}: {reason}", where=where, reason=reason)
            )
        except Exception as exc:  # the contract: run() never raises; say what happened instead
            text = str(exc).splitlines()[0] if str(exc) else ""
            finished = self._finished(
                "failed",
                msg("unexpected error: {kind}: {text}", kind=type(exc).__name__, text=text),
            )
        if finished.out_dir:
            with contextlib.suppress(OSError):  # the history's record, never the run's fate
                record_run(finished.out_dir, finished)
        # a broken listener must not turn a finished run into a crash
        with contextlib.suppress(Exception):
            self._emit(finished)
        return finished

    def _finished(self, status: str, message: str, **values: object) -> RunFinished:
        seconds = self._control.elapsed()
        return RunFinished(status, message, seconds=seconds, **values)  # type: ignore[arg-type]

    def _run(self) -> RunFinished:
        cfg = self.config
        try:
            cfg.validate()
            apply_threads(cfg)
            device = resolve_device(cfg.device)
            # Check what is cheap before allocating anything: the drawing against the data this
            # run feeds, then the memory the run needs, then build the weights.
            project = project_for_run(self.project, cfg.to_training())
            check_trainable(project)
            check_memory(project, cfg, device)
            network = build_network(project, cfg.seed)
            data = prepare_data(cfg, network, self.project)
            if cfg.start_weights and not cfg.resume_from:  # a resumed run has its own weights
                started = load_start_weights(
                    network.module,
                    self.project,
                    network.code,
                    cfg.start_weights,
                    strict=cfg.strict_weights,
                )
                data.notes.append(started.note)
                data.warnings.extend(started.lines)
            # resuming continues in the folder it resumes from, unless told otherwise
            folder = RunFolder(cfg.out_dir or cfg.resume_from)
            resumed = load_state(cfg.resume_from) if cfg.resume_from else None
        except (ConfigError, DeviceError, DatasetError, CheckpointError, StartWeightsError) as exc:
            raise RunFailed(message_of(exc)) from None
        except NetworkError as exc:
            raise RunFailed(message_of(exc), exc.node_id, exc.path) from None
        self._class_names = data.info.get("class_names")
        fail = FailureNamer(self.project, network, device, cfg.batch_size)
        try:
            loop = EpochLoop(cfg, device, network, data, folder, self._control, self._emit, fail)
        except Exception as exc:
            if not is_out_of_memory(exc):
                raise
            raise RunFailed(
                msg(
                    "out of memory on {device} while copying the dataset and network there: "
                    "try a smaller dataset or network, or another device",
                    device=device,
                )
            ) from None
        if resumed is not None:
            loop.resume(resumed)
        self._start(loop, network, data, folder, str(device))
        # the probe runs the plain net (the compiled one shares its parameters): its hooks and
        # its TorchFunctionMode never reach the compiled graph, which is never recompiled
        target = ProbeTarget.of(loop.net, network, project, data, lambda t: t.to(device))
        loop.probe = LiveProbe(target, self._samples)
        if self.layer_stats_every and loop.train_net is loop.net:  # hooks need the plain net
            # nodes inside blocks too, by their path ("b1/conv1")
            modules = node_modules(loop.net, network.code, project)
            loop.stats = LayerStatistics(
                loop.net, network.code.attributes, self.layer_stats_every, modules
            )
        try:
            status, last = loop.run()
        finally:
            if loop.stats is not None:
                loop.stats.close()
        loop.keeper.finish()
        self._predictions = loop.predictions()
        evaluation = self._evaluate(loop, data, folder)
        epochs = last.epoch if last else loop.start_epoch
        return self._finished(
            status,
            _status_message(status, epochs, loop.keeper.best.stale),
            epochs=epochs,
            train_loss=last.train_loss if last else None,
            val_loss=last.val_loss if last else None,
            val_accuracy=last.val_accuracy if last else None,
            samples_per_second=loop.samples_per_second,
            checkpoint=str(folder.best),
            out_dir=str(folder.path),
            evaluation=evaluation,
            compile_seconds=loop.compile_seconds,
        )

    def _evaluate(self, loop: EpochLoop, data: TrainingData, folder: RunFolder) -> dict | None:
        """evaluation.json in the run folder; a failure costs the evaluation, never the run."""
        try:
            outputs = loop.final_outputs()
            return None if outputs is None else evaluate_run(folder.path, outputs, data)
        except Exception as exc:
            text = exception_line(exc)
            self._emit(Message("warning", msg("no evaluation of this run: {text}", text=text)))
            return None

    def _start(
        self, loop: EpochLoop, network: Network, data: TrainingData, folder: RunFolder, device: str
    ) -> None:
        """Write the run's settings and source, and tell listeners what is about to happen."""
        settings = self.config.to_training() | {"loss": data.loss}
        folder.write_settings(
            {
                "training": settings,
                "dataset": {k: v for k, v in data.info.items() if k != "class_names"},
                "class_names": data.info.get("class_names"),
                "model_class": network.code.class_name,
                "project": self.project.name,
                "device": device,
            },
            network.code.source,
        )
        folder.start_metrics(loop.start_epoch)
        self._emit(
            RunStarted(
                device,
                device_name(loop.device),
                self.config.epochs,
                loop.batches,
                len(data.X_train),
                len(data.X_val),
                data.task,
                settings,
                loop.start_epoch,
            )
        )
        for note in data.notes:
            self._emit(Message("info", note))
        for warning in data.warnings:
            self._emit(Message("warning", warning))
        for level, text in loop.notes:
            self._emit(Message(level, text))
        if loop.start_epoch:
            self._emit(Message("info", msg("resuming after epoch {epoch}", epoch=loop.start_epoch)))


def _status_message(status: str, epochs: int, stale: int) -> str:
    if status == "stopped":
        return msg("stopped during epoch {epoch}", epoch=epochs + 1)
    if status == "early_stopped":
        return msg(
            "validation loss did not improve for {count} epochs; stopped after epoch {epoch}",
            count=stale,
            epoch=epochs,
        )
    return msg("trained {count} epochs", count=epochs)
