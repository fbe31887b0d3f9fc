"""Blocks at ResNet-50 scale: 16 bottleneck instances drawn from two block definitions.

Targets (issue 11): full validation under 10 ms, re-validation after an edit inside the
bottleneck definition under 5 ms, code generation under 50 ms. Medians over repeated runs, wall
clock and CPU time. Run with `python -m bench.bench_blocks` (or `make bench`).
"""

from __future__ import annotations

import gc
import itertools
import statistics
import time
from collections.abc import Callable
from typing import Any

from codegen import generate_model
from graph import Project, project_from_dict

FULL_TARGET_MS = 10.0
EDIT_TARGET_MS = 5.0
CODEGEN_TARGET_MS = 50.0
STAGES = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]  # planes, blocks, stride


def _chain(*specs: tuple) -> tuple[list[dict], list[dict]]:
    nodes = []
    for spec in specs:
        node: dict[str, Any] = {"id": spec[0], "type": spec[1]}
        if len(spec) > 2:
            node["params"] = spec[2]
        nodes.append(node)
    edges = [{"source": a["id"], "target": b["id"]} for a, b in itertools.pairwise(nodes)]
    return nodes, edges


def _conv(nid: str, out: str, kernel: int, stride: str | int = 1) -> tuple:
    params: dict[str, Any] = {"out_channels": out, "kernel_size": kernel, "bias": False}
    if kernel == 3:
        params["padding"] = 1
    if stride != 1:
        params["stride"] = stride
    return (nid, "Conv2d", params)


def _bottleneck(down: bool) -> dict[str, Any]:
    """torchvision's Bottleneck: 1×1, 3×3 (stride), 1×1 ×4, plus the shortcut, then ReLU."""
    stride = "$stride" if down else 1
    nodes, edges = _chain(
        ("x", "Input"),
        _conv("conv1", "$planes", 1),
        ("bn1", "BatchNorm2d"),
        ("relu1", "ReLU"),
        _conv("conv2", "$planes", 3, stride),
        ("bn2", "BatchNorm2d"),
        ("relu2", "ReLU"),
        _conv("conv3", "$planes * 4", 1),
        ("bn3", "BatchNorm2d"),
        ("add", "Add"),
        ("relu", "ReLU"),
        ("out", "Output"),
    )
    shortcut = "x"
    if down:
        nodes.append(
            {
                "id": "downsample",
                "type": "Shortcut",
                "params": {"out": "$planes * 4", "stride": stride},
            }
        )
        edges.append({"source": "x", "target": "downsample"})
        shortcut = "downsample"
    edges.append({"source": shortcut, "target": "add", "target_port": 1})
    params = {"planes": {"type": "int", "default": 64, "min": 1}}
    if down:
        params["stride"] = {"type": "int", "default": 2, "min": 1}
    return {"params": params, "nodes": nodes, "edges": edges}


def resnet50() -> dict[str, Any]:
    """The project file of a ResNet-50 drawn with blocks."""
    nodes, edges = _chain(
        ("shortcut_x", "Input"),
        _conv("0", "$out", 1, "$stride"),
        ("1", "BatchNorm2d"),
        ("shortcut_out", "Output"),
    )
    shortcut = {
        "params": {"out": {"type": "int", "default": 256}, "stride": {"type": "int", "default": 1}},
        "nodes": nodes,
        "edges": edges,
    }
    specs: list[tuple] = [
        ("x", "Input", {"shape": [3, 224, 224]}),
        (
            "conv1",
            "Conv2d",
            {"out_channels": 64, "kernel_size": 7, "stride": 2, "padding": 3, "bias": False},
        ),
        ("bn1", "BatchNorm2d"),
        ("relu", "ReLU"),
        ("maxpool", "MaxPool2d", {"kernel_size": 3, "stride": 2, "padding": 1}),
    ]
    for stage, (planes, blocks, stride) in enumerate(STAGES, 1):
        specs.append((f"layer{stage}_0", "BottleneckDown", {"planes": planes, "stride": stride}))
        specs += [(f"layer{stage}_{i}", "Bottleneck", {"planes": planes}) for i in range(1, blocks)]
    specs += [
        ("avgpool", "AdaptiveAvgPool2d", {"output_size": 1}),
        ("flatten", "Flatten"),
        ("fc", "Linear", {"out_features": 1000}),
        ("out", "Output"),
    ]
    nodes, edges = _chain(*specs)
    return {
        "format": "netwright",
        "version": 2,
        "name": "ResNet50",
        "blocks": {
            "Shortcut": shortcut,
            "Bottleneck": _bottleneck(False),
            "BottleneckDown": _bottleneck(True),
        },
        "nodes": nodes,
        "edges": edges,
    }


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    wall: list[float] = []
    cpu: list[float] = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            w, c = time.perf_counter(), time.process_time()
            fn()
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
    finally:
        gc.enable()
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def measure(runs: int = 31) -> dict[str, float]:
    data = resnet50()
    projects = [project_from_dict(data) for _ in range(runs)]
    fresh = iter(projects)
    full = _median_ms(lambda: next(fresh).validate(), runs)

    project = project_from_dict(data)
    report = project.validate()
    assert report.valid, [p.message for p in report.errors]
    params = report.total_params  # torchvision's resnet50(): 25,557,032
    body: Project = project.blocks.get("Bottleneck").body  # type: ignore[union-attr]
    flip = iter([True, False] * runs)

    def edit() -> None:
        body.set_param("conv1", "bias", next(flip))
        project.validate()

    edited = _median_ms(edit, runs)
    report = project.validate()
    codegen = _median_ms(lambda: generate_model(project, report), runs)
    return {
        "params": params,
        "full_ms": full[0],
        "full_cpu_ms": full[1],
        "edit_ms": edited[0],
        "edit_cpu_ms": edited[1],
        "codegen_ms": codegen[0],
        "codegen_cpu_ms": codegen[1],
    }


def main() -> int:
    figures = measure()
    print(f"ResNet-50 with blocks: 16 bottleneck instances, {figures['params']:,} parameters")
    rows = [
        ("full validation", figures["full_ms"], figures["full_cpu_ms"], FULL_TARGET_MS),
        ("edit in Bottleneck", figures["edit_ms"], figures["edit_cpu_ms"], EDIT_TARGET_MS),
        ("code generation", figures["codegen_ms"], figures["codegen_cpu_ms"], CODEGEN_TARGET_MS),
    ]
    failed = 0
    for name, wall, cpu, target in rows:
        ok = wall < target
        failed += not ok
        print(
            f"  {name:20s} {wall:7.2f} ms wall  {cpu:7.2f} ms cpu  target < {target:g} ms  "
            f"{'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
