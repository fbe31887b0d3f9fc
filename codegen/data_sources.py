"""Datasets as whole tensors `(X, y, info)`: the one implementation the runtime and scripts share.

Self-contained on purpose: top-level imports are stdlib only (numpy, torch and scikit-learn are
imported inside the functions), so codegen can read this module without loading torch and the
training-script generator can copy the functions a script needs into it verbatim.

`info` is a plain dict: task ("classification" | "regression"), num_classes, sample_shape,
target_shape, class_names, and optionally image_shape (a shape the samples may be viewed as).
"""

from __future__ import annotations

import os

# Formatted for ruff's default 88 columns, not this repository's 100: the functions are copied
# into exported training scripts, which must come out as `ruff format` would write them.
# fmt: off
BUILTIN_DATASETS = (
    "digits",
    "blobs",
    "moons",
    "spirals",
    "sincos",
    "mnist",
    "fashion-mnist",
    "cifar10",
)
TORCHVISION_DATASETS = {
    "mnist": "MNIST",
    "fashion-mnist": "FashionMNIST",
    "cifar10": "CIFAR10",
}
_ALIASES = {
    "fashionmnist": "fashion-mnist",
    "fashion_mnist": "fashion-mnist",
    "cifar-10": "cifar10",
    "cifar_10": "cifar10",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


class DatasetError(ValueError):
    """A dataset cannot be loaded or does not fit the network; the message is one line."""


def dataset_loader(dataset, options=None):
    """`("load_digits", {})`: which loader reads `dataset` (a built-in name or a path), with what
    keyword arguments. Names are case-insensitive; a path is told apart by its suffix or folder."""
    options = dict(options or {})
    name = str(dataset).strip()
    key = _ALIASES.get(name.lower(), name.lower())
    if key in ("digits", "blobs", "moons", "spirals", "sincos"):
        return f"load_{key}", options
    if key in TORCHVISION_DATASETS:
        return "load_torchvision", {"name": key, **options}
    if name.lower().endswith(".csv"):
        return "load_csv", {"path": name, **options}
    if name.lower().endswith(".npz"):
        return "load_npz", {"path": name, **options}
    if os.path.isdir(name):
        return "load_image_folder", {"path": name, **options}
    choices = ", ".join(BUILTIN_DATASETS)
    if os.sep in name or "." in name:
        raise DatasetError(
            f"cannot read dataset '{name}': expected a .csv or .npz file or an image folder"
        )
    raise DatasetError(
        f"unknown dataset '{name}': choose one of {choices}, or give a .csv, .npz or image folder"
    )


def _info(
    task, sample_shape, target_shape=(), num_classes=None, class_names=None, **extra
):
    info = {
        "task": task,
        "num_classes": num_classes,
        "sample_shape": [int(d) for d in sample_shape],
        "target_shape": [int(d) for d in target_shape],
        "class_names": class_names,
    }
    info.update(extra)
    return info


def load_digits():
    """scikit-learn's 8×8 handwritten digits (1797 samples, 64 values scaled to 0..1)."""
    import torch
    from sklearn.datasets import load_digits as sk_digits

    data = sk_digits()
    X = torch.tensor(data.data / 16.0, dtype=torch.float32)
    y = torch.tensor(data.target, dtype=torch.int64)
    names = [str(n) for n in data.target_names]
    return X, y, _info("classification", [64], [], 10, names, image_shape=[1, 8, 8])


def load_blobs(samples=1000, seed=0):
    """Two Gaussian classes in the plane, centred on (2, 2) and (-2, -2)."""
    import torch

    g = torch.Generator().manual_seed(seed)
    half = samples // 2
    x0 = torch.normal(2.0, 1.0, (half, 2), generator=g)
    x1 = torch.normal(-2.0, 1.0, (samples - half, 2), generator=g)
    X = torch.cat([x0, x1])
    y = torch.cat(
        [torch.zeros(half, dtype=torch.int64), torch.ones(samples - half).long()]
    )
    return X, y, _info("classification", [2], [], 2, ["0", "1"])


def load_moons(samples=1000, noise=0.1, seed=0):
    """scikit-learn's two interleaving half circles."""
    import torch
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=samples, noise=noise, random_state=seed)
    X = torch.tensor(X, dtype=torch.float32)
    return (
        X,
        torch.tensor(y, dtype=torch.int64),
        _info("classification", [2], [], 2, ["0", "1"]),
    )


