"""A dataset made ready for one network: loaded, fitted to its Input, its targets fitted to the
Output and the loss, and split into training and validation tensors from the seed.

Every step is the recipe's (recipe.data, recipe.targets), shared with exported scripts.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from graph import Project
from i18n import message_of, msg
from recipe import data as data_sources
from recipe.config import TrainConfig
from recipe.data import DatasetError
from recipe.targets import TargetError, fit_targets, task_loss
from runtime.network import Network, NetworkError


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


def loader_parameters(name: str) -> list[str]:
    return list(inspect.signature(getattr(data_sources, name)).parameters)


def load_dataset(config: TrainConfig, input_shape: list[int]) -> tuple:
    """(X, y, info) from the recipe's loaders, seeded, drawn at the Input's size."""
    name, kwargs = data_sources.loader_call(
        config.dataset, config.dataset_options, input_shape, config.seed, loader_parameters
    )
    return getattr(data_sources, name)(**kwargs)


def prepare_data(config: TrainConfig, network: Network, project: Project) -> TrainingData:
    input_node = project.node(network.input_node)
    X, y, info = load_dataset(config, network.input_shape)
    notes: list[str] = []
    try:
        X, note = data_sources.fit_to_input(X, network.input_shape, info, input_node.name)
    except DatasetError as exc:
        # The samples do not fit the Input: say so on the Input node, where it can be fixed.
        raise NetworkError(message_of(exc), input_node.id) from None
    if note:
        notes.append(note)
    if input_node.params.get("dtype") == "int64":
        X = X.long()  # token ids, as the Input declares
    loss = task_loss(config.loss, info["task"])
    out_node = network.output_node
    try:
        y, to_target, to_class, note = fit_targets(
            y, info, loss, network.output_shape, project.node(out_node).name
        )
    except TargetError as exc:
        # the output does not fit the data: the node that makes the output is at fault
        raise NetworkError(message_of(exc), network.last_layer(project) or out_node) from None
    if note:
        notes.append(note)
    X_train, y_train, X_val, y_val = data_sources.split_dataset(
        X, y, config.val_fraction, config.seed
    )
    warnings = _loss_warnings(loss, network.last_layer_type(project))
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
