"""One sample through the network: what every node makes of it, cut down small enough to travel
as an event (runtime.events.SampleActivations) a few times a second.

Forward hooks on the module of each node (inside blocks too) catch its output for one sample, in
eval mode and without gradients; the network is put back in the mode it was in. Each output is
summarised by its rank: a feature map (channels, h, w) as the first channels, shrunk to small
heatmaps; a vector as bars; a sequence as lines; the network's output as class probabilities.
Nodes without a module of their own (Add, Concat, Reshape and the other operations the
generated forward writes as a function call) are caught by runtime.sample_lines, which maps the
torch calls of each generated line to the node it was written for.

During a run the Trainer serves requests between batches on the training device
(`SampleRequests`, asked from any thread), on the plain network even when a compiled one trains;
before and after a run `DrawingProbe` builds the network from the drawing (random weights, or a
run's final ones) on the CPU, and during a run on several processes it runs the weights that run
saves after every epoch (`DrawingProbe.run_saved`).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from codegen import GeneratedModel
from codegen.containers import module_at
from graph import Project
from graph.fileio import project_to_dict
from i18n import message_of, msg
from recipe.config import TrainConfig
from runtime.checkpoints import load_weights
from runtime.datasets import prepare_data
from runtime.evaluation import class_probabilities
from runtime.events import ActivationSummary, SampleActivations
from runtime.network import build_network, check_trainable, exception_line, project_for_run
from runtime.run_history import STATE_FILE, file_stamp
from runtime.sample_lines import GeneratedLineOutputs

MAX_CHANNELS = 16  # feature maps: the first channels only
MAX_SIDE = 28  # a feature map's longer side, after shrinking (digits and MNIST: as they are)
MAX_BARS = 64  # a vector: its first values
MAX_LINES = 8  # a sequence: its first features (or channels)
MAX_POINTS = 128  # points per line
MAX_CLASSES = 100
RECURRENT = ("LSTM", "GRU", "RNN")  # their outputs are (time, features): a line per feature


class SampleRequests:
    """The sample asked for last, from any thread; the run takes it between batches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: int | None = None

    def ask(self, index: int) -> None:
        with self._lock:
            self._index = int(index)

    @property
    def asked(self) -> bool:
        return self._index is not None  # a plain read: checked before every batch

    def take(self) -> int | None:
        with self._lock:
            index, self._index = self._index, None
        return index


# --- which module makes which node's output ------------------------------------------------------


def node_modules(net: nn.Module, code: GeneratedModel, project: Project) -> dict[str, nn.Module]:
    """Node path ("b1/conv1", top-level nodes by their id) -> the module whose output is that
    node's output. Inside a repeated block the first copy is shown, as the editor shows its
    shapes; a module shared by several nodes is listed for the first of them."""
    found: dict[str, nn.Module] = {}
    _walk(net, code.attributes, code.class_name, project, code, "", found, set())
    return found


def _walk(
    owner: nn.Module,
    attributes: dict[str, str],
    class_name: str,
    drawing: Project,
    code: GeneratedModel,
    prefix: str,
    found: dict[str, nn.Module],
    seen: set[int],
) -> None:
    items = code.sequential_items.get(class_name)
    spans: dict[str, tuple[nn.Module, nn.Module]] = {}  # node -> (its output's module, first)
    if items is not None and isinstance(owner, nn.Sequential):
        start = 0
        for node_id, count in items:
            if count is None:
                break  # copies known only at run time: the positions after it are unknown
            if count > 0 and start + count <= len(owner):
                spans[node_id] = (owner[start + count - 1], owner[start])
            start += count
    else:
        for node_id, attr in attributes.items():
            module = module_at(owner, attr)  # `conv1`; `layers.0` in a ModuleList
            if isinstance(module, nn.Module):
                first = module[0] if _copies(module, drawing, node_id, code) else module
                spans[node_id] = (module, first)
    for node_id, (module, first) in spans.items():
        if not drawing.has_node(node_id) or id(module) in seen:
            continue
        seen.add(id(module))
        key = prefix + node_id
        found[key] = module
        node_type = drawing.node(node_id).type
        if node_type in drawing.blocks:
            block = drawing.blocks.get(node_type)
            inner_class = code.block_classes.get(node_type, "")
            inner_attrs = code.block_attributes.get(node_type, {})
            _walk(first, inner_attrs, inner_class, block.body, code, key + "/", found, seen)