def load_spirals(samples=1200, classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one class per arm: not separable by a straight line."""
    import math

    import torch

    g = torch.Generator().manual_seed(seed)
    per = samples // classes
    radius = torch.linspace(0.0, 1.0, per).repeat(classes)
    label = torch.arange(classes).repeat_interleave(per)
    angle = label * (2 * math.pi / classes) + radius * 4.0
    angle = angle + noise * torch.randn(per * classes, generator=g)
    X = torch.stack([radius * torch.sin(angle), radius * torch.cos(angle)], dim=1)
    names = [str(i) for i in range(classes)]
    return X.float(), label.long(), _info("classification", [2], [], classes, names)


def load_sincos(samples=1000, steps=10, seed=0):
    """Sequence regression: a window of sin(t) in, the same window of cos(t) out ([steps, 1])."""
    import math

    import torch

    g = torch.Generator().manual_seed(seed)
    start = torch.rand(samples, 1, generator=g) * 2 * math.pi
    t = start + torch.linspace(0.0, math.pi, steps).unsqueeze(0)
    X = torch.sin(t).unsqueeze(-1)
    y = torch.cos(t).unsqueeze(-1)
    return X, y, _info("regression", [steps, 1], [steps, 1])


def _task_of(values, task):
    """Classification when asked, or when targets are text or a few whole numbers."""
    import numpy as np

    if task in ("classification", "regression"):
        return task
    if task is not None:
        raise DatasetError(f"task must be classification or regression, not '{task}'")
    if values.dtype.kind in "OUSb":
        return "classification"
    if values.dtype.kind in "iu":
        return "classification" if len(np.unique(values)) <= 100 else "regression"
    whole = np.all(np.isfinite(values)) and np.all(values == np.round(values))
    return "classification" if whole and len(np.unique(values)) <= 20 else "regression"


def _classes(values):
    """Targets -> (class indices, class names), in sorted order of the original values."""
    import numpy as np
    import torch

    names, index = np.unique(values, return_inverse=True)
    return torch.tensor(index.reshape(-1), dtype=torch.int64), [str(n) for n in names]


def load_csv(path, features=None, target=None, task=None):
    """A CSV file with a header row: `features` (names; default all but the target) and
    `target` (a name; default the last column)."""
    import csv

    import numpy as np
    import torch

    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DatasetError(f"cannot read {path}: it is not UTF-8 text") from None
    rows = [r for r in rows if r]
    if len(rows) < 2:
        raise DatasetError(f"{path} needs a header row and at least one row of data")
    header = [h.strip() for h in rows[0]]
    target = header[-1] if target is None else target
    if target not in header:
        raise DatasetError(
            f"{path} has no column '{target}' (columns: {', '.join(header)})"
        )
    features = (
        [h for h in header if h != target] if features is None else list(features)
    )
    missing = [c for c in features if c not in header]
    if missing:
        raise DatasetError(
            f"{path} has no column '{missing[0]}' (columns: {', '.join(header)})"
        )
    if not features:
        raise DatasetError(
            f"{path}: choose at least one feature column besides '{target}'"
        )
    cols = [header.index(c) for c in features]
    t = header.index(target)
    X = np.empty((len(rows) - 1, len(cols)), dtype=np.float32)
    targets = []
    for i, row in enumerate(rows[1:]):
        if len(row) != len(header):
            raise DatasetError(
                f"{path}: row {i + 2} has {len(row)} values, expected {len(header)}"
            )
        for j, c in enumerate(cols):
            try:
                X[i, j] = float(row[c])
            except ValueError:
                raise DatasetError(
                    f"{path}: row {i + 2}, column '{header[c]}' is not a number: {row[c]!r}"
                ) from None
        targets.append(row[t].strip())
    try:
        values = np.array([float(v) for v in targets])
    except ValueError:
        values = np.array(targets)
    task = _task_of(values, task)
    if task == "classification":
        y, names = _classes(values)
        return torch.from_numpy(X), y, _info(task, [len(cols)], [], len(names), names)
    if values.dtype.kind not in "fiu":
        raise DatasetError(f"{path}: regression needs numbers in column '{target}'")
    y = torch.tensor(values, dtype=torch.float32).unsqueeze(1)
    return torch.from_numpy(X), y, _info(task, [len(cols)], [1])


def load_npz(path, task=None):
    """A NumPy .npz archive holding arrays `X` (samples first) and `y`."""
    import numpy as np
    import torch

    try:
        with np.load(path, allow_pickle=False) as archive:
            if "X" not in archive or "y" not in archive:
                found = ", ".join(archive.files) or "nothing"
                raise DatasetError(
                    f"{path} must hold arrays named X and y (it holds {found})"
                )
            X, y = archive["X"], archive["y"]
    except (OSError, ValueError) as exc:
        if isinstance(exc, DatasetError):
            raise
        raise DatasetError(f"cannot read {path} as a NumPy .npz archive") from None
    if len(X) != len(y):
        raise DatasetError(f"{path}: X has {len(X)} samples but y has {len(y)}")
    X = torch.tensor(np.asarray(X, dtype=np.float32))
    task = _task_of(y, task)
    if task == "classification":
        labels, names = _classes(y)
        return X, labels, _info(task, X.shape[1:], [], len(names), names)
    y = torch.tensor(np.asarray(y, dtype=np.float32))
    if y.dim() == 1:
        y = y.unsqueeze(1)
    return X, y, _info(task, X.shape[1:], y.shape[1:])


def load_image_folder(path, size=None, channels=None):
    """A folder with one sub-folder of images per class; images are resized to `size` (h, w),
    by default the first image's size, and read as `channels` 1 (grey) or 3 (RGB)."""
    import numpy as np
    import torch

    try:
        from PIL import Image
    except ImportError:
        raise DatasetError(
            "reading an image folder needs Pillow, which is not installed (pip install pillow)"
        ) from None
    classes = sorted(
        d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d))
    )
    if not classes:
        raise DatasetError(f"{path} needs one sub-folder of images per class")
    mode = {None: None, 1: "L", 3: "RGB"}.get(channels, "RGB")
    images, labels = [], []
    for label, name in enumerate(classes):
        folder = os.path.join(path, name)
        for file in sorted(os.listdir(folder)):
            if not file.lower().endswith(IMAGE_SUFFIXES):
                continue
            with Image.open(os.path.join(folder, file)) as img:
                mode = mode or ("L" if img.mode in ("L", "1", "I;16") else "RGB")
                img = img.convert(mode)
                size = size or (img.height, img.width)
                if (img.height, img.width) != tuple(size):
                    img = img.resize((size[1], size[0]))
                array = np.asarray(img, dtype=np.float32) / 255.0
            images.append(array[None] if array.ndim == 2 else array.transpose(2, 0, 1))
            labels.append(label)
    if not images:
        raise DatasetError(f"{path}: found no images in its class folders")
    X = torch.tensor(np.stack(images))
    y = torch.tensor(labels, dtype=torch.int64)
    return X, y, _info("classification", X.shape[1:], [], len(classes), classes)


