"""`main.py train`: train a project file headless, with a progress bar on a terminal.

Settings come from the command line, then the file's `training` object, then TrainConfig's
defaults. Bad input is one `error:` line (exit 2 for an unreadable file, 1 otherwise); with
`--json` the last line printed is a JSON summary of the run.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import Any, TextIO

from codegen.data_sources import DatasetError, dataset_loader
from graph import ProjectFileError, load_project
from graph.messages import one_line
from i18n import localize, message_of, msg
from runtime.config import ConfigError, TrainConfig
from runtime.devices import DeviceError, resolve_device
from runtime.events import BatchMetrics, EpochMetrics, Message, RunFinished, RunStarted
from runtime.trainer import Trainer

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130


def config_from_args(training: dict[str, Any], args: argparse.Namespace) -> TrainConfig:
    """The file's settings with the command line's on top (options not given are None)."""
    return TrainConfig.from_training(training).replace(
        dataset=args.dataset,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        optimizer=args.optimizer,
        loss=args.loss,
        device=args.device,
        seed=args.seed,
        out_dir=args.out,
    )


def run_train(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return _error(message_of(exc), EXIT_UNREADABLE)
    report = project.validate()
    if not report.valid:
        first = report.errors[0]
        return _error(
            msg(
                "{file}: cannot train, the drawing has errors: {message}",
                file=args.file,
                message=first.message,
            )
        )
    try:
        config = config_from_args(project.training, args)
        resolve_device(config.device)
        dataset_loader(config.dataset, config.dataset_options)
    except (ConfigError, DeviceError, DatasetError) as exc:
        return _error(message_of(exc))
    progress = _Progress(sys.stdout, json_summary=args.json)
    trainer = Trainer(project, config, progress.on_event)
    # Ctrl-C stops the run after the current batch and keeps the weights trained so far
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda *_: trainer.stop()) if main_thread else None
    try:
        finished = trainer.run()
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)
        progress.close()
    if args.json:
        print(json.dumps(progress.summary(finished)))
    if finished.status == "failed":
        return _error(finished.message)
    return EXIT_INTERRUPTED if finished.status == "stopped" else EXIT_OK


def _error(message: str, code: int = EXIT_FAILED) -> int:
    # labels and paths may hold line breaks and terminal escapes
    print(localize(msg("error: {message}", message=one_line(localize(message)))), file=sys.stderr)
    return code


class _Progress:
    """Turns events into a tqdm bar (on a terminal) and one line per epoch."""

    def __init__(self, out: TextIO, json_summary: bool) -> None:
        self.out = out
        self.json_summary = json_summary
        self.bar: Any = None
        self.device = "cpu"

    def on_event(self, event: object) -> None:
        if isinstance(event, RunStarted):
            self.device = event.device
            self._line(
                msg(
                    "training on {device} ({name}): {train} samples, {val} for validation, "
                    "{epochs} epochs",
                    device=event.device,
                    name=event.device_name,
                    train=event.train_samples,
                    val=event.val_samples,
                    epochs=event.epochs,
                )
            )
            if sys.stderr.isatty():
                from tqdm import tqdm

                self.bar = tqdm(total=event.epochs * event.batches_per_epoch, unit="batch")
        elif isinstance(event, BatchMetrics) and self.bar is not None:
            last = event.points[-1]
            self.bar.update(last.step - self.bar.n)
            self.bar.set_postfix(epoch=last.epoch, loss=f"{last.loss:.4f}", refresh=False)
        elif isinstance(event, EpochMetrics):
            self._line(_epoch_line(event))
        elif isinstance(event, Message):
            self._line(f"{event.level}: {localize(event.text)}")

    def _line(self, text: str) -> None:
        text = localize(text)
        if self.bar is not None:
            self.bar.write(text, file=self.out)
        else:
            print(text, file=self.out, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def summary(self, finished: RunFinished) -> dict[str, Any]:
        return {
            "epochs": finished.epochs,
            "train_loss": finished.train_loss,
            "val_loss": finished.val_loss,
            "val_accuracy": finished.val_accuracy,
            "seconds": round(finished.seconds, 3),
            "samples_per_second": round(finished.samples_per_second, 1),
            "device": self.device,
            "checkpoint": finished.checkpoint,
            "status": finished.status,
            "message": localize(finished.message),
        }


def _epoch_line(m: EpochMetrics) -> str:
    parts = [f"epoch {m.epoch}", f"train loss {m.train_loss:.4f}"]
    if m.train_accuracy is not None:
        parts.append(f"acc {m.train_accuracy:.3f}")
    if m.val_loss is not None:
        parts.append(f"val loss {m.val_loss:.4f}")
    if m.val_accuracy is not None:
        parts.append(f"val acc {m.val_accuracy:.3f}")
    if m.val_rmse is not None:
        parts.append(f"val rmse {m.val_rmse:.4f}")
    parts.append(f"{m.samples_per_second:,.0f} samples/s")
    return ", ".join(parts)
