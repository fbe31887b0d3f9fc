"""What a project's dataset holds, known without loading it: sample shape, task, class count.

`check` and the editor compare the network with the data before anything is trained, so this
must be cheap: the built-ins are a table (no torch, no data), files are read only as far as
their headers (a CSV's header row, an NPZ's array headers, an image folder's class folders).
Loading the data itself is the training recipe's job.
"""

from __future__ import annotations

import ast
import os
import zipfile
from dataclasses import dataclass
from typing import Any

from graph.dataset_names import DATASET_ALIASES
from graph.tensor import Shape


@dataclass(frozen=True)
class DatasetInfo:
    """The facts about a dataset that decide whether a network fits it.

    None means "not known without reading the data" (the check then stays silent about it).
    `fits_input` lists further sample shapes the samples may be viewed as ([1, 8, 8] for the
    64 digit pixels); `follows_input` means the loader shapes samples to the Input (image folders
    are resized, sincos windows take the Input's length).
    """

    name: str
    task: str | None  # "classification" | "regression" | None
    sample_shape: Shape | None
    target_shape: Shape | None = None  # regression targets per sample
    num_classes: int | None = None
    fits_input: tuple[Shape, ...] = ()
    follows_input: bool = False


# The built-in datasets, by canonical name: (task, sample shape, classes or target shape, views).
# Option-dependent facts (spirals' classes, sincos's steps) are worked out in `_builtin`.
_BUILTIN: dict[str, dict[str, Any]] = {
    "digits": {"task": "classification", "sample": (64,), "classes": 10, "views": ((1, 8, 8),)},
    # drawn at the Input's size (recipe/data.py): 1×28×28 and 3×32×32 when no Input says
    "digit-images": {"task": "classification", "sample": (1, 28, 28), "classes": 10, "follows": 1},
    "shapes": {"task": "classification", "sample": (3, 32, 32), "classes": 10, "follows": 1},
    "blobs": {"task": "classification", "sample": (2,), "classes": 2},
    "moons": {"task": "classification", "sample": (2,), "classes": 2},
    "spirals": {"task": "classification", "sample": (2,), "classes": 3},
    "sincos": {"task": "regression", "sample": (10, 1), "target": (10, 1)},
    "mnist": {"task": "classification", "sample": (1, 28, 28), "classes": 10},
    "fashion-mnist": {"task": "classification", "sample": (1, 28, 28), "classes": 10},
    "cifar10": {"task": "classification", "sample": (3, 32, 32), "classes": 10},
}


def builtin_names() -> tuple[str, ...]:
    return tuple(_BUILTIN)


def describe(
    training: dict[str, Any], input_shape: Shape | None = None, base_dir: str = ""
) -> DatasetInfo | None:
    """The dataset a project's `training` names, or None when there is none or it cannot be
    read cheaply (an unknown name, a missing file: `check` of the settings reports those)."""
    dataset = training.get("dataset")
    if not isinstance(dataset, str) or not dataset.strip():
        return None
    options = training.get("dataset_options")
    options = options if isinstance(options, dict) else {}
    name = dataset.strip()
    key = DATASET_ALIASES.get(name.lower(), name.lower())
    if key in _BUILTIN:
        return _builtin(key, options, input_shape)
    path = name if os.path.isabs(name) or not base_dir else os.path.join(base_dir, name)
    try:
        if name.lower().endswith(".csv"):
            return _csv(name, path, options)
        if name.lower().endswith(".npz"):
            return _npz(name, path, options)
        if os.path.isdir(path):
            return _image_folder(name, path)
    except (OSError, ValueError, KeyError, SyntaxError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    return None


def _builtin(key: str, options: dict[str, Any], input_shape: Shape | None) -> DatasetInfo:
    row = _BUILTIN[key]
    classes = row.get("classes")
    sample, target = row["sample"], row.get("target")
    if key in ("spirals", "shapes") and isinstance(options.get("classes"), int):
        classes = options["classes"]
    if key == "blobs" and isinstance(options.get("features"), int):
        sample = (options["features"],)
    if key == "sincos":
        # The recipe cuts windows as long as an Input of [steps, 1] asks for.
        steps = options.get("steps")
        if not isinstance(steps, int) and input_shape and len(input_shape) == 2:
            steps = input_shape[0] if input_shape[1] == 1 else None
        steps = steps if isinstance(steps, int) and steps > 0 else sample[0]
        sample = target = (steps, 1)
    return DatasetInfo(
        key,
        row["task"],
        tuple(sample),
        target,
        classes,
        tuple(row.get("views", ())),
        follows_input=bool(row.get("follows")),
    )


def _csv(name: str, path: str, options: dict[str, Any]) -> DatasetInfo | None:
    with open(path, newline="", encoding="utf-8") as f:
        header = f.readline()
    import csv

    columns = [c.strip() for c in next(csv.reader([header]), [])]
    if len(columns) < 2:
        return None
    features = options.get("features")
    count = len(features) if isinstance(features, list) else len(columns) - 1
    task = options.get("task") if options.get("task") in ("classification", "regression") else None
    target = (1,) if task == "regression" else None
    return DatasetInfo(name, task, (count,), target)


def _npz(name: str, path: str, options: dict[str, Any]) -> DatasetInfo | None:
    """Array shapes from the .npy headers inside the archive, without reading the arrays."""
    with zipfile.ZipFile(path) as archive:
        shapes = {}
        for member in ("X", "y"):
            with archive.open(member + ".npy") as f:
                shapes[member] = _npy_shape(f.read(4096))
    x = shapes["X"]
    if len(x) < 1:
        return None
    return DatasetInfo(name, None, tuple(x[1:]))


def _npy_shape(head: bytes) -> tuple[int, ...]:
    if not head.startswith(b"\x93NUMPY"):
        raise ValueError("not an .npy array")
    size = 2 if head[6] == 1 else 4
    length = int.from_bytes(head[8 : 8 + size], "little")
    header = ast.literal_eval(head[8 + size : 8 + size + length].decode("latin1"))
    return tuple(int(d) for d in header["shape"])


def _image_folder(name: str, path: str) -> DatasetInfo | None:
    classes = [d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d))]
    if not classes:
        return None
    return DatasetInfo(name, "classification", None, None, len(classes), follows_input=True)