def load_torchvision(name, root=None, download=True):
    """MNIST, Fashion-MNIST or CIFAR-10 (the training split) through torchvision, from `root`
    (default ~/.cache/netwright/data), downloaded there first if missing and the network allows."""
    import importlib.util

    import numpy as np
    import torch

    title = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}[
        name
    ]
    if importlib.util.find_spec("torchvision") is None:
        raise DatasetError(
            f"the {title} dataset needs torchvision, which is not installed "
            "(pip install torchvision), or use digits, a .csv/.npz file or an image folder"
        )
    try:
        from torchvision import datasets
    except (ImportError, RuntimeError, OSError) as exc:  # built for another torch
        raise DatasetError(
            f"the {title} dataset needs torchvision, which fails to import here "
            f"({type(exc).__name__}: {str(exc).strip().splitlines()[-1]}); install the build "
            "that matches your torch, or use digits, a .csv/.npz file or an image folder"
        ) from None

    root = root or os.path.join(os.path.expanduser("~"), ".cache", "netwright", "data")
    cls = getattr(datasets, TORCHVISION_DATASETS[name])
    try:
        data = cls(root, train=True, download=download)
    except (RuntimeError, OSError, ValueError) as exc:  # URLError is an OSError
        raise DatasetError(
            f"cannot load {title} from {root} ({exc}); put the files there or allow the download"
        ) from None
    images = np.asarray(data.data, dtype=np.float32) / 255.0
    X = torch.tensor(images).unsqueeze(1) if images.ndim == 3 else torch.tensor(images)
    if X.dim() == 4 and X.shape[-1] == 3:
        X = X.permute(0, 3, 1, 2).contiguous()
    y = torch.as_tensor(np.asarray(data.targets), dtype=torch.int64)
    names = [str(c) for c in data.classes]
    return X, y, _info("classification", X.shape[1:], [], len(names), names)


def split_dataset(X, y, val_fraction=0.2, seed=0):
    """A seeded shuffle cut into (X_train, y_train, X_val, y_val)."""
    import torch

    if not 0.0 <= val_fraction < 1.0:
        raise DatasetError(
            f"the validation fraction must be in [0, 1), not {val_fraction}"
        )
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    n_val = round(len(X) * val_fraction)
    if len(X) - n_val < 1:
        raise DatasetError(f"the dataset has {len(X)} samples, too few to train on")
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def fit_to_input(X, input_shape, info=None, input_name="Input"):
    """Samples reshaped to the Input's shape when their element counts match; else a clear error
    naming both shapes and an Input shape that would fit. Returns (X, note or None)."""
    import math

    sample = list(X.shape[1:])
    wanted = [int(d) for d in input_shape]
    if sample == wanted:
        return X, None
    if math.prod(sample) == math.prod(wanted):
        note = f"samples of shape {sample} are reshaped to {wanted} to fit Input '{input_name}'"
        return X.reshape(len(X), *wanted), note
    fits = [str(sample)]
    image = (info or {}).get("image_shape")
    if image and list(image) != sample:
        fits.append(str(list(image)))
    raise DatasetError(
        f"the dataset's samples have shape {sample} ({math.prod(sample)} values) but Input "
        f"'{input_name}' expects {wanted} ({math.prod(wanted)}); an Input of shape "
        f"{' or '.join(fits)} would fit"
    )
# fmt: on
