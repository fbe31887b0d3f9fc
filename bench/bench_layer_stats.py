"""The cost of per-layer statistics: Trainer throughput with them (every 20 batches, as the
app collects them) against without, on the digits CNN example.

Target (issue 15): with statistics, training keeps at least 0.95× the throughput without.
Runs alternate (without, with, with, without, ...) with the same seed, and the figures are
medians of the Trainer's own train-phase samples/s and of process CPU seconds per run.

Run with `python -m bench.bench_layer_stats [--rounds N] [--epochs N] [--every K] [--device D]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch

from graph import load_project
from recipe.config import TrainConfig
from runtime.events import LayerStats
from runtime.trainer import Trainer

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "digits_cnn.json"
TARGET = 0.95


def one_run(config: TrainConfig, every: int) -> tuple[float, float, int]:
    """(train-phase samples/s, CPU seconds, statistics samples) of one run."""
    project = load_project(EXAMPLE)
    events: list[object] = []
    with tempfile.TemporaryDirectory() as out:
        trainer = Trainer(project, config.replace(out_dir=out), events.append)
        trainer.layer_stats_every = every
        cpu = time.process_time()
        finished = trainer.run()
        cpu = time.process_time() - cpu
    if finished.status != "completed":
        raise SystemExit(f"the run failed: {finished.message}")
    samples = sum(isinstance(e, LayerStats) for e in events)
    return finished.samples_per_second, cpu, samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--every", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    project = load_project(EXAMPLE)
    config = TrainConfig.from_training(project.training).replace(
        epochs=args.epochs, device=args.device
    )
    for every in (0, args.every):  # warm-up of both paths: imports, allocator, caches
        one_run(config.replace(epochs=1), every)
    rates: dict[int, list[float]] = {0: [], args.every: []}
    cpus: dict[int, list[float]] = {0: [], args.every: []}
    collected = 0
    for round_ in range(args.rounds):
        order = (0, args.every) if round_ % 2 == 0 else (args.every, 0)
        for every in order:
            rate, cpu, samples = one_run(config, every)
            rates[every].append(rate)
            cpus[every].append(cpu)
            collected = max(collected, samples)
    without, with_ = statistics.median(rates[0]), statistics.median(rates[args.every])
    cpu_without, cpu_with = statistics.median(cpus[0]), statistics.median(cpus[args.every])
    ratio = with_ / without
    cpu_ratio = cpu_without / cpu_with
    print(
        f"device {args.device}, {args.threads} thread(s), {args.epochs} epochs, "
        f"statistics every {args.every} batches ({collected} samples per run)"
    )
    print(f"  train phase: {without:,.0f} samples/s without, {with_:,.0f} with: {ratio:.3f}x")
    print(
        f"  whole run, CPU time: {cpu_without:.2f} s without, {cpu_with:.2f} s with: "
        f"{cpu_ratio:.3f}x"
    )
    verdict = "meets" if min(ratio, cpu_ratio) >= TARGET else "MISSES"
    print(f"  {verdict} the target of {TARGET}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
