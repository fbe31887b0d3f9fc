"""Events a training run emits: plain dataclasses, safe to pass between threads or processes.

The Trainer calls `emit(event)` from its own thread; consumers (the CLI's progress bar, the GUI's
QThread adapter) must not block it. Batch metrics come in batches (`BatchMetrics.points` holds
several points) so that delivery never slows training.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RunStarted:
    device: str  # "cpu", "cuda:0", ...
    device_name: str  # "CPU", "NVIDIA H100 80GB HBM3", ...
    epochs: int
    batches_per_epoch: int
    train_samples: int
    val_samples: int
    task: str  # "classification" or "regression"
    settings: dict = field(default_factory=dict)
    start_epoch: int = 0  # a resumed run continues after this epoch (its earlier ones are kept)


@dataclass(frozen=True, slots=True)
class BatchPoint:
    epoch: int  # 1-based
    batch: int  # 1-based within the epoch
    step: int  # 1-based over the whole run
    loss: float
    accuracy: float | None  # None for regression
    lr: float


@dataclass(frozen=True, slots=True)
class BatchMetrics:
    """Several batches at once; the newest last."""

    points: tuple[BatchPoint, ...]
    samples_per_second: float
    elapsed: float  # seconds since the run started
    eta: float | None  # seconds left, when known


@dataclass(frozen=True, slots=True)
class EpochMetrics:
    epoch: int
    train_loss: float
    train_accuracy: float | None
    val_loss: float | None
    val_accuracy: float | None  # accuracy (0..1) for classification
    val_rmse: float | None  # for regression
    lr: float
    samples_per_second: float
    elapsed: float
    eta: float | None


@dataclass(frozen=True, slots=True)
class Message:
    level: str  # "info", "warning", "error"
    text: str


@dataclass(frozen=True, slots=True)
class RunPaused:
    paused: bool  # False when resumed


@dataclass(frozen=True, slots=True)
class RunFinished:
    """Always the last event of a run, whatever happened."""

    status: str  # "completed", "stopped", "early_stopped", "failed"
    message: str
    node_id: str | None = None  # the node a failure came from, when known
    # Inside a block: the node ids from that (top-level) node down to the inner node at fault,
    # `("layer2", "conv1")`; empty when the failure is not inside a block or not located.
    path: tuple[str, ...] = ()
    epochs: int = 0
    train_loss: float | None = None
    val_loss: float | None = None
    val_accuracy: float | None = None
    seconds: float = 0.0
    samples_per_second: float = 0.0
    checkpoint: str | None = None  # path of the best weights
    out_dir: str | None = None
    evaluation: dict | None = None  # what runtime.evaluation wrote to evaluation.json
    compile_seconds: float | None = None  # torch.compile's first batch, when it compiled


@dataclass(frozen=True, slots=True)
class LayerStats:
    """One sample of per-node statistics (runtime.layer_stats), when a run collects them."""

    step: int
    values: dict  # node id -> {statistic name: value}
    warnings: dict = field(default_factory=dict)  # node id -> warning codes


@dataclass(frozen=True, slots=True)
class ActivationSummary:
    """What one node makes of one sample, cut down to a few kilobytes (runtime.sample_probe)."""

    kind: str  # "maps", "bars", "lines" or "probabilities"
    # numpy: maps (channels, h, w) uint8, each channel from its low (0) to its high (255);
    # bars (n,) float32; lines (n, points) float16; probabilities (classes,) float32
    values: Any
    shape: tuple[int, ...]  # the node's whole output per sample, before cutting down
    low: float  # the smallest and largest value of the whole output
    high: float
    ranges: Any = None  # maps: (channels, 2) float32, each channel's (low, high)

    def real_values(self) -> Any:
        """The values in the output's own units (maps decoded from their 8 bits)."""
        import numpy as np

        if self.kind != "maps" or self.ranges is None:
            return np.asarray(self.values, dtype=np.float32)
        low, high = self.ranges[:, :1, None], self.ranges[:, 1:, None]
        return low + self.values.astype(np.float32) / 255.0 * (high - low)


@dataclass(frozen=True, slots=True)
class SampleActivations:
    """One sample through the network: every node's summary, keyed by its path ("b1/conv1")."""

    index: int  # the sample's index in the validation split (the training split if none)
    count: int  # how many samples there are to pick from
    step: int  # optimizer steps behind the weights; 0 before training; the epoch for "epoch"
    # "initial" (a model built from the drawing), "live", "final", or "epoch": the weights a run
    # saved after epoch `step` (a run on several processes, read from its folder)
    weights: str
    target: str  # the sample's true class name or value
    predicted: str  # the network's class (with its probability) or value; "" when unknown
    nodes: dict = field(default_factory=dict)  # node path -> ActivationSummary
    class_names: tuple[str, ...] = ()
    error: str = ""  # why there is nothing to show (the network failed on the sample...)


TrainingEvent = (
    RunStarted
    | BatchMetrics
    | EpochMetrics
    | Message
    | RunPaused
    | RunFinished
    | LayerStats
    | SampleActivations
)
