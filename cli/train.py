"""`main.py train`: train a project file headless, with a progress bar on a terminal.

Settings come from the command line, then the file's `training` object, then the schema's
defaults; a dataset path in the file is relative to the file. The output folder comes from
`--out` (or `--resume`), never from the file. Bad input is one `error:` line (exit 2 for an
unreadable file or bad option, 1 otherwise); with `--json` the last line printed is a JSON
summary of the run (NaN and infinities as null).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from typing import Any, TextIO

from cli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE, fail, json_safe
from graph import ProjectFileError, load_project
from i18n import localize, message_of, msg, say
from recipe.config import ConfigError, TrainConfig
from recipe.data import DatasetError, dataset_loader, resolve_dataset_path
from recipe.progress import epoch_line
from recipe.settings import SETTINGS
from runtime.code_runner import apply_trust
from runtime.devices import DeviceError, resolve_device
from runtime.events import BatchMetrics, EpochMetrics, Message, RunFinished, RunStarted
from runtime.network import NetworkError, check_trainable, project_for_run
from runtime.trainer import Trainer


def config_from_args(training: dict[str, Any], args: argparse.Namespace, base: str) -> TrainConfig:
    """The file's settings with the command line's on top (options not given are None); a
    dataset path from the file is taken relative to the file's folder `base`."""
    config = TrainConfig.from_training(training)
    config.dataset = resolve_dataset_path(config.dataset, base)
    given = {s.name: getattr(args, s.name) for s in SETTINGS if s.flag}
    return config.replace(
        **given,
        out_dir=args.out or args.resume,
        resume_from=args.resume,
        start_weights=args.weights,
        strict_weights=args.strict_weights or None,
        tensorboard_dir=args.tensorboard,
    )


def run_train(args: argparse.Namespace) -> int:
    try:
        project = load_project(args.file)
    except ProjectFileError as exc:
        return fail(message_of(exc), EXIT_UNREADABLE)
    apply_trust(project, args.trust)
    try:
        base = os.path.dirname(os.path.abspath(args.file))
        config = config_from_args(project.training, args, base)
        resolve_device(config.device)
        dataset_loader(config.dataset, config.dataset_options)
    except ConfigError as exc:
        if not _from_file(exc, args):
            return fail(message_of(exc))
        return fail(
            msg(
                "{file}: training.{setting}: {message}",
                file=args.file,
                setting=exc.setting,
                message=message_of(exc),
            )
        )
    except (DeviceError, DatasetError) as exc:
        return fail(message_of(exc))
    try:
        # against the dataset and loss of this run, which the command line may have changed
        check_trainable(project_for_run(project, config.to_training()))
    except NetworkError as exc:
        return fail(msg("{file}: cannot train, {message}", file=args.file, message=message_of(exc)))
    if args.strict_weights and not args.weights:
        return fail(msg("--strict-weights needs --weights FILE"), EXIT_UNREADABLE)
    if args.weights:
        from runtime.start_weights import StartWeightsError, read_state_dict

        try:
            read_state_dict(args.weights)  # an unreadable file is bad input, said before training
        except StartWeightsError as exc:
            return fail(message_of(exc), EXIT_UNREADABLE)
    if args.nproc is not None and args.nproc < 1:
        return fail(
            msg("--nproc must be at least 1, not {count}", count=args.nproc), EXIT_UNREADABLE
        )
    progress = _Progress(sys.stdout, json_summary=args.json)
    trainer: Any = Trainer(project, config, progress.on_event)
    if args.nproc is not None and args.nproc > 1:
        from runtime.process_group import ProcessGroupRun

        trainer = ProcessGroupRun(project, config, args.nproc, progress.on_event)
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
        print(json.dumps(json_safe(progress.summary(finished))))
    if finished.status == "failed":
        return fail(finished.message, EXIT_FAILED)
    return EXIT_INTERRUPTED if finished.status == "stopped" else EXIT_OK


def _from_file(exc: ConfigError, args: argparse.Namespace) -> bool:
    """Whether the bad value came from the project file rather than from an option."""
    return exc.setting is not None and getattr(args, exc.setting, None) is None


def _with_level(level: str, text: str) -> str:
    """`warning: …`: a run's message as `train` prints it."""
    if level == "warning":
        return msg("warning: {message}", message=text)
    if level == "error":
        return msg("error: {message}", message=text)
    return msg("info: {message}", message=text)


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
            self._line(epoch_line(event, say=say))
        elif isinstance(event, Message):
            self._line(_with_level(event.level, event.text))

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
            "compile_seconds": finished.compile_seconds,
            "device": self.device,
            "checkpoint": finished.checkpoint,
            "status": finished.status,
            "message": localize(finished.message),
        }
