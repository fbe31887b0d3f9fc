"""The training engine: runs a project's generated network on a dataset and emits events.

`Trainer.run()` blocks (call it from a worker thread), never raises, and always ends with one
RunFinished event. `stop()`, `pause()` and `resume()` may be called from any thread; the loop
looks at them before every batch. Batch metrics leave in windows of ~50 ms so that delivery
never slows training, and per-batch values stay on the device until then.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from codegen.data_sources import DatasetError
from graph import Project
from i18n import message_of, msg
from runtime.checkpoints import CheckpointError, RunFolder, load_state
from runtime.config import ConfigError, TrainConfig
from runtime.datasets import TrainingData, prepare_data
from runtime.devices import DeviceError, device_name, resolve_device
from runtime.events import (
    BatchMetrics,
    EpochMetrics,
    Message,
    RunFinished,
    RunPaused,
    RunStarted,
    TrainingEvent,
)
from runtime.factories import make_loss, make_optimizer, make_schedule
from runtime.metrics import BatchLog, eta_seconds, first_bad_loss
from runtime.network import Network, NetworkError, build_network, describe_failure

FLUSH_SECONDS = 0.05  # how often batch metrics leave the engine
# Checkpoint files are written at most this often, and always at the end of a run: writing them
# every epoch costs a few percent of the training time of a small network.
SAVE_SECONDS = 10.0
ON_DEVICE_BYTES = 2 << 30  # datasets up to this size are copied to the device once


def _is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    text = str(exc).lower()  # MPS and the CPU allocator raise plain RuntimeErrors
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate" in text)


class _RunFailed(Exception):
    def __init__(self, message: str, node_id: str | None = None) -> None:
        super().__init__(message)
        self.node_id = node_id


@dataclass
class _Evaluation:
    loss: float
    accuracy: float | None
    rmse: float | None


class Trainer:
    def __init__(
        self, project: Project, config: TrainConfig, emit: Callable[[TrainingEvent], None]
    ) -> None:
        self.project = project
        self.config = config
        self._emit = emit
        self._stop = threading.Event()
        self._unpaused = threading.Event()
        self._unpaused.set()
        self._class_names: list[str] | None = None
        self._predictions: tuple[np.ndarray, np.ndarray] | None = None
        self._started = 0.0
        self._paused_seconds = 0.0

    # --- control, from any thread ----------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()
        self._unpaused.set()  # a paused run wakes up to stop

    def pause(self) -> None:
        if not self._stop.is_set():
            self._unpaused.clear()

    def resume(self) -> None:
        self._unpaused.set()

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
        self._started = time.perf_counter()
        try:
            finished = self._run()
        except _RunFailed as exc:
            finished = self._finished("failed", message_of(exc), node_id=exc.node_id)
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
        # a broken listener must not turn a finished run into a crash
        with contextlib.suppress(Exception):
            self._emit(finished)
        return finished

    def _elapsed(self) -> float:
        return time.perf_counter() - self._started - self._paused_seconds

    def _finished(self, status: str, message: str, **values: object) -> RunFinished:
        return RunFinished(status, message, seconds=self._elapsed(), **values)  # type: ignore[arg-type]

    def _run(self) -> RunFinished:
        cfg = self.config
        try:
            cfg.validate()
            device = resolve_device(cfg.device)
            network = build_network(self.project, cfg.seed)
            data = prepare_data(cfg, network, self.project)
            # resuming continues in the folder it resumes from, unless told otherwise
            folder = RunFolder(cfg.out_dir or cfg.resume_from)
            resumed = load_state(cfg.resume_from) if cfg.resume_from else None
        except (ConfigError, DeviceError, DatasetError, CheckpointError) as exc:
            raise _RunFailed(message_of(exc)) from None
        except NetworkError as exc:
            raise _RunFailed(message_of(exc), exc.node_id) from None
        self._class_names = data.info.get("class_names")
        try:
            loop = _Loop(self, cfg, device, network, data, folder, resumed)
        except Exception as exc:
            if not _is_out_of_memory(exc):
                raise
            raise _RunFailed(
                msg(
                    "out of memory on {device} while copying the dataset and network there: "
                    "try a smaller dataset or network, or another device",
                    device=device,
                )
            ) from None
        return loop.run()


class _Loop:
    """One run's state: the network, data and optimizer on the device, and the epoch loop."""

    def __init__(
        self,
        trainer: Trainer,
        cfg: TrainConfig,
        device: torch.device,
        network: Network,
        data: TrainingData,
        folder: RunFolder,
        resumed: dict | None,
    ) -> None:
        self.t = trainer
        self.cfg = cfg
        self.device = device
        self.network = network
        self.net = network.module.to(device)
        self.data = data
        self.folder = folder
        self.classification = data.classification
        self.loss_fn = make_loss(data.loss)
        n = len(data.X_train)
        # A last batch of one sample is left out of its epoch (it is in others: the order is
        # reshuffled): BatchNorm cannot train on a batch of one, and learners hit that often.
        self.batches = max(1, n // cfg.batch_size + (1 if n % cfg.batch_size > 1 else 0))
        self.optimizer = make_optimizer(cfg, self.net.parameters())
        self.scheduler, self.per_batch_schedule = make_schedule(cfg, self.optimizer, self.batches)
        # Small datasets live on the device; big ones stay in host memory and each batch is
        # pinned and copied asynchronously.
        size = sum(t.numel() * t.element_size() for t in (data.X_train, data.y_train))
        self.on_device = device.type == "cpu" or size <= ON_DEVICE_BYTES
        self.X, self.y = self._place(data.X_train), self._place(data.y_train)
        self.X_val, self.y_val = self._place(data.X_val), self._place(data.y_val)
        self.start_epoch = 0
        self.best_loss: float | None = None
        self.best_weights: dict[str, torch.Tensor] | None = None  # not yet written to best.pt
        self.stale = 0
        self.last_save = time.perf_counter()
        self.val_outputs: tuple[int, torch.Tensor] | None = None  # (step, outputs) of last eval
        if resumed is not None:
            self._resume(resumed)
        self.log = BatchLog()

    def _place(self, tensor: torch.Tensor) -> torch.Tensor:
        return tensor.to(self.device) if self.on_device else tensor

    def _to_device(self, tensor: torch.Tensor) -> torch.Tensor:
        """A host batch onto the device; pinned first so the copy overlaps the GPU's work."""
        if self.device.type == "cuda":
            tensor = tensor.pin_memory()
        return tensor.to(self.device, non_blocking=True)

    def _resume(self, state: dict) -> None:
        try:
            self.net.load_state_dict(state["model"])
            self.optimizer.load_state_dict(state["optimizer"])
            if self.scheduler is not None and state.get("scheduler"):
                self.scheduler.load_state_dict(state["scheduler"])
        except (KeyError, RuntimeError, ValueError) as exc:
            line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise _RunFailed(
                msg("cannot resume: the saved state does not fit this network ({line})", line=line)
            ) from None
        self.start_epoch = int(state["epoch"])
        self.best_loss = state.get("best_loss")
        self.stale = int(state.get("stale_epochs", 0))
        if self.start_epoch >= self.cfg.epochs:
            raise _RunFailed(
                msg(
                    "nothing to resume: the run already finished {start_epoch} epochs "
                    "(epochs={epochs}); ask for more epochs",
                    start_epoch=self.start_epoch,
                    epochs=self.cfg.epochs,
                )
            )

    def emit(self, event: TrainingEvent) -> None:
        self.t._emit(event)

    # --- the epoch loop --------------------------------------------------------------------

    def run(self) -> RunFinished:
        cfg, data = self.cfg, self.data
        settings = cfg.to_training() | {"loss": data.loss}
        self.folder.write_settings(
            {
                "training": settings,
                "dataset": {k: v for k, v in data.info.items() if k != "class_names"},
                "class_names": data.info.get("class_names"),
                "model_class": self.network.code.class_name,
                "project": self.t.project.name,
                "device": str(self.device),
            },
            self.network.code.source,
        )
        self.folder.start_metrics(self.start_epoch)
        self.emit(
            RunStarted(
                str(self.device),
                device_name(self.device),
                cfg.epochs,
                self.batches,
                len(data.X_train),
                len(data.X_val),
                data.task,
                settings,
            )
        )
        for note in data.notes:
            self.emit(Message("info", note))
        for warning in data.warnings:
            self.emit(Message("warning", warning))
        if self.start_epoch:
            self.emit(Message("info", msg("resuming after epoch {epoch}", epoch=self.start_epoch)))
        shuffle = torch.Generator().manual_seed(cfg.seed)
        for _ in range(self.start_epoch):
            torch.randperm(len(self.X), generator=shuffle)  # same order as an unbroken run
        self.steps_total = (cfg.epochs - self.start_epoch) * self.batches
        self.steps_done = 0
        self.train_seconds = 0.0
        self.train_samples = 0
        status, message, last = "completed", "", None
        try:
            for epoch in range(self.start_epoch + 1, cfg.epochs + 1):
                order = torch.randperm(len(self.X), generator=shuffle)
                stopped = self._train_epoch(epoch, order)
                if stopped:
                    status, message = "stopped", msg("stopped during epoch {epoch}", epoch=epoch)
                    break
                last = self._end_epoch(epoch)
                if self._early_stop_due():
                    status = "early_stopped"
                    message = msg(
                        "validation loss did not improve for {count} epochs; stopped after "
                        "epoch {epoch}",
                        count=self.stale,
                        epoch=epoch,
                    )
                    break
        finally:
            self._write_best()  # a failed run still keeps its best epoch
        self.folder.save_weights(self.net, self.folder.last)
        if not self.folder.best.exists():
            self.folder.save_weights(self.net, self.folder.best)
        self._store_predictions()
        epochs_done = last.epoch if last else self.start_epoch
        if status == "completed":
            message = msg("trained {count} epochs", count=epochs_done)
        return self.t._finished(
            status,
            message,
            epochs=epochs_done,
            train_loss=last.train_loss if last else None,
            val_loss=last.val_loss if last else None,
            val_accuracy=last.val_accuracy if last else None,
            samples_per_second=self.train_samples / max(self.train_seconds, 1e-9),
            checkpoint=str(self.folder.best),
            out_dir=str(self.folder.path),
        )

    def _train_epoch(self, epoch: int, order: torch.Tensor) -> bool:
        """Train one epoch; True if stopped. Failures raise _RunFailed."""
        cfg, t, log = self.cfg, self.t, self.log
        net, optimizer, loss_fn = self.net, self.optimizer, self.loss_fn
        to_target, to_class = self.data.to_target, self.data.to_class
        bs, X, y = cfg.batch_size, self.X, self.y
        if self.on_device:
            order = order.to(self.device)
        net.train()
        log.start_epoch(epoch)
        window_start = time.perf_counter()
        window_samples = 0
        epoch_start = window_start
        for batch in range(1, self.batches + 1):
            if not t._unpaused.is_set():
                window_samples = self._flush(window_start, window_samples)
                paused = self._wait_while_paused()
                epoch_start += paused
                window_start = time.perf_counter()
            if t._stop.is_set():
                self._flush(window_start, window_samples)
                self.train_seconds += time.perf_counter() - epoch_start
                self.train_samples += log.samples
                return True
            index = order[(batch - 1) * bs : batch * bs]
            xb, yb = X[index], y[index]
            if not self.on_device:
                xb, yb = self._to_device(xb), self._to_device(yb)
            try:
                out = net(xb)
                loss = loss_fn(out, to_target(yb))
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if cfg.grad_clip is not None:
                    torch.nn.utils.clip_grad_norm_(net.parameters(), cfg.grad_clip)
                optimizer.step()
            except Exception as exc:
                raise self._failure(exc) from None
            if self.per_batch_schedule:
                self.scheduler.step()
            self.steps_done += 1
            size = len(index)
            window_samples += size
            correct = (to_class(out.detach()) == yb).sum() if to_class is not None else None
            log.add(loss, correct, batch, self.steps_done, size, optimizer.param_groups[0]["lr"])
            if time.perf_counter() - window_start >= FLUSH_SECONDS:
                self._flush(window_start, window_samples)
                window_start, window_samples = time.perf_counter(), 0
        self._flush(window_start, window_samples)
        self.train_seconds += time.perf_counter() - epoch_start
        self.train_samples += log.samples
        return False

    def _flush(self, window_start: float, window_samples: int) -> int:
        """Send the pending batch points; a NaN or infinite loss ends the run here."""
        if not self.log.pending:
            return window_samples
        points = self.log.flush()
        bad = first_bad_loss(points)
        if bad is not None:
            raise _RunFailed(
                msg(
                    "the loss became {loss} at epoch {epoch}, batch {batch}: the training "
                    "diverged; try a lower learning rate (lr={lr:g}) or gradient clipping",
                    loss=bad.loss,
                    epoch=bad.epoch,
                    batch=bad.batch,
                    lr=self.cfg.lr,
                )
            )
        seconds = max(time.perf_counter() - window_start, 1e-9)
        elapsed = self.t._elapsed()
        self.emit(
            BatchMetrics(
                points,
                window_samples / seconds,
                elapsed,
                eta_seconds(elapsed, self.steps_done, self.steps_total),
            )
        )
        return 0

    def _wait_while_paused(self) -> float:
        t = self.t
        self.emit(RunPaused(True))
        began = time.perf_counter()
        while not t._unpaused.wait(0.1):
            pass
        paused = time.perf_counter() - began
        t._paused_seconds += paused
        if not t._stop.is_set():
            self.emit(RunPaused(False))
        return paused

    def _failure(self, exc: Exception) -> _RunFailed:
        """What an exception in forward, loss or backward becomes: out of memory said plainly,
        anything else with the node whose generated line raised it."""
        node = self.network.node_for_exception(exc)
        if _is_out_of_memory(exc):
            self.optimizer.zero_grad(set_to_none=True)
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            where = ""
            if node is not None:
                culprit = self.t.project.node(node)
                where = msg(" in {type} '{name}'", type=culprit.type, name=culprit.name)
            return _RunFailed(
                msg(
                    "out of memory{where} on {device} with batch size {batch_size}: try a "
                    "smaller batch size or a smaller network",
                    where=where,
                    device=self.device,
                    batch_size=self.cfg.batch_size,
                ),
                node,
            )
        path = self.network.path_for_exception(exc)
        return _RunFailed(describe_failure(exc, node, self.t.project, path), node)

    def _end_epoch(self, epoch: int) -> EpochMetrics:
        evaluation = self._evaluate(self.X_val, self.y_val)
        if self.scheduler is not None and not self.per_batch_schedule:
            self.scheduler.step()
        train_loss = self.log.epoch_loss()
        if not math.isfinite(train_loss):
            raise _RunFailed(
                msg(
                    "the loss became {train_loss} in epoch {epoch}",
                    train_loss=train_loss,
                    epoch=epoch,
                )
            )
        watched = evaluation.loss if evaluation is not None else train_loss
        if self.best_loss is None or watched < self.best_loss:
            self.best_loss, self.stale = watched, 0
            # a copy on the device: cheap, and written to disk with the next save
            self.best_weights = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
        else:
            self.stale += 1
        elapsed = self.t._elapsed()
        metrics = EpochMetrics(
            epoch=epoch,
            train_loss=train_loss,
            train_accuracy=self.log.epoch_accuracy(self.classification),
            val_loss=evaluation.loss if evaluation else None,
            val_accuracy=evaluation.accuracy if evaluation else None,
            val_rmse=evaluation.rmse if evaluation else None,
            lr=self.optimizer.param_groups[0]["lr"],
            samples_per_second=self.train_samples / max(self.train_seconds, 1e-9),
            elapsed=elapsed,
            eta=eta_seconds(elapsed, self.steps_done, self.steps_total),
        )
        self.folder.append_metrics(metrics)
        self.emit(metrics)
        # the run's last epoch (a stop asked for while the metrics were shown counts) always
        # leaves a resume state behind; others at most every SAVE_SECONDS
        final = epoch == self.cfg.epochs or self._early_stop_due() or self.t._stop.is_set()
        if final or time.perf_counter() - self.last_save >= SAVE_SECONDS:
            self._write_best()
            self.folder.save_state(
                self.net, self.optimizer, self.scheduler, epoch, self.best_loss, self.stale
            )
            self.last_save = time.perf_counter()
        return metrics

    def _early_stop_due(self) -> bool:
        return bool(self.cfg.early_stopping) and self.stale >= self.cfg.early_stopping

    def _write_best(self) -> None:
        if self.best_weights is not None:
            self.folder.save_state_dict(self.best_weights, self.folder.best)
            self.best_weights = None

    def _outputs(self, X: torch.Tensor) -> torch.Tensor:
        """The network's outputs on X, in chunks, without gradients (eval mode)."""
        self.net.eval()
        chunk = max(self.cfg.batch_size, 256)
        outs = []
        with torch.no_grad():
            for i in range(0, len(X), chunk):
                xb = X[i : i + chunk].to(self.device, non_blocking=True)
                try:
                    outs.append(self.net(xb))
                except Exception as exc:
                    raise self._failure(exc) from None
        self.net.train()
        return torch.cat(outs)

    def _evaluate(self, X: torch.Tensor, y: torch.Tensor) -> _Evaluation | None:
        if len(X) == 0:
            return None
        out = self._outputs(X)
        self.val_outputs = (self.steps_done, out)
        y = y.to(self.device)
        loss = float(self.loss_fn(out, self.data.to_target(y)))
        if self.classification:
            accuracy = float((self.data.to_class(out) == y).float().mean())
            return _Evaluation(loss, accuracy, None)
        rmse = float(torch.sqrt(torch.mean((out.float() - y.float()) ** 2)))
        return _Evaluation(loss, None, rmse)

    def _store_predictions(self) -> None:
        X, y = self.X_val, self.y_val
        if len(X) == 0:
            return
        if self.val_outputs is not None and self.val_outputs[0] == self.steps_done:
            out = self.val_outputs[1]  # the weights have not changed since the last validation
        else:
            out = self._outputs(X)
        if self.classification:
            predicted = self.data.to_class(out)
            self.t._predictions = (y.cpu().numpy(), predicted.cpu().numpy())
        else:
            targets = y.reshape(len(y), -1).cpu().numpy()
            self.t._predictions = (targets, out.reshape(len(out), -1).cpu().numpy())
