"""What a design costs before it is trained: multiply-accumulates and memory, per node and in total.

MACs are multiply-accumulates for one sample, counted as torch.utils.flop_counter counts FLOPs
(its FLOPs / 2): matrix products and convolutions only. Element-wise work (activations,
normalisation, pooling, adding branches) counts 0, as there. Where torch's counter sees nothing
although there is a product (LSTM's fused CPU kernel, Bilinear), Netwright still counts it;
docs/cost.md lists these.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any

from graph.arithmetic import Arith
from graph.tensor import INT, TensorType

BYTES = {"float32": 4, INT: 8}
# Values an optimizer keeps per parameter besides the parameter and its gradient.
OPTIMIZER_STATES = {"sgd": 1, "adam": 2, "adamw": 2, "rmsprop": 1, "adagrad": 1}


def no_macs(a: Arith) -> int:
    """Layers without a matrix product or convolution."""
    return 0


def linear_macs(a: Arith) -> int:
    """A product over the last dim, for every position of the leading dims."""
    positions = prod(a.out[:-1])
    return positions * a.params["in_features"] * a.params["out_features"]


def attention_macs(embed: int, length: int, keys: int) -> int:
    """Self-attention: q, k, v and out projections of the tokens, then scores and the weighted
    sum over `keys` (the tokens, plus add_bias_kv's and add_zero_attn's extra ones)."""
    return 4 * length * embed * embed + 2 * length * keys * embed


@dataclass(frozen=True)
class NodeCost:
    macs: int  # for one sample
    activation_bytes: int  # the node's outputs for one sample
    parameter_bytes: int


def tensor_bytes(t: TensorType) -> int:
    return t.numel() * BYTES.get(t.dtype, 4)


def node_cost(spec: Any, report: Any) -> NodeCost | None:
    """The cost of a checked node; None while its shapes are unknown."""
    if spec is None or any(t is None for t in report.outputs + report.inputs):
        return None
    a = Arith(dict(report.resolved), report.inputs, report.outputs, report.params)
    macs = spec.macs(a) if spec.macs is not None else 0
    activations = sum(tensor_bytes(t) for t in report.outputs)
    return NodeCost(macs, activations, report.params * 4)


@dataclass(frozen=True)
class Totals:
    macs: int
    activation_bytes: int
    parameter_bytes: int
    parameters: int

    def training_bytes(self, batch_size: int, optimizer: str, momentum: float = 0.9) -> int:
        """A rough peak for training: weights, gradients and optimizer state, plus every
        activation of the batch kept for backward and a gradient of the same size."""
        states = OPTIMIZER_STATES.get(optimizer, 2)
        if optimizer == "sgd" and not momentum:
            states = 0
        weights = self.parameter_bytes * (2 + states)
        return weights + 2 * batch_size * self.activation_bytes


def deep_cost(project: Any, node: Any, report: Any) -> NodeCost | None:
    """The cost of a node of `project` (the top level or a block's drawing), looking inside:
    an instance costs what its block's nodes cost for each copy, a repeated layer what each
    copy costs; the same sums as the drawing with every block ungrouped. None while a shape
    inside is unknown."""
    if report is None:
        return None
    runs = report.runs
    if not runs:
        return node_cost(project.spec(node.type), report)
    if not hasattr(runs[0], "report"):  # a repeated layer: one NodeReport per copy
        spec = project.spec(node.type)
        return _sum([node_cost(spec, copy) for copy in runs])
    block = project.blocks.get(runs[0].block)
    if block is None:
        return None
    ports = set(block.input_ids)  # the tensor wired in, counted where it is made
    parts = [
        deep_cost(block.body, inner, run.report.nodes.get(inner.id))
        for run in runs
        for inner in block.body.nodes
        if inner.id not in ports
    ]
    return _sum(parts)


def inner_costs(project: Any, report: Any) -> dict[str, NodeCost]:
    """The cost of every node inside an instance or a repeat, by the path `check --json` lists
    it under in `inner` (`layer2.0.conv1`; graph/report.py)."""
    found: dict[str, NodeCost] = {}
    for node in project.nodes:
        _inner(project, node, report.nodes.get(node.id), node.id, found)
    return found


def _inner(project: Any, node: Any, report: Any, prefix: str, out: dict[str, NodeCost]) -> None:
    if report is None or not report.runs:
        return
    many = len(report.runs) > 1
    block = project.blocks.get(report.runs[0].block) if hasattr(report.runs[0], "report") else None
    for k, run in enumerate(report.runs):
        path = f"{prefix}.{k}" if many else prefix
        if block is None:  # a copy of a repeated layer
            cost = node_cost(project.spec(node.type), run)
            if cost is not None:
                out[path] = cost
            continue
        if many:
            whole = _sum(
                [
                    deep_cost(block.body, n, run.report.nodes.get(n.id))
                    for n in block.body.nodes
                    if n.id not in block.input_ids
                ]
            )
            if whole is not None:
                out[path] = whole
        for inner in block.body.nodes:
            inner_report = run.report.nodes.get(inner.id)
            cost = deep_cost(block.body, inner, inner_report)
            if cost is not None:
                out[f"{path}.{inner.id}"] = cost
            _inner(block.body, inner, inner_report, f"{path}.{inner.id}", out)


def _sum(parts: list[NodeCost | None]) -> NodeCost | None:
    if any(p is None for p in parts):
        return None
    return NodeCost(
        sum(p.macs for p in parts if p),
        sum(p.activation_bytes for p in parts if p),
        sum(p.parameter_bytes for p in parts if p),
    )


def totals(project: Any, report: Any) -> Totals:
    """The network's cost: every node's `deep_cost`, blocks and repeats looked into."""
    macs = activations = parameter_bytes = 0
    for node in project.nodes:
        cost = deep_cost(project, node, report.nodes.get(node.id))
        if cost is not None:
            macs += cost.macs
            activations += cost.activation_bytes
            parameter_bytes += cost.parameter_bytes
    return Totals(macs, activations, parameter_bytes, report.total_params)


def format_bytes(n: int) -> str:
    """`1.5MB`, `312B` (decimal units)."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n}B"


def format_macs(n: int) -> str:
    """`117.6k`, `1.2G`."""
    for unit, size in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)
