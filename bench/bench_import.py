"""How fast a torchvision model becomes a drawing.

Target (issue 13): importing resnet50 (3×224×224) in under 2 s, trace included. Measured from a
built model (`import_module`: the fx trace of the model and of each submodule call, the example
runs that record every shape, the mapping onto layers and blocks, and the first validation of
the drawing); building the model (weight
initialisation) and importing torch/torchvision come before and are reported apart. Median of
RUNS, one torch thread (the machine's cores are shared). Run with `python -m bench.bench_import`.
"""

from __future__ import annotations

import statistics
import sys
import time

import torch

from importer import import_module
from importer.vision import load_models

TARGET_S = 2.0
RUNS = 5
MODELS = {"resnet50": (3, 224, 224), "resnet18": (3, 224, 224), "densenet121": (3, 224, 224)}


def main() -> int:
    torch.set_num_threads(1)
    started = time.perf_counter()
    models = load_models()
    print(f"torchvision model builders loaded in {time.perf_counter() - started:.2f} s")
    failed = 0
    for name, shape in MODELS.items():
        started = time.perf_counter()
        module = getattr(models, name)(weights=None)
        built = time.perf_counter() - started
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = import_module(module, [shape], name=name)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        verdict = ""
        if name == "resnet50":
            verdict = "  OK" if median < TARGET_S else f"  OVER the {TARGET_S} s target"
            failed += median >= TARGET_S
        nodes, blocks = len(result.project.nodes), len(result.project.blocks)
        print(
            f"{name:12s} {nodes:4d} nodes, {blocks:2d} blocks  "
            f"import {median:.2f} s (min {min(times):.2f})  "
            f"building the model {built:.2f} s{verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
