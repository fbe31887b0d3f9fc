"""A test-side interpreter that runs a Project with the real torch modules: the judge of validity.

It shares nothing with the app's shape rules. Inferred arguments are taken from the actual tensors
(as a learner would type them by hand: in_channels is the size of dim 1, in_features the size of
the last dim, ...), user-set params are passed to the torch constructor as written, everything else
is torch's own default.

A project is valid "in torch" when it runs on batch sizes 2 AND 3 and every checked output is
shaped [N, *rest] with the same rest for both. Running alone is not enough: given an input without
a channel or time dim, many torch layers silently treat the tensor as one *unbatched* sample, so
the batch becomes the channels or the time axis (Conv1d on [N, L] convolves across samples). Such
a network runs, but its output is not [N, ...] or its per-sample shape changes with N; comparing
two batch sizes catches exactly that.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import torch
from torch import nn

from graph import Project, get_spec

BATCH_SIZES = (2, 3)


@dataclass
class OracleResult:
    ok: bool
    failed_node: str | None = None
    reason: str = ""
    # Output shapes per node (batch left out), for the ports that were checked.
    shapes: dict[str, dict[int, tuple[int, ...]]] = field(default_factory=dict)


class _NodeFailed(Exception):
    def __init__(self, node_id: str, reason: str) -> None:
        super().__init__(reason)
        self.node_id = node_id
        self.reason = reason


def _features(x: torch.Tensor) -> int:
    """The size of the last dim, which must not be the batch itself.

    A [N] tensor has no feature dim: taking N as the features (LayerNorm(N)) would run in
    torch, normalising across the samples, and keep the [N] layout, so the batch-size check
    alone would not catch it.
    """
    if x.dim() < 2:
        raise ValueError("the input has no feature dim, only the batch")
    return x.shape[-1]


# How a learner would fill each inferred argument from the tensor in front of the layer.
_INFERRED = {
    "in_features": lambda xs: _features(xs[0]),
    "in1_features": lambda xs: _features(xs[0]),
    "in2_features": lambda xs: _features(xs[1]),
    "in_channels": lambda xs: xs[0].shape[1],
    "num_features": lambda xs: xs[0].shape[1],
    "num_channels": lambda xs: xs[0].shape[1],
    "normalized_shape": lambda xs: _features(xs[0]),
    "input_size": lambda xs: _features(xs[0]),
    "embed_dim": lambda xs: _features(xs[0]),
    "d_model": lambda xs: _features(xs[0]),
}


# Layers the app requires floating point for even though CPU torch sometimes runs them on int64:
# pools have int64 kernels on CPU for some ranks (MaxPool2d, AvgPool2d) but not others, and not
# on CUDA; dropout runs on int64 only at p=0 or p=1, when there is nothing to rescale. The app
# checks for every device and every p, so int64 into these counts as failing.
_POOLS = [
    f"{kind}Pool{n}d"
    for kind in ("Max", "Avg", "LP", "AdaptiveAvg", "AdaptiveMax")
    for n in (1, 2, 3)
]
_DROPOUTS = [
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "AlphaDropout",
    "FeatureAlphaDropout",
]
_FLOAT_KERNELS_ONLY = frozenset([*_POOLS, *_DROPOUTS])


def topological_order(project: Project) -> list[str]:
    """The same order the app reports in: topological, ties broken by file order."""
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in project.nodes)
    graph.add_edges_from((e.source, e.target) for e in project.edges)
    rank = {n.id: i for i, n in enumerate(project.nodes)}
    return list(nx.lexicographical_topological_sort(graph, key=rank.__getitem__))


def checked_ports(project: Project, node_id: str) -> set[int]:
    """Output ports whose batch layout matters: port 0, and any port that feeds something."""
    spec = get_spec(project.node(node_id).type)
    if spec is None or not spec.outputs:
        return set()
    return {0} | {e.source_port for e in project.out_edges(node_id)}


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _build_module(node_type: str, params: dict[str, Any], inputs: list[torch.Tensor]) -> nn.Module:
    spec = get_spec(node_type)
    kwargs = {name: _plain(v) for name, v in params.items()}
    for p in spec.params:
        if p.inferred and p.name not in kwargs:
            kwargs[p.name] = _INFERRED[p.name](inputs)
    return getattr(nn, spec.torch_class)(**kwargs)


def _special(node_type: str, params: dict[str, Any], xs: list[torch.Tensor], n: int) -> list:
    p = {**get_spec(node_type).defaults(), **params}
    op = _OPS.get(node_type)
    if op is not None:
        result = op(xs, {k: _plain(v) for k, v in p.items()}, n)
        return list(result) if isinstance(result, list | tuple) else [result]
    if node_type == "Add":
        return [functools.reduce(torch.add, xs)]
    if node_type == "Multiply":
        return [functools.reduce(torch.mul, xs)]
    if node_type == "Concat":
        return [torch.cat(xs, p["dim"])]
    if node_type == "Stack":
        return [torch.stack(xs, p["dim"])]
    if node_type == "Reshape":
        return [xs[0].reshape(xs[0].size(0), *p["shape"])]
    if node_type == "Permute":
        return [xs[0].permute(*p["dims"])]
    if node_type == "Index":
        return [xs[0].select(p["dim"], p["index"])]
    raise AssertionError(f"no torch op for {node_type}")


def _slice(x: torch.Tensor, p: dict) -> torch.Tensor:
    index = [slice(None)] * x.dim()
    index[p["dim"]] = slice(p["start"], p["stop"], p["step"])
    return x[tuple(index)]


def _chunk(x: torch.Tensor, p: dict) -> tuple:
    pieces = torch.chunk(x, p["chunks"], p["dim"])
    if len(pieces) != p["chunks"]:
        raise ValueError(f"torch.chunk gave {len(pieces)} pieces, not {p['chunks']}")
    return pieces


def _squeeze(x: torch.Tensor, p: dict) -> torch.Tensor:
    return torch.squeeze(x) if p["dim"] is None else torch.squeeze(x, p["dim"])


def _split(x: torch.Tensor, p: dict) -> tuple:
    sections = p["split_size_or_sections"]
    return torch.split(x, list(sections) if isinstance(sections, tuple) else sections, p["dim"])


# Tensor operations, as a learner would write them in torch from the node's params.
_OPS = {
    "Mean": lambda xs, p, n: torch.mean(xs[0], p["dim"], p["keepdim"]),
    "Sum": lambda xs, p, n: torch.sum(xs[0], p["dim"], p["keepdim"]),
    "Amax": lambda xs, p, n: torch.amax(xs[0], p["dim"], p["keepdim"]),
    "Amin": lambda xs, p, n: torch.amin(xs[0], p["dim"], p["keepdim"]),
    "MatMul": lambda xs, p, n: torch.matmul(xs[0], xs[1]),
    "Transpose": lambda xs, p, n: torch.transpose(xs[0], p["dim0"], p["dim1"]),
    "Squeeze": lambda xs, p, n: _squeeze(xs[0], p),
    "Unsqueeze": lambda xs, p, n: torch.unsqueeze(xs[0], p["dim"]),
    "Slice": lambda xs, p, n: _slice(xs[0], p),
    "Expand": lambda xs, p, n: xs[0].expand(-1, *p["sizes"]),
    "Split": lambda xs, p, n: _split(xs[0], p),
    "Chunk": lambda xs, p, n: _chunk(xs[0], p),
    "Subtract": lambda xs, p, n: xs[0] - xs[1],
    "Divide": lambda xs, p, n: xs[0] / xs[1],
    "Power": lambda xs, p, n: torch.pow(xs[0], xs[1]),
    "Maximum": lambda xs, p, n: torch.maximum(xs[0], xs[1]),
    "Minimum": lambda xs, p, n: torch.minimum(xs[0], xs[1]),
    "Scale": lambda xs, p, n: xs[0] * p["factor"],
    "Shift": lambda xs, p, n: xs[0] + p["offset"],
    "Clamp": lambda xs, p, n: torch.clamp(xs[0], p["min"], p["max"]),
    # One tensor for all samples: a view over the batch, as a learner writes it.
    "Parameter": lambda xs, p, n: getattr(torch, p["init"])(p["shape"]).expand(n, *p["shape"]),
    "Buffer": lambda xs, p, n: getattr(torch, p["init"])(p["shape"]).expand(n, *p["shape"]),
}


def _call(module: nn.Module, node_type: str, xs: list[torch.Tensor]) -> list:
    if node_type in ("RNN", "GRU", "LSTM"):
        out, state = module(xs[0])
        states = state if isinstance(state, tuple) else (state,)
        # h_n / c_n are [D*num_layers, N, H]; Netwright presents them batch-first.
        return [out, *(s.transpose(0, 1) for s in states)]
    if node_type == "MultiheadAttention":
        out, weights = module(xs[0], xs[0], xs[0])
        return [out, weights]
    result = module(*xs)
    if node_type == "LSTMCell":
        return list(result)  # (h_1, c_1)
    return [result]


def _run_once(project: Project, order: list[str], n: int, values: dict[str, list]) -> None:
    """Fill values per node for batch size n; raise _NodeFailed at the first node torch rejects."""
    for node_id in order:
        node = project.node(node_id)
        spec = get_spec(node.type)
        if spec is None:
            raise _NodeFailed(node_id, f"unknown type {node.type}")
        if node.type == "Input":
            shape = tuple(node.params["shape"])
            if node.params.get("dtype", "float32") == "int64":
                values[node_id] = [torch.zeros((n, *shape), dtype=torch.int64)]
            else:
                values[node_id] = [torch.randn((n, *shape))]
            continue
        by_port = {e.target_port: e for e in project.in_edges(node_id)}
        if sorted(by_port) != list(range(len(by_port))) or len(by_port) < len(spec.inputs):
            raise _NodeFailed(node_id, "inputs are not all wired")
        try:
            xs = [values[by_port[i].source][by_port[i].source_port] for i in range(len(by_port))]
        except (KeyError, IndexError) as exc:
            raise _NodeFailed(node_id, f"missing input: {exc}") from exc
        if node.type == "Output":
            values[node_id] = []
            continue
        if node.type in _FLOAT_KERNELS_ONLY and any(not x.is_floating_point() for x in xs):
            raise _NodeFailed(node_id, "int64 input: no kernel on every device (or p)")
        try:
            if spec.torch_class is None:
                values[node_id] = _special(node.type, node.params, xs, n)
            else:
                module = _build_module(node.type, node.params, xs)
                values[node_id] = _call(module, node.type, xs)
        except Exception as exc:  # torch raises many types; any of them is "torch rejects it"
            raise _NodeFailed(node_id, f"{type(exc).__name__}: {exc}") from exc
        if not all(isinstance(v, torch.Tensor) for v in values[node_id]):
            # e.g. return_indices=True: a pair, which one wire cannot carry.
            raise _NodeFailed(node_id, "returns something other than one tensor per output")
        if any(v.numel() == 0 for v in values[node_id]):
            # Transposed convolutions return an empty tensor for a batch of two or more but
            # raise "Output size is too small" for a batch of one: counted as a rejection.
            raise _NodeFailed(node_id, "produces an empty tensor (torch refuses it for N = 1)")


def run_in_torch(project: Project) -> OracleResult:
    """Run the project on batch sizes 2 and 3 and say whether (and where) torch rejects it."""
    order = topological_order(project)
    position = {nid: i for i, nid in enumerate(order)}
    runs: list[dict[str, list]] = []
    failures: list[tuple[int, str, str]] = []
    torch.manual_seed(0)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in BATCH_SIZES:
            runs.append({})
            try:
                _run_once(project, order, n, runs[-1])
            except _NodeFailed as failure:
                failures.append((position[failure.node_id], failure.node_id, failure.reason))
    limit = min((f[0] for f in failures), default=len(order))
    shapes: dict[str, dict[int, tuple[int, ...]]] = {}
    for node_id in order[:limit]:
        node_shapes: dict[int, tuple[int, ...]] = {}
        for port in sorted(checked_ports(project, node_id)):
            got = [run[node_id][port] for run in runs]
            if any(not isinstance(t, torch.Tensor) for t in got):
                failures.append((position[node_id], node_id, f"output {port} is not a tensor"))
                break
            batched = [
                t.dim() >= 1 and t.shape[0] == n for t, n in zip(got, BATCH_SIZES, strict=True)
            ]
            rests = {tuple(t.shape[1:]) for t in got}
            if not all(batched) or len(rests) != 1:
                layouts = " vs ".join(str(list(t.shape)) for t in got)
                failures.append(
                    (
                        position[node_id],
                        node_id,
                        f"output {port} is not batched as [N, ...] for N = 2, 3: {layouts}",
                    )
                )
                break
            node_shapes[port] = rests.pop()
        shapes[node_id] = node_shapes
    if failures:
        _, node_id, reason = min(failures)
        return OracleResult(False, node_id, reason, shapes)
    return OracleResult(True, shapes=shapes)
