"""What the loss compares with: a dataset's targets fitted to the network's output and its loss.

Part of the recipe copied into exported training scripts: top-level imports are stdlib only
(and recipe.data, copied too), torch is imported inside the functions, and the code is
formatted for ruff's default 88 columns (the script must come out as `ruff format` would
write it).
"""

from recipe.data import RecipeError, RecipeText

# fmt: off
CLASS_INDEX_LOSSES = ("cross_entropy", "nll")  # targets are class indices
REGRESSION_LOSSES = ("mse", "l1", "smooth_l1")


class TargetError(RecipeError):
    """The targets cannot fit the output or the loss; the message says what to change."""


def task_loss(loss, task):
    """The configured loss, or the task's default."""
    if loss is not None:
        return loss
    return "cross_entropy" if task == "classification" else "mse"


def fit_targets(y, info, loss, out_shape, out_name="Output"):
    """(y, to_target, to_class, note): targets shaped for the output, a function from a batch
    of targets to what the loss compares with, one from outputs to class indices (None for
    regression), and a note when the targets were reshaped."""
    if info["task"] == "classification":
        to_target, to_class = _class_targets(info, loss, out_shape, out_name)
        return y, to_target, to_class, None
    return _regression_targets(y, loss, out_shape, out_name)


def _identity(t):
    return t


def _argmax(out):
    return out.argmax(1)


def _class_targets(info, loss, out_shape, out_name):
    import torch.nn.functional as F

    classes = info["num_classes"]
    if loss in CLASS_INDEX_LOSSES:
        if list(out_shape) != [classes]:
            raise _scores_error(classes, list(out_shape), out_name)
        return _identity, _argmax
    if loss == "bce_with_logits" and classes == 2 and list(out_shape) == [1]:
        return (lambda y: y.unsqueeze(1).float()), (lambda out: (out[:, 0] > 0).long())
    if list(out_shape) != [classes]:
        raise TargetError(
            "with the {loss} loss the output '{output}' must have shape [{classes}] (one "
            "value per class), not {shape}",
            loss=loss,
            output=out_name,
            classes=classes,
            shape=list(out_shape),
        )
    # a one-hot target lets mse/l1/bce train a classifier, as some tutorials do
    return (lambda y: F.one_hot(y, classes).float()), _argmax


def _scores_error(classes, shape, out_name):
    """Why an output cannot be scored against class labels, and the fix that helps."""
    if len(shape) > 1 and shape[-1] == classes:
        return TargetError(
            "the output '{output}' has shape {shape} per sample, but {classes} classes "
            "need one row of {classes} scores: the last layer scores each of the "
            "{positions} positions apart; add a Flatten before it",
            output=out_name,
            shape=shape,
            classes=classes,
            positions=shape[:-1],
        )
    if len(shape) > 1:
        return TargetError(
            "the dataset has {classes} classes but the output '{output}' has shape "
            "{shape}: add a Flatten, then end the network with a layer of {classes} "
            "outputs",
            classes=classes,
            output=out_name,
            shape=shape,
        )
    return TargetError(
        "the dataset has {classes} classes but the output '{output}' has shape "
        "{shape}: end the network with a layer of {classes} outputs",
        classes=classes,
        output=out_name,
        shape=shape,
    )


def _regression_targets(y, loss, out_shape, out_name):
    import math

    if loss in CLASS_INDEX_LOSSES:
        raise TargetError(
            "the {loss} loss needs class labels, but this dataset is a regression task: "
            "use {losses}",
            loss=loss,
            losses=", ".join(REGRESSION_LOSSES),
        )
    target, out_shape = list(y.shape[1:]), list(out_shape)
    if target == out_shape:
        return y, _identity, None, None
    if math.prod(target) == math.prod(out_shape):
        note = RecipeText(
            "targets of shape {target} are reshaped to the output's shape {shape}",
            target=target,
            shape=out_shape,
        )
        return y.reshape(len(y), *out_shape), _identity, None, note
    raise TargetError(
        "the targets have shape {target} but the output '{output}' has shape {shape}",
        target=target,
        output=out_name,
        shape=out_shape,
    )


# fmt: on
