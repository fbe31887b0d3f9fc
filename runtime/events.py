"""Events a training run emits: plain dataclasses, safe to pass between threads or processes.

The Trainer calls `emit(event)` from its own thread; consumers (the CLI's progress bar, the GUI's
QThread adapter) must not block it. Batch metrics come in batches (`BatchMetrics.points` holds
several points) so that delivery never slows training.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    compile_seconds: float | None = None  # torch.compile's first batch, when it compiled


TrainingEvent = RunStarted | BatchMetrics | EpochMetrics | Message | RunPaused | RunFinished
