"""A dataset made ready for one network: loaded, fitted to its Input, checked against its Output
and the loss, and split into training and validation tensors from the seed.

Loading itself is codegen.data_sources (shared with exported training scripts).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from codegen import data_sources
from codegen.data_sources import DatasetError
from graph import Project
from i18n import msg
from runtime.config import TrainConfig
from runtime.factories import CLASS_INDEX_LOSSES, loss_name
from runtime.network import Network, NetworkError

REGRESSION_LOSSES = ("mse", "l1", "smooth_l1")


@dataclass
class TrainingData:
    X_train: torch.Tensor
    y_train: torch.Tensor  # class indices for classification, values for regression
    X_val: torch.Tensor
    y_val: torch.Tensor
    info: dict
    loss: str
    to_target: Callable[[torch.Tensor], torch.Tensor]  # y batch -> what the loss compares with
    to_class: Callable[[torch.Tensor], torch.Tensor] | None  # outputs -> class indices
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        return self.info["task"]

    @property
    def classification(self) -> bool:
        return self.info["task"] == "classification"


def load_dataset(config: TrainConfig, input_shape: list[int]) -> tuple:
    """(X, y, info) from codegen.data_sources, seeded toys, image size from the Input."""
    name, kwargs = data_sources.dataset_loader(config.dataset, config.dataset_options)
    loader = getattr(data_sources, name)
    accepted = inspect.signature(loader).parameters
    if "seed" in accepted:
        kwargs.setdefault("seed", config.seed)
    if name == "load_sincos" and len(input_shape) == 2 and input_shape[1] == 1:
        kwargs.setdefault("steps", input_shape[0])  # windows as long as the Input's sequence
    if name == "load_image_folder" and len(input_shape) == 3:
        kwargs.setdefault("size", tuple(input_shape[1:]))
        kwargs.setdefault("channels", input_shape[0])
    unknown = [k for k in kwargs if k not in accepted]
    if unknown:
        options = ", ".join(p for p in accepted if p not in ("path", "name")) or "none"
        raise DatasetError(
            msg(
                "unknown dataset option '{unknown}' (this dataset takes: {options})",
                unknown=unknown[0],
                options=options,
            )
        )
    return loader(**kwargs)


def prepare_data(config: TrainConfig, network: Network, project: Project) -> TrainingData:
    input_node = project.node(network.input_node)
    X, y, info = load_dataset(config, network.input_shape)
    notes: list[str] = []
    try:
        X, note = data_sources.fit_to_input(X, network.input_shape, info, input_node.name)
    except DatasetError as exc:
        # The samples do not fit the Input: say so on the Input node, where it can be fixed.
        raise NetworkError(str(exc), input_node.id) from None
    if note:
        notes.append(note)
    if input_node.params.get("dtype") == "int64":
        X = X.long()  # token ids, as the Input declares
    loss = loss_name(config, info["task"])
    out_shape = network.output_shape(project)
    out_name = project.node(network.output_node).name
    warnings = _loss_warnings(loss, network.last_layer_type(project))
    if info["task"] == "classification":
        to_target, to_class = _classification_targets(info, loss, out_shape, out_name)
    else:
        y, to_target, note = _regression_targets(y, info, loss, out_shape, out_name)
        to_class = None
        if note:
            notes.append(note)
    X_train, y_train, X_val, y_val = data_sources.split_dataset(
        X, y, config.val_fraction, config.seed
    )
    return TrainingData(
        X_train, y_train, X_val, y_val, info, loss, to_target, to_class, notes, warnings
    )


def _loss_warnings(loss: str, last: str | None) -> list[str]:
    if loss == "cross_entropy" and last == "Softmax":
        return [
            msg(
                "the network ends with Softmax and the loss is cross_entropy, which applies "
                "softmax itself (a double softmax trains slowly): remove the Softmax, or end "
                "with LogSoftmax and use nll"
            )
        ]
    if loss == "nll" and last != "LogSoftmax":
        return [msg("the nll loss expects log-probabilities: end the network with LogSoftmax")]
    return []


def _classification_targets(
    info: dict, loss: str, out_shape: list[int], out_name: str
) -> tuple[Callable, Callable]:
    classes = info["num_classes"]
    if loss in CLASS_INDEX_LOSSES:
        if out_shape != [classes]:
            raise DatasetError(
                msg(
                    "the dataset has {classes} classes but the output '{out_name}' has shape "
                    "{out_shape}: end the network with a layer of {classes} outputs",
                    classes=classes,
                    out_name=out_name,
                    out_shape=out_shape,
                )
            )
        return (lambda y: y), (lambda out: out.argmax(1))
    if loss == "bce_with_logits" and classes == 2 and out_shape == [1]:
        return (lambda y: y.unsqueeze(1).float()), (lambda out: (out[:, 0] > 0).long())
    if out_shape != [classes]:
        raise DatasetError(
            msg(
                "with the {loss} loss the output '{out_name}' must have shape [{classes}] (one "
                "value per class), not {out_shape}",
                loss=loss,
                out_name=out_name,
                classes=classes,
                out_shape=out_shape,
            )
        )
    # a one-hot target lets mse/l1/bce train a classifier, as some tutorials do
    return (lambda y: F.one_hot(y, classes).float()), (lambda out: out.argmax(1))


def _regression_targets(
    y: torch.Tensor, info: dict, loss: str, out_shape: list[int], out_name: str
) -> tuple[torch.Tensor, Callable, str | None]:
    if loss in CLASS_INDEX_LOSSES:
        raise DatasetError(
            msg(
                "the {loss} loss needs class labels, but this dataset is a regression task: "
                "use {items}",
                loss=loss,
                items=", ".join(REGRESSION_LOSSES),
            )
        )
    target = list(y.shape[1:])
    if target == out_shape:
        return y, (lambda t: t), None
    if math.prod(target) == math.prod(out_shape):
        note = msg(
            "targets of shape {target} are reshaped to the output's shape {shape}",
            target=target,
            shape=out_shape,
        )
        return y.reshape(len(y), *out_shape), (lambda t: t), note
    raise DatasetError(
        msg(
            "the targets have shape {target} but the output '{out_name}' has shape {out_shape}",
            target=target,
            out_name=out_name,
            out_shape=out_shape,
        )
    )
