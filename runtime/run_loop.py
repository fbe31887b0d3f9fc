"""One run's epochs: the recipe's loop (recipe.loop) with what a live run adds around it —
pause and stop between batches, batch metrics in windows, events, checkpoints, failures named
at their node. The exported script runs the same recipe without these."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import numpy as np
import torch

from i18n import msg
from recipe.config import TrainConfig
from recipe.loop import (
    batch_loader,
    batches_per_epoch,
    compile_failure,
    epoch_batches,
    make_loss,
    make_optimizer,
    make_schedule,
    predict,
    score,
    train_step,
)
from recipe.metrics import epoch_record, eta_seconds
from recipe.tensorboard import log_epoch
from runtime.board import open_board
from runtime.checkpoints import RunFolder
from runtime.control import RunControl
from runtime.datasets import TrainingData
from runtime.events import EpochMetrics, Message, RunPaused, TrainingEvent
from runtime.failures import Diverged, FailureNamer
from runtime.keeper import Keeper
from runtime.layer_stats import LayerStatistics
from runtime.network import Network
from runtime.placement import Placement
from runtime.reporter import BatchReporter
from runtime.sample_probe import LiveProbe
from runtime.speed import compile_fallback, compile_network, compile_note, precision_tools


class EpochLoop:
    """The network, data and optimizer on the device, and the epochs over them."""

    def __init__(
        self,
        cfg: TrainConfig,
        device: torch.device,
        network: Network,
        data: TrainingData,
        folder: RunFolder,
        control: RunControl,
        emit: Callable[[TrainingEvent], None],
        fail: FailureNamer,
    ) -> None:
        self.cfg, self.device, self.data = cfg, device, data
        self.control, self.emit, self.fail = control, emit, fail
        self.net = network.module.to(device)
        self.notes: list[tuple[str, str]] = []  # (level, text), said once the run has started
        self.autocast, self.scaler = precision_tools(cfg, device)
        # the compiled network trains; the plain one (same parameters) evaluates, is saved and
        # serves the samples asked for (runtime.sample_probe)
        self.train_net = compile_network(self.net, self.notes) if cfg.compile else self.net
        self.compile_seconds: float | None = None
        self.loss_fn = make_loss(data.loss)
        self.batches = batches_per_epoch(len(data.X_train), cfg.batch_size)
        settings = cfg.to_training()
        self.optimizer = make_optimizer(settings, self.net.parameters())
        self.scheduler, self.per_batch = make_schedule(settings, self.optimizer, self.batches)
        self.placement = Placement(device, cfg.workers, data.X_train, data.y_train)
        self.X, self.y = self.placement.place(data.X_train), self.placement.place(data.y_train)
        self.X_val, self.y_val = self.placement.place(data.X_val), self.placement.place(data.y_val)
        self.keeper = Keeper(folder, self.net, self.optimizer, self.scheduler, self.scaler)
        self.board = None  # TensorBoard's SummaryWriter, when asked for
        if cfg.tensorboard_dir:
            example = self.placement.batch(self.X[:2])
            self.board = open_board(cfg.tensorboard_dir, self.net, example, self.notes)
        self.start_epoch = 0
        self.val_outputs: tuple[int, torch.Tensor] | None = None  # (step, outputs) of last eval
        self.train_seconds = 0.0
        self.train_samples = 0
        self.reporter = BatchReporter(emit, control, cfg.lr, 0, data.to_class)
        self.stats: LayerStatistics | None = None  # set by the Trainer when asked for
        self.last_batch: torch.Tensor | None = None  # to find where a NaN loss started
        self.probe: LiveProbe | None = None  # set by the Trainer: samples asked for during the run

    def resume(self, state: dict) -> None:
        self.start_epoch = self.keeper.resume(state, self.cfg.epochs)

    @property
    def samples_per_second(self) -> float:
        return self.train_samples / max(self.train_seconds, 1e-9)

    def run(self) -> tuple[str, EpochMetrics | None]:
        """Train the remaining epochs: (status, the last epoch's metrics)."""
        cfg = self.cfg
        shuffle = torch.Generator().manual_seed(cfg.seed)
        for _ in range(self.start_epoch):
            torch.randperm(len(self.X), generator=shuffle)  # same order as an unbroken run
        self.reporter.steps_total = (cfg.epochs - self.start_epoch) * self.batches
        status, last = "completed", None
        try:
            for epoch in range(self.start_epoch + 1, cfg.epochs + 1):
                order = torch.randperm(len(self.X), generator=shuffle)
                if self._train_epoch(epoch, order):
                    return "stopped", last
                last = self._end_epoch(epoch)
                if self.keeper.best.early_stop_due(cfg.early_stopping):
                    return "early_stopped", last
        except Diverged as exc:  # name the layer where the values stopped being finite
            raise self.fail.locate_divergence(exc, self.last_batch) from None
        finally:
            self.keeper.write_best()  # a failed run still keeps its best epoch
            if self.board is not None:
                self.board.close()
        return status, last

    def _train_epoch(self, epoch: int, order: torch.Tensor) -> bool:
        """Train one epoch; True if stopped. Failures raise RunFailed."""
        control, reporter, placement = self.control, self.reporter, self.placement
        if placement.on_device:
            order = order.to(self.device)
        self.net.train()
        reporter.log.start_epoch(epoch)
        reporter.restart_window()
        started = time.perf_counter()
        batches = epoch_batches(order, self.cfg.batch_size)
        loader = batch_loader(self.X, self.y, batches, self.cfg.workers, placement.pinned)
        probe, to_device = self.probe, not placement.on_device
        for batch, (xb, yb) in enumerate(loader, start=1):
            if probe is not None and probe.asked:  # one sample through the network
                self._serve_probe()
            if control.pause_asked:
                reporter.flush()
                started += control.wait_while_paused(
                    lambda p: self.emit(RunPaused(p)), self._serve_probe
                )
                reporter.restart_window()
            if control.stopped:
                reporter.flush()
                self._count(started, reporter.log.samples)
                return True
            if to_device:  # (a split kept on the device is cut there already)
                xb, yb = placement.batch(xb), placement.batch(yb)
            self.last_batch = xb
            if self.train_net is not self.net and self.compile_seconds is None:
                began = time.perf_counter()
                loss, scored = self._step(xb, yb)
                self.compile_seconds = time.perf_counter() - began
                started += self.compile_seconds  # compiling is not training throughput
                if self.train_net is not self.net:  # (not fallen back to the plain network)
                    self.emit(Message("info", compile_note(self.compile_seconds)))
            elif self.stats is not None:  # the canvas's per-layer statistics, sampled
                (loss, scored), sample = self.stats.observe(
                    reporter.steps_done + 1, partial(self._step, xb, yb)
                )
                if sample is not None:
                    self.emit(sample)
            else:
                loss, scored = self._step(xb, yb)
            if self.per_batch:
                self.scheduler.step()
            reporter.add(loss, scored, batch, len(xb), self.optimizer.param_groups[0]["lr"])
        reporter.flush()
        self._count(started, reporter.log.samples)
        return False

    def _serve_probe(self) -> None:
        sample = self.probe.serve(self.reporter.steps_done) if self.probe is not None else None
        if sample is not None:
            self.emit(sample)

    def _step(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple:
        data = self.data
        try:
            return train_step(
                self.train_net,
                self.loss_fn,
                self.optimizer,
                xb,
                yb,
                data.to_target,
                data.to_class,
                self.cfg.grad_clip,
                self.autocast,
                self.scaler,
            )
        except Exception as exc:
            self.optimizer.zero_grad(set_to_none=True)
            why = compile_failure(exc) if self.train_net is not self.net else None
            if why is None:
                raise self.fail(exc, in_loss=True) from None
        # the compiler failed on this platform (no C++ compiler…): the plain network trains
        self.train_net = self.net
        self.emit(Message("warning", compile_fallback(why)))
        return self._step(xb, yb)

    def _count(self, started: float, samples: int) -> None:
        self.train_seconds += time.perf_counter() - started
        self.train_samples += samples

    def _end_epoch(self, epoch: int) -> EpochMetrics:
        scores = self._evaluate()
        if self.scheduler is not None and not self.per_batch:
            self.scheduler.step()
        log = self.reporter.log
        train_loss = log.epoch_loss()
        if train_loss != train_loss or abs(train_loss) == float("inf"):
            raise Diverged(
                msg(
                    "the loss became {train_loss} in epoch {epoch}",
                    train_loss=train_loss,
                    epoch=epoch,
                )
            )
        elapsed = self.control.elapsed()
        eta = eta_seconds(elapsed, self.reporter.steps_done, self.reporter.steps_total)
        record = epoch_record(
            epoch,
            log,
            self.data.classification,
            scores,
            self.optimizer.param_groups[0]["lr"],
            self.samples_per_second,
            elapsed,
            eta,
        )
        metrics = EpochMetrics(**record)
        self.keeper.folder.append_metrics(record)
        if self.board is not None:
            log_epoch(self.board, record, self.net)
        self.emit(metrics)
        self.keeper.note(scores[0] if scores is not None else train_loss)
        # the run's last epoch (a stop asked for while the metrics were shown counts) always
        # leaves a resume state behind
        final = (
            epoch == self.cfg.epochs
            or self.keeper.best.early_stop_due(self.cfg.early_stopping)
            or self.control.stopped
        )
        self.keeper.save(epoch, final)
        return metrics

    def _outputs(self, X: torch.Tensor) -> torch.Tensor:
        try:
            return predict(self.net, X, self.cfg.batch_size, self.device, self.autocast)
        except Exception as exc:
            raise self.fail(exc) from None

    def _evaluate(self) -> tuple | None:
        if len(self.X_val) == 0:
            return None
        out = self._outputs(self.X_val)
        self.val_outputs = (self.reporter.steps_done, out)
        y = self.y_val.to(self.device)
        try:
            return score(out, y, self.loss_fn, self.data.to_target, self.data.to_class)
        except Exception as exc:
            raise self.fail(exc, in_loss=True) from None

    def final_outputs(self) -> torch.Tensor | None:
        """The network's outputs on the validation split with the final weights."""
        if len(self.X_val) == 0:
            return None
        if self.val_outputs is not None and self.val_outputs[0] == self.reporter.steps_done:
            return self.val_outputs[1]  # the weights have not changed since the last validation
        out = self._outputs(self.X_val)
        self.val_outputs = (self.reporter.steps_done, out)
        return out

    def predictions(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(targets, predictions) on the validation split with the final weights."""
        y, out = self.y_val, self.final_outputs()
        if out is None:
            return None
        if self.data.to_class is not None:
            return y.cpu().numpy(), self.data.to_class(out).cpu().numpy()
        return y.reshape(len(y), -1).cpu().numpy(), out.reshape(len(out), -1).cpu().numpy()
