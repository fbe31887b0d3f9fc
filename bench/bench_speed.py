"""Speed settings: Netwright's Trainer against a plain hand-written loop with the same settings.

For each variant (fp32; bf16 mixed precision; torch.compile; on a GPU also fp16) both sides
train the same CNN example: the model class compiled from the same generated source, the same
seeded weights, the same training split, the same shuffled order, the same optimizer, and the
same speed setting (the hand loop wraps its forward pass in torch.autocast, compiles its model
with torch.compile, scales fp16's loss with a GradScaler). Runs alternate (Trainer, loop, loop,
Trainer, ...); the figures are medians of the train phase's samples/s (the Trainer's own count;
the hand loop timed around the same batches) and of each round's ratio, with its quartiles.
Compiling is paid in the first batch: both sides leave that batch's time out, as the Trainer
reports it apart.

Targets (issue 16): the Trainer at fp32 >= 0.98x the hand loop; on a GPU fp16, bf16 and compile
>= 1.3x fp32 (on the CPU the bf16 and compile figures are reported, not judged).

Run with `python -m bench.bench_speed [--example digits_cnn] [--rounds N] [--epochs N]
[--device DEV] [--threads N] [--variants fp32,bf16,compile]`.
"""

from __future__ import annotations

import argparse
import contextlib
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
from recipe.data import dataset_loader, fit_to_input, split_dataset
from runtime.devices import resolve_device
from runtime.trainer import Trainer

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TARGET_FP32 = 0.98
TARGET_GPU_SPEEDUP = 1.3
VARIANTS = {  # name -> the speed settings both sides train with
    "fp32": {"precision": "fp32", "compile": False},
    "bf16": {"precision": "bf16", "compile": False},
    "fp16": {"precision": "fp16", "compile": False},
    "compile": {"precision": "fp32", "compile": True},
}


def trainer_run(example: Path, config: TrainConfig, out_dir: str) -> float:
    """Train-phase samples/s of one Trainer run."""
    finished = Trainer(load_project(example), config.replace(out_dir=out_dir), lambda _: None).run()
    if finished.status != "completed":
        raise SystemExit(f"the Trainer failed: {finished.message}")
    return finished.samples_per_second


def hand_run(example: Path, config: TrainConfig, _out_dir: str) -> float:
    """The same training written by hand: train-phase samples/s."""
    device = resolve_device(config.device)
    project = load_project(example)
    code = generate_model(project)
    namespace: dict[str, object] = {}
    exec(compile(code.source, GENERATED_FILENAME, "exec"), namespace)
    torch.manual_seed(config.seed)
    model = namespace[code.class_name]().to(device)
    shape = project.validate().nodes["x"].outputs[0].shape
    loader, kwargs = dataset_loader(config.dataset, config.dataset_options)
    if loader == "load_digit_images":
        kwargs.setdefault("size", tuple(shape[1:]))
    import recipe.data

    X, y, _ = getattr(recipe.data, loader)(**kwargs)
    X, _ = fit_to_input(X, list(shape))
    X_train, y_train, _, _ = split_dataset(X, y, config.val_fraction, config.seed)
    X_train, y_train = X_train.to(device), y_train.to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    net = torch.compile(model) if config.compile else model
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(config.precision)
    scaler = torch.amp.GradScaler(device.type) if config.precision == "fp16" else None

    def autocast() -> contextlib.AbstractContextManager:
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device.type, dtype=dtype)

    shuffle = torch.Generator().manual_seed(config.seed)
    batch_size, n = config.batch_size, len(X_train)
    seconds, first = 0.0, True
    for _ in range(config.epochs):
        order = torch.randperm(n, generator=shuffle).to(device)
        model.train()
        began = time.perf_counter()
        for i in range(0, n, batch_size):
            index = order[i : i + batch_size]
            if len(index) < 2:
                continue  # as the Trainer: a last batch of one sample is left out
            step_began = time.perf_counter()
            with autocast():
                loss = loss_fn(net(X_train[index]), y_train[index])
            optimizer.zero_grad(set_to_none=True)
            if scaler is None:
                loss.backward()
                optimizer.step()
            else:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            if first and config.compile:  # compiling is not training throughput
                began += time.perf_counter() - step_began
            first = False
        if device.type == "cuda":
            torch.cuda.synchronize()
        seconds += time.perf_counter() - began
    return n * config.epochs / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="digits_cnn", help="an example's name (a CNN)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (both sides)")
    parser.add_argument("--variants", default=None, help="comma-separated (default: all here)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    example = EXAMPLES / f"{args.example}.json"
    base = TrainConfig.from_training(load_project(example).training).replace(
        epochs=args.epochs, device=args.device
    )
    device = resolve_device(base.device)
    names = args.variants.split(",") if args.variants else list(VARIANTS)
    if device.type != "cuda" and not args.variants:
        names.remove("fp16")  # autocast's fp16 on a CPU is emulated: no one trains so
    print(
        f"{args.example}, batch {base.batch_size}, {args.epochs} epochs per run, device {device}, "
        f"{args.threads} thread(s), {args.rounds} rounds; torch {torch.__version__}, "
        f"Python {platform.python_version()}, {platform.machine()}, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    medians: dict[str, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            config = base.replace(**VARIANTS[name])
            trainer_run(example, config, tmp)  # warm-up: imports, allocator, compile caches
            hand_run(example, config, tmp)
            rows = []
            for round_ in range(args.rounds):
                out = f"{tmp}/{name}{round_}"
                if round_ % 2:  # ABBA: a drift in the machine's load favours neither side
                    hand = hand_run(example, config, out)
                    trainer = trainer_run(example, config, out)
                else:
                    trainer = trainer_run(example, config, out)
                    hand = hand_run(example, config, out)
                rows.append((trainer, hand))
            trainer_median = statistics.median(t for t, _ in rows)
            hand_median = statistics.median(h for _, h in rows)
            ratios = [t / h for t, h in rows]
            ratio = statistics.median(ratios)
            medians[name] = (trainer_median, hand_median, ratio)
            # the spread of the rounds' ratios says how far the machine's noise reaches
            low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratio] * 3
            print(
                f"  {name:8} trainer {trainer_median:7.0f} samples/s, hand loop "
                f"{hand_median:7.0f} samples/s, trainer/hand {ratio:.3f} "
                f"(quartiles {low:.3f}-{high:.3f})",
                flush=True,
            )
    ok = True
    if "fp32" in medians:
        fp32 = medians["fp32"]
        met = fp32[2] >= TARGET_FP32
        ok = ok and met
        print(f"fp32 trainer/hand >= {TARGET_FP32}: {'met' if met else 'NOT met'} ({fp32[2]:.3f})")
        for name, (trainer, hand, _) in medians.items():
            if name != "fp32":
                print(
                    f"{name} / fp32 on {device.type}: trainer {trainer / fp32[0]:.2f}x, "
                    f"hand loop {hand / fp32[1]:.2f}x"
                )
                if device.type == "cuda":
                    met = trainer / fp32[0] >= TARGET_GPU_SPEEDUP
                    ok = ok and met
                    print(f"  >= {TARGET_GPU_SPEEDUP}x: {'met' if met else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
