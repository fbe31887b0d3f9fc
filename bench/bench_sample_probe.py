"""The cost of "one sample through the network" during a run: Trainer throughput while another
thread asks for a sample every 0.4 s (as the Sample dock does) against a run nobody asks.

Target (issue 15): with the probe, training keeps at least 0.95× the throughput without.
Runs alternate (without, with, with, without, ...) with the same seed after a warm-up of both;
the figures are medians of the Trainer's own train-phase samples/s and of process CPU seconds
per run; and, less noisy on a busy machine, the time the training thread spent serving the
probes against its train-phase time (the direct cost).

Run with `python -m bench.bench_sample_probe [--rounds N] [--epochs N] [--device D]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import torch

from graph import load_project
from recipe.config import TrainConfig
from runtime import run_loop
from runtime.events import RunStarted, SampleActivations
from runtime.trainer import Trainer

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "digits_cnn.json"
TARGET = 0.95
INTERVAL = 0.4  # seconds between requests: gui/training/sample_controller.LIVE_INTERVAL_MS
SERVING = [0.0]  # seconds the training thread spent serving probes in the current run


def _timed(serve):  # wraps EpochLoop._serve_probe to measure it
    def timed(loop):
        began = time.perf_counter()
        serve(loop)
        SERVING[0] += time.perf_counter() - began

    return timed


def one_run(config: TrainConfig, ask: bool) -> tuple[float, float, int, float]:
    """(train-phase samples/s, CPU seconds, samples served, share of the train phase spent
    serving them) of one run."""
    SERVING[0] = 0.0
    project = load_project(EXAMPLE)
    events: list[object] = []
    done = threading.Event()
    with tempfile.TemporaryDirectory() as out:
        trainer = Trainer(project, config.replace(out_dir=out), events.append)

        # Both runs have the thread that wakes every INTERVAL (as the GUI thread does); only
        # one asks, so the difference is the probe's alone.
        def asker() -> None:
            index = 0
            while not done.wait(INTERVAL):
                if ask:
                    trainer.request_sample(index)
                index += 1

        thread = threading.Thread(target=asker, daemon=True)
        if ask:
            trainer.request_sample(0)
        thread.start()
        cpu = time.process_time()
        finished = trainer.run()
        cpu = time.process_time() - cpu
        done.set()
        thread.join()
    if finished.status != "completed":
        raise SystemExit(f"the run failed: {finished.message}")
    served = sum(isinstance(e, SampleActivations) for e in events)
    started = next(e for e in events if isinstance(e, RunStarted))
    train_seconds = started.train_samples * config.epochs / finished.samples_per_second
    return finished.samples_per_second, cpu, served, SERVING[0] / train_seconds


def probe_milliseconds(config: TrainConfig, device: str) -> float:
    """Median time of one probe of the digits CNN on `device` (hooks, forward, summaries)."""
    from runtime.datasets import prepare_data
    from runtime.network import build_network
    from runtime.sample_probe import ProbeTarget, probe

    project = load_project(EXAMPLE)
    network = build_network(project, config.seed)
    data = prepare_data(config, network, project)
    net = network.module.to(device)
    target = ProbeTarget.of(net, network, project, data, lambda t: t.to(device))
    times = []
    for index in range(30):
        began = time.perf_counter()
        probe(target, index, 0, "live")
        times.append(time.perf_counter() - began)
    return statistics.median(times[5:]) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    run_loop.EpochLoop._serve_probe = _timed(run_loop.EpochLoop._serve_probe)
    project = load_project(EXAMPLE)
    config = TrainConfig.from_training(project.training).replace(
        epochs=args.epochs, device=args.device
    )
    for ask in (False, True):  # warm-up of both paths: imports, allocator, caches
        one_run(config.replace(epochs=1), ask)
    rates: dict[bool, list[float]] = {False: [], True: []}
    cpus: dict[bool, list[float]] = {False: [], True: []}
    served = 0
    shares: list[float] = []
    for round_ in range(args.rounds):
        for ask in (False, True) if round_ % 2 == 0 else (True, False):
            rate, cpu, count, share = one_run(config, ask)
            rates[ask].append(rate)
            cpus[ask].append(cpu)
            if ask:
                served = max(served, count)
                shares.append(share)
    without, with_ = statistics.median(rates[False]), statistics.median(rates[True])
    cpu_without, cpu_with = statistics.median(cpus[False]), statistics.median(cpus[True])
    ratio, cpu_ratio = with_ / without, cpu_without / cpu_with
    print(
        f"device {args.device}, {args.threads} thread(s), {args.epochs} epochs, a sample asked "
        f"every {INTERVAL} s (up to {served} served per run)"
    )
    print(f"  one probe, warm: {probe_milliseconds(config, args.device):.2f} ms median")
    direct = 1 / (1 + statistics.median(shares))
    print(
        f"  serving the probes: {statistics.median(shares):.2%} of the train phase: {direct:.3f}x"
    )
    print(f"  train phase: {without:,.0f} samples/s without, {with_:,.0f} with: {ratio:.3f}x")
    print(
        f"  whole run, CPU time: {cpu_without:.2f} s without, {cpu_with:.2f} s with: "
        f"{cpu_ratio:.3f}x"
    )
    verdict = "meets" if direct >= TARGET else "MISSES"
    print(f"  direct cost {verdict} the target of {TARGET}x (A/B ratios above are load-noisy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
