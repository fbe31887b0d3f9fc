"""Training throughput: Netwright's Trainer against a hand-written PyTorch loop, side by side.

Target (issue 4): the Trainer trains at least 0.97× as fast as the hand-written loop
(zero_grad, backward, step) on the same model, data, batch size and device. Both train the
digits CNN example (the model class compiled from the same generated source, the same seeded
weights, the same training split, the same shuffled order); runs alternate (Trainer, loop, loop,
Trainer, ...) and the figures are medians.

Ratios reported (throughput, trainer / hand loop):
  whole run, CPU time      process CPU seconds of a whole run: building the model, loading the
                           data, training, validating every epoch, and everything the Trainer
                           adds (per-batch metrics, events, stop/pause checks, checkpoints and
                           metrics files every epoch) against the loop training, validating and
                           saving its weights once. The figure on a CPU device: on a machine
                           shared with other work it is not stretched by time spent waiting for
                           a core, as wall-clock time is.
  whole run, wall clock    the same runs by the wall clock (the figure on a GPU).
  train phase, wall clock  samples/s over the training batches alone (the Trainer's own count,
                           the loop timed around the same batches).

Run with `python -m bench.bench_training [--rounds N] [--epochs N] [--device DEV]`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

from codegen import GENERATED_FILENAME, generate_model
from graph import load_project
from recipe.config import TrainConfig
from recipe.data import fit_to_input, load_digits, split_dataset
from runtime.devices import resolve_device
from runtime.trainer import Trainer

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "digits_cnn.json"
TARGET = 0.97


def trainer_run(config: TrainConfig, out_dir: str) -> tuple[float, float]:
    """(train-phase samples/s, whole-run seconds) of one Trainer run."""
    project = load_project(EXAMPLE)
    events: list[object] = []
    started = time.perf_counter()
    finished = Trainer(project, config.replace(out_dir=out_dir), events.append).run()
    seconds = time.perf_counter() - started
    if finished.status != "completed":
        raise SystemExit(f"the Trainer failed: {finished.message}")
    return finished.samples_per_second, seconds


def hand_run(config: TrainConfig, out_dir: str) -> tuple[float, float]:
    """The same training written by hand: (train-phase samples/s, whole-run seconds)."""
    started = time.perf_counter()
    device = resolve_device(config.device)
    project = load_project(EXAMPLE)
    model_code = generate_model(project)
    namespace: dict[str, object] = {}
    exec(compile(model_code.source, GENERATED_FILENAME, "exec"), namespace)
    torch.manual_seed(config.seed)
    model = namespace[model_code.class_name]().to(device)

    X, y, _ = load_digits()
    X, _ = fit_to_input(X, [1, 8, 8])
    X_train, y_train, X_val, y_val = split_dataset(X, y, config.val_fraction, config.seed)
    X_train, y_train = X_train.to(device), y_train.to(device)
    X_val, y_val = X_val.to(device), y_val.to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    shuffle = torch.Generator().manual_seed(config.seed)
    batch_size, n = config.batch_size, len(X_train)

    train_seconds = 0.0
    for _ in range(config.epochs):
        order = torch.randperm(n, generator=shuffle).to(device)
        model.train()
        epoch_start = time.perf_counter()
        for i in range(0, n, batch_size):
            index = order[i : i + batch_size]
            loss = loss_fn(model(X_train[index]), y_train[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        train_seconds += time.perf_counter() - epoch_start
        model.eval()
        with torch.no_grad():
            out = model(X_val)
            float(loss_fn(out, y_val))
            float((out.argmax(1) == y_val).float().mean())
    torch.save(model.state_dict(), Path(out_dir) / "hand.pt")
    return n * config.epochs / train_seconds, time.perf_counter() - started


def measured(run, config: TrainConfig, out_dir: str) -> tuple[float, float, float]:
    """(train-phase samples/s by the wall clock, whole-run wall seconds, whole-run CPU seconds)."""
    cpu = time.process_time()
    phase, wall = run(config, out_dir)
    return phase, wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (both sides)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    project = load_project(EXAMPLE)
    config = TrainConfig.from_training(project.training).replace(
        epochs=args.epochs, device=args.device
    )
    device = resolve_device(config.device)
    print(
        f"digits CNN, batch {config.batch_size}, {args.epochs} epochs per run, device {device}, "
        f"{args.threads} thread(s), {args.rounds} rounds; torch {torch.__version__}, "
        f"Python {platform.python_version()}, {platform.machine()}, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        trainer_run(config, tmp)  # warm-up: first-use costs (imports, allocator) on both sides
        hand_run(config, tmp)
        for round_ in range(args.rounds):
            # ABBA order, so a drift in the machine's load favours neither side
            if round_ % 2:
                hand = measured(hand_run, config, tmp)
                trainer = measured(trainer_run, config, f"{tmp}/t{round_}")
            else:
                trainer = measured(trainer_run, config, f"{tmp}/t{round_}")
                hand = measured(hand_run, config, tmp)
            rows.append((trainer, hand))
            print(
                f"  round {round_ + 1:2}: train phase {trainer[0]:6.0f} vs {hand[0]:6.0f} "
                f"samples/s, whole run {trainer[1]:5.2f} vs {hand[1]:5.2f} s wall, "
                f"{trainer[2]:5.2f} vs {hand[2]:5.2f} s CPU (trainer vs hand loop)",
                flush=True,
            )
    ratios = {
        "whole run, CPU time": statistics.median(h[2] / t[2] for t, h in rows),
        "whole run, wall clock": statistics.median(h[1] / t[1] for t, h in rows),
        "train phase, wall clock": statistics.median(t[0] / h[0] for t, h in rows),
    }
    if device.type == "cpu":
        print("median throughput ratios, trainer / hand loop (CPU time is the figure on CPU):")
    else:
        print("median throughput ratios, trainer / hand loop:")
    for name, ratio in ratios.items():
        print(f"  {name:24} {ratio:.3f}")
    figure = ratios["whole run, CPU time" if device.type == "cpu" else "whole run, wall clock"]
    print(f"target >= {TARGET}: {'met' if figure >= TARGET else 'NOT met'} ({figure:.3f})")
    return 0 if figure >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