def _copies(module: nn.Module, drawing: Project, node_id: str, code: GeneratedModel) -> bool:
    """True when the node's attribute holds an nn.Sequential of copies, not the layer itself."""
    if not drawing.has_node(node_id) or not isinstance(module, nn.Sequential) or not len(module):
        return False
    node = drawing.node(node_id)
    if node.type in drawing.blocks:
        return type(module).__name__ != code.block_classes.get(node.type)
    return node.repeat not in (None, 1)


# --- summaries -----------------------------------------------------------------------------------


def summarize(out: torch.Tensor, kind_hint: str = "") -> ActivationSummary:
    """One sample's output (batch dimension gone) cut down by its rank; `kind_hint` is
    "time_major" for recurrent outputs, "image" for an Input of rank 2."""
    out = out.detach().float()
    shape = tuple(out.shape)
    finite = out[torch.isfinite(out)]
    low = float(finite.min()) if finite.numel() else 0.0
    high = float(finite.max()) if finite.numel() else 0.0
    if out.dim() >= 4:  # a volume (channels, depth, h, w): its middle slice
        while out.dim() > 3:
            out = out.select(1, out.shape[1] // 2)
    if out.dim() == 2 and kind_hint == "image":
        out = out.unsqueeze(0)
    if out.dim() == 3:
        maps = out[:MAX_CHANNELS]
        h, w = maps.shape[1:]
        if max(h, w) > MAX_SIDE:
            scale = MAX_SIDE / max(h, w)
            size = (max(1, round(h * scale)), max(1, round(w * scale)))
            maps = F.adaptive_avg_pool2d(maps.unsqueeze(0), size)[0]
        return _maps(maps, shape, low, high)
    if out.dim() == 2:
        # a line per feature over time (recurrent outputs, or one value per step), else per row
        time_major = kind_hint == "time_major" or out.shape[1] == 1
        lines = out.t() if time_major else out
        lines = lines[:MAX_LINES]
        if lines.shape[1] > MAX_POINTS:
            lines = F.adaptive_avg_pool1d(lines.unsqueeze(0), MAX_POINTS)[0]
        return ActivationSummary("lines", _half(lines), shape, low, high)
    bars = out.reshape(-1)[:MAX_BARS]
    return ActivationSummary("bars", bars.cpu().numpy().astype(np.float32), shape, low, high)


def _maps(maps: torch.Tensor, shape: tuple, low: float, high: float) -> ActivationSummary:
    """Each channel in 8 bits between its own low and high: a quarter of float32's bytes, and
    all a heatmap scaled per channel can show."""
    maps = torch.nan_to_num(maps, 0.0, 0.0, 0.0)
    flat = maps.reshape(len(maps), -1)
    lows, highs = flat.min(dim=1).values, flat.max(dim=1).values
    span = (highs - lows).clamp(min=1e-12)[:, None, None]
    codes = ((maps - lows[:, None, None]) / span * 255).round().clamp(0, 255).to(torch.uint8)
    ranges = torch.stack([lows, highs], dim=1).cpu().numpy().astype(np.float32)
    return ActivationSummary("maps", codes.cpu().numpy(), shape, low, high, ranges)


def _half(values: torch.Tensor) -> np.ndarray:
    limit = float(np.finfo(np.float16).max)
    return (
        torch.nan_to_num(values, 0.0, limit, -limit)
        .clamp(-limit, limit)
        .cpu()
        .numpy()
        .astype(np.float16)
    )


def probabilities(output: torch.Tensor, last_type: str | None) -> np.ndarray:
    """The class probabilities of one sample's output (a batch of one)."""
    out = output.detach().float().reshape(1, -1)
    if last_type == "Softmax":  # already probabilities: a second softmax would flatten them
        probs = out.clamp(min=0)
        probs = probs / probs.sum().clamp(min=1e-12)
    else:
        probs = class_probabilities(out)
    return probs[0, :MAX_CLASSES].cpu().numpy().astype(np.float32)


# --- the probe -----------------------------------------------------------------------------------


@dataclass
class ProbeTarget:
    """What the probe needs to know about a network and its data (built once per run)."""

    net: nn.Module
    modules: dict[str, nn.Module]
    hints: dict[str, str]  # node path -> kind hint for `summarize`
    input_key: str
    output_key: str
    last_type: str | None
    X: torch.Tensor  # the split samples are picked from
    y: torch.Tensor
    classification: bool
    class_names: list[str] = field(default_factory=list)
    to_device: Callable[[torch.Tensor], torch.Tensor] = lambda t: t
    code: GeneratedModel | None = None  # the source's lines, for the nodes without a module

    @classmethod
    def of(cls, net: nn.Module, network: Any, project: Project, data: Any, to_device: Callable):
        modules = node_modules(net, network.code, project)
        hints = {k: "time_major" for k in modules if _node_type(project, k) in RECURRENT}
        input_shape = network.input_shape
        if len(input_shape) == 2:  # an image without channels, or (time, features)
            image = min(input_shape) >= 8
            hints[network.input_node] = "image" if image else "time_major"
        X, y = (data.X_val, data.y_val) if len(data.X_val) else (data.X_train, data.y_train)
        return cls(
            net,
            modules,
            hints,
            network.input_node,
            network.output_node,
            network.last_layer_type(project),
            X,
            y,
            data.classification,
            list(data.info.get("class_names") or []),
            to_device,
            network.code,
        )


def _node_type(project: Project, key: str) -> str:
    drawing, node = project, None
    for part in key.split("/"):
        if not drawing.has_node(part):
            return ""
        node = drawing.node(part)
        if node.type in drawing.blocks:
            drawing = drawing.blocks.get(node.type).body
    return node.type if node is not None else ""


def probe(target: ProbeTarget, index: int, step: int, weights: str) -> SampleActivations:
    """Run sample `index` through the network with hooks; the network's mode is restored."""
    count = len(target.X)
    if count == 0:
        return SampleActivations(0, 0, step, weights, "", "", error=msg("the dataset is empty"))
    index = index % count
    outputs: dict[str, torch.Tensor] = {}

    def hook_for(key: str) -> Callable:
        def hook(_module: nn.Module, _inputs: Any, output: Any) -> None:
            out = output[0] if isinstance(output, tuple | list) else output
            if key not in outputs and isinstance(out, torch.Tensor) and len(out):
                outputs[key] = out[0]

        return hook

    net = target.net
    training = net.training
    handles = [m.register_forward_hook(hook_for(k)) for k, m in target.modules.items()]
    x = target.X[index : index + 1]
    lines = GeneratedLineOutputs(target.code, set(target.modules)) if target.code else None
    try:
        net.eval()
        with torch.no_grad(), lines if lines is not None else contextlib.nullcontext():
            result = net(target.to_device(x))
    except Exception as exc:
        return SampleActivations(
            index,
            count,
            step,
            weights,
            _target_text(target, index),
            "",
            error=msg("the network failed on this sample: {text}", text=exception_line(exc)),
        )
    finally:
        for handle in handles:
            handle.remove()
        net.train(training)
    if lines is not None:
        for key, value in lines.outputs.items():
            outputs.setdefault(key, value)
    nodes = {k: summarize(v, target.hints.get(k, "")) for k, v in outputs.items()}
    nodes[target.input_key] = summarize(x[0].float(), target.hints.get(target.input_key, ""))
    out = result[0] if isinstance(result, tuple | list) else result
    predicted = ""
    if target.classification:
        probs = probabilities(out[:1], target.last_type)
        best = int(np.argmax(probs))
        nodes[target.output_key] = ActivationSummary(
            "probabilities", probs, tuple(out.shape[1:]), 0.0, 1.0
        )
        predicted = f"{_class_name(target, best)} ({probs[best]:.0%})"
    else:
        nodes[target.output_key] = summarize(out[0].reshape(-1))
        values = out[0].reshape(-1)[:3].tolist()
        predicted = ", ".join(f"{v:.3g}" for v in values)
    return SampleActivations(
        index,
        count,
        step,
        weights,
        _target_text(target, index),
        predicted,
        nodes,
        tuple(target.class_names),
    )


def _class_name(target: ProbeTarget, k: int) -> str:
    return target.class_names[k] if k < len(target.class_names) else str(k)


def _target_text(target: ProbeTarget, index: int) -> str:
    y = target.y[index]
    if target.classification and y.numel() == 1:
        return _class_name(target, int(y))
    return ", ".join(f"{v:.3g}" for v in y.reshape(-1)[:3].tolist())


class LiveProbe:
    """The probe of a live run: the Trainer's loop serves what was asked, between batches."""

    def __init__(self, target: ProbeTarget, requests: SampleRequests) -> None:
        self.target = target
        self.requests = requests

    @property
    def asked(self) -> bool:
        return self.requests.asked

    def serve(self, step: int) -> SampleActivations | None:
        index = self.requests.take()
        return None if index is None else probe(self.target, index, step, "live")


# --- before and after a run, and from a run's saved weights: the drawing's own network ----------


class DrawingProbe:
    """Builds the drawing's network and data (on the CPU) and probes it; keeps them while the
    drawing stays the same, and the weights loaded while their file does, so that picking
    another sample is quick."""

    def __init__(self) -> None:
        self._drawing: str | None = None
        self._target: ProbeTarget | None = None
        self._loaded: tuple | None = None  # (file, stamp) of the weights in the network
        self._epoch = 0  # of the state file loaded

    def run(
        self, project: Project, index: int, weights_file: str | None = None
    ) -> SampleActivations:
        """The network with random weights, or a run's final ones (`weights_file`, a
        state_dict). Never raises: what goes wrong is said in the event's `error`."""
        weights = "final" if weights_file else "initial"
        try:
            target = self._target_for(project, weights_file, _state_dict)
        except Exception as exc:
            self._drawing = self._target = None
            return SampleActivations(index, 0, 0, weights, "", "", error=_why(exc))
        return probe(target, index, 0, weights)

    def run_saved(self, project: Project, index: int, folder: str) -> SampleActivations:
        """The weights a run saved in `folder` after its latest epoch (its state.pt, which a
        run on several processes rewrites after every epoch): weights "epoch", the event's
        `step` being that epoch. Never raises."""
        try:
            target = self._target_for(project, os.path.join(folder, STATE_FILE), self._state)
        except Exception as exc:
            self._drawing = self._target = None
            return SampleActivations(index, 0, 0, "epoch", "", "", error=_why(exc))
        return probe(target, index, self._epoch, "epoch")

    def _state(self, path: str) -> dict[str, torch.Tensor]:
        state = load_weights(path)
        self._epoch = int(state["epoch"])
        return state["model"]

    def _target_for(
        self, project: Project, weights_file: str | None, read: Callable[[str], dict]
    ) -> ProbeTarget:
        # where the nodes sit is no part of the network: moving one keeps what was built
        drawing = json.dumps(_without_positions(project_to_dict(project)), default=str)
        loaded = (weights_file, file_stamp(weights_file)) if weights_file else None
        if drawing != self._drawing or self._target is None or (self._loaded and not loaded):
            self._drawing = self._target = self._loaded = None
            self._target = self._build(project)
            self._drawing = drawing
        if loaded is not None and loaded != self._loaded:
            self._loaded = None  # a load that fails halfway leaves a network to build again
            self._drawing = None
            self._target.net.load_state_dict(read(weights_file))
            self._loaded, self._drawing = loaded, drawing
        return self._target

    @staticmethod
    def _build(project: Project) -> ProbeTarget:
        config = TrainConfig.from_training(project.training)
        config.validate()
        run_project = project_for_run(project, config.to_training())
        check_trainable(run_project)
        network = build_network(run_project, config.seed)
        data = prepare_data(config, network, project)
        return ProbeTarget.of(network.module, network, project, data, lambda t: t)


def _state_dict(path: str) -> dict[str, torch.Tensor]:
    return load_weights(path)


def _without_positions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in sorted(value.items()) if k != "pos"}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


def _why(exc: Exception) -> str:
    """One line: the exception's own message (a Message stays translatable), or its kind."""
    text = message_of(exc)
    if not text.strip():
        return type(exc).__name__
    return text if "\n" not in text else text.splitlines()[0]
