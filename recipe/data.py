"""Datasets as whole tensors `(X, y, info)`: the one implementation the runtime and scripts share.

Self-contained on purpose: top-level imports are stdlib and graph/dataset_names.py's table of
literals (numpy, torch and scikit-learn are imported inside the functions), so codegen can read
this module without loading torch and the training-script generator can copy the definitions a
script needs into it verbatim, the table's included.

`info` is a plain dict: task ("classification" | "regression"), num_classes, sample_shape,
target_shape, class_names, and optionally image_shape (a shape the samples may be viewed as).
"""

from __future__ import annotations

import os

from graph.dataset_names import BUILTIN_DATASETS, DATASET_ALIASES

# Formatted for ruff's default 88 columns, not this repository's 100: the functions are copied
# into exported training scripts, which must come out as `ruff format` would write them.
# fmt: off
TORCHVISION_DATASETS = {
    "mnist": "MNIST",
    "fashion-mnist": "FashionMNIST",
    "cifar10": "CIFAR10",
}
# What the editor's dataset list says about each built-in dataset.
DATASET_NOTES = {
    "digits": "scikit-learn's 8×8 handwritten digits, 64 values (built in, offline)",
    "digit-images": "the same digits drawn at the Input's size, e.g. 1×28×28 like MNIST "
    "(built in, offline)",
    "shapes": "10 kinds of coloured shapes and patterns at the Input's size, e.g. 3×32×32 "
    "like CIFAR-10 (built in, offline)",
    "blobs": "two Gaussian blobs in the plane (built in, offline)",
    "moons": "two interleaving half circles (built in, offline)",
    "spirals": "interleaved spiral arms (built in, offline)",
    "sincos": "sequence regression: sin(t) in, cos(t) out (built in, offline)",
    "mnist": "MNIST through torchvision (needs torchvision and a download)",
    "fashion-mnist": "Fashion-MNIST through torchvision (needs torchvision and a download)",
    "cifar10": "CIFAR-10 through torchvision (needs torchvision and a download)",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


class RecipeText(str):
    """An English sentence that keeps its template and named fields: the exported script
    prints it as it is, Netwright shows it in the reader's language (i18n reads `template`
    and `fields`; this module imports no Netwright). Fields that are RecipeTexts too are
    translated with it."""

    def __new__(cls, template, **fields):
        if isinstance(template, RecipeText) and not fields:
            return template  # already made (an unpickled error's argument)
        self = super().__new__(cls, template.format(**fields) if fields else template)
        self.template, self.fields = template, fields
        return self


class RecipeError(ValueError):
    """A recipe step cannot go on; the message is one RecipeText line."""

    def __init__(self, template, **fields):
        super().__init__(RecipeText(template, **fields))


class DatasetError(RecipeError):
    """A dataset cannot be loaded or does not fit the network."""


def dataset_loader(dataset, options=None):
    """`("load_digits", {})`: which loader reads `dataset` (a built-in name or a path), with what
    keyword arguments. Names are case-insensitive; a path is told apart by its suffix or folder."""
    options = dict(options or {})
    name = str(dataset).strip()
    key = DATASET_ALIASES.get(name.lower(), name.lower())
    if key in ("digits", "blobs", "moons", "spirals", "sincos", "shapes"):
        return f"load_{key}", options
    if key == "digit-images":
        return "load_digit_images", options
    if key in TORCHVISION_DATASETS:
        return "load_torchvision", {"name": key, **options}
    if name.lower().endswith(".csv"):
        return "load_csv", {"path": name, **options}
    if name.lower().endswith(".npz"):
        return "load_npz", {"path": name, **options}
    if os.path.isdir(name):
        return "load_image_folder", {"path": name, **options}
    if os.sep in name or "." in name:
        raise DatasetError(
            "cannot read dataset '{name}': expected a .csv or .npz file or an image folder",
            name=name,
        )
    raise DatasetError(
        "unknown dataset '{name}': choose one of {choices}, or give a .csv, .npz or image "
        "folder",
        name=name,
        choices=", ".join(BUILTIN_DATASETS),
    )


def loader_call(dataset, options, input_shape, seed, parameters):
    """(loader name, keyword arguments) for `dataset` feeding an Input of `input_shape`:
    seeded loaders get the run's seed, sincos windows take the Input's length, images are
    drawn at the Input's size. `parameters(name)` lists a loader's parameters."""
    name, kwargs = dataset_loader(dataset, options)
    accepted = parameters(name)
    if "seed" in accepted:
        kwargs.setdefault("seed", seed)
    shape = [int(d) for d in input_shape]
    if "steps" in accepted and len(shape) == 2 and shape[1] == 1:
        kwargs.setdefault("steps", shape[0])
    if "size" in accepted and len(shape) == 3:
        kwargs.setdefault("size", tuple(shape[1:]))
        kwargs.setdefault("channels", shape[0])
    unknown = [k for k in kwargs if k not in accepted]
    if unknown:
        takes = ", ".join(p for p in accepted if p not in ("path", "name")) or "none"
        raise DatasetError(
            "unknown dataset option '{option}' (this dataset takes: {takes})",
            option=unknown[0],
            takes=takes,
        )
    return name, kwargs


def canonical_dataset_name(name):
    """Built-in names lower-cased (`Digits` -> `digits`), aliases resolved; paths kept."""
    text = str(name).strip()
    key = DATASET_ALIASES.get(text.lower(), text.lower())
    return key if key in BUILTIN_DATASETS else text


def resolve_dataset_path(name, base=None):
    """A dataset path relative to the project file's folder `base`; built-in names unchanged."""
    text = canonical_dataset_name(name)
    if base is None or text in BUILTIN_DATASETS or os.path.isabs(text):
        return text
    return os.path.join(base, text)


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


def load_digit_images(size=(28, 28), channels=1, samples=None):
    """scikit-learn's digits drawn at `size` (h, w) with `channels` (1 grey, 3 RGB): an
    offline stand-in for MNIST-shaped networks (1797 samples, 10 classes)."""
    import torch
    import torch.nn.functional as F
    from sklearn.datasets import load_digits as sk_digits

    data = sk_digits()
    X = torch.tensor(data.data / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
    y = torch.tensor(data.target, dtype=torch.int64)
    if samples is not None:
        X, y = X[:samples], y[:samples]
    # a 2-pixel margin, as MNIST's digits have around them, then the Input's size
    X = F.pad(X, (1, 1, 1, 1))
    X = F.interpolate(X, size=tuple(size), mode="bilinear", align_corners=False)
    X = X.clamp(0.0, 1.0).repeat(1, channels, 1, 1)
    names = [str(n) for n in data.target_names]
    return X, y, _info("classification", X.shape[1:], [], 10, names)


SHAPE_NAMES = (
    "disc",
    "ring",
    "square",
    "diamond",
    "cross",
    "h-stripes",
    "v-stripes",
    "diagonal",
    "checker",
    "triangle",
)


def load_shapes(samples=2000, size=(32, 32), channels=3, seed=0, classes=10):
    """Ten kinds of shapes and patterns in random colours, places and sizes, with noise:
    an offline stand-in for CIFAR-shaped networks, generated from `seed`. With more than
    10 `classes`, class c is pattern c % 10 in colour family c // 10."""
    import math

    import torch

    g = torch.Generator().manual_seed(seed)
    n, (h, w) = samples, size
    label = torch.arange(n) % classes
    label = label[torch.randperm(n, generator=g)]
    pattern = label % 10
    yy = torch.linspace(0.0, 1.0, h).view(1, h, 1)
    xx = torch.linspace(0.0, 1.0, w).view(1, 1, w)

    def uniform(low, high):
        return (low + (high - low) * torch.rand(n, generator=g)).view(n, 1, 1)

    dx, dy = xx - uniform(0.35, 0.65), yy - uniform(0.35, 0.65)
    r, t = uniform(0.18, 0.32), 0.07
    ax, ay = dx.abs(), dy.abs()
    dist = (dx**2 + dy**2).sqrt()
    freq = uniform(8.0, 16.0)
    phase = uniform(0.0, 2 * math.pi)
    masks = torch.stack(
        [
            dist < r,
            (dist - r).abs() < t,
            torch.maximum(ax, ay) < r,
            ax + ay < r,
            (torch.minimum(ax, ay) < t) & (torch.maximum(ax, ay) < r),
            torch.sin(yy * freq + phase).expand(n, h, w) > 0,
            torch.sin(xx * freq + phase).expand(n, h, w) > 0,
            torch.sin((xx + yy) * freq + phase) > 0,
            (torch.sin(xx * freq + phase) * torch.sin(yy * freq)) > 0,
            (dy < r) & (dy > -r) & (ax < (dy + r) / 2),
        ]
    )
    mask = masks[pattern, torch.arange(n)].float().unsqueeze(1)
    fg = torch.rand(n, 3, 1, 1, generator=g)
    if classes > 10:  # the colour family: a fixed hue per group of ten classes
        family = (label // 10).float().view(n, 1, 1, 1)
        hue = torch.tensor([0.0, 2.1, 4.2]).view(1, 3, 1, 1)
        fg = 0.5 + 0.45 * torch.sin(family * 0.7 + hue)
    bg = torch.rand(n, 3, 1, 1, generator=g) * 0.5
    noise = 0.08 * torch.randn(n, 3, h, w, generator=g)
    X = (bg + (fg + 0.3 - bg) * mask + noise).clamp(0.0, 1.0)
    if channels == 1:
        X = X.mean(1, keepdim=True)
    names = [
        SHAPE_NAMES[c % 10] + (f"-{c // 10}" if classes > 10 else "")
        for c in range(classes)
    ]
    return X, label.long(), _info("classification", X.shape[1:], [], classes, names)


def load_blobs(samples=1000, seed=0, features=2):
    """Two Gaussian classes, centred on (2, 2, …) and (-2, -2, …), in `features` dims."""
    import torch

    g = torch.Generator().manual_seed(seed)
    half = samples // 2
    x0 = torch.normal(2.0, 1.0, (half, features), generator=g)
    x1 = torch.normal(-2.0, 1.0, (samples - half, features), generator=g)
    X = torch.cat([x0, x1])
    y = torch.cat(
        [torch.zeros(half, dtype=torch.int64), torch.ones(samples - half).long()]
    )
    return X, y, _info("classification", [features], [], 2, ["0", "1"])


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
        raise DatasetError(
            "task must be classification or regression, not '{task}'", task=task
        )
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
    import math

    import numpy as np
    import torch

    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise DatasetError(
            "cannot read {path}: {why}", path=path, why=exc.strerror
        ) from None
    except UnicodeDecodeError:
        raise DatasetError(
            "cannot read {path}: it is not UTF-8 text", path=path
        ) from None
    rows = [r for r in rows if r]
    if len(rows) < 2:
        raise DatasetError(
            "{path} needs a header row and at least one row of data", path=path
        )
    header = [h.strip() for h in rows[0]]
    target = header[-1] if target is None else target
    if target not in header:
        raise DatasetError(
            "{path} has no column '{column}' (columns: {columns})",
            path=path,
            column=target,
            columns=", ".join(header),
        )
    features = (
        [h for h in header if h != target] if features is None else list(features)
    )
    missing = [c for c in features if c not in header]
    if missing:
        raise DatasetError(
            "{path} has no column '{column}' (columns: {columns})",
            path=path,
            column=missing[0],
            columns=", ".join(header),
        )
    if not features:
        raise DatasetError(
            "{path}: choose at least one feature column besides '{target}'",
            path=path,
            target=target,
        )
    cols = [header.index(c) for c in features]
    t = header.index(target)
    X = np.empty((len(rows) - 1, len(cols)), dtype=np.float32)
    targets = []
    for i, row in enumerate(rows[1:]):
        if len(row) != len(header):
            raise DatasetError(
                "{path}: row {row} has {count} values, expected {expected}",
                path=path,
                row=i + 2,
                count=len(row),
                expected=len(header),
            )
        for j, c in enumerate(cols):
            try:
                X[i, j] = value = float(row[c])
            except ValueError:
                raise DatasetError(
                    "{path}: row {row}, column '{column}' is not a number: {value}",
                    path=path,
                    row=i + 2,
                    column=header[c],
                    value=repr(row[c]),
                ) from None
            if not math.isfinite(value):
                raise DatasetError(
                    "{path}: row {row}, column '{column}' is {value}, not a finite "
                    "number: fill in or remove the row",
                    path=path,
                    row=i + 2,
                    column=header[c],
                    value=repr(row[c].strip()),
                )
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
        raise DatasetError(
            "{path}: regression needs numbers in column '{column}'",
            path=path,
            column=target,
        )
    if not np.all(np.isfinite(values)):
        raise DatasetError(
            "{path}: row {row}, column '{column}' is not a finite number: fill in or "
            "remove the row",
            path=path,
            row=int(np.argmin(np.isfinite(values))) + 2,
            column=target,
        )
    y = torch.tensor(values, dtype=torch.float32).unsqueeze(1)
    return torch.from_numpy(X), y, _info(task, [len(cols)], [1])


def load_npz(path, task=None):
    """A NumPy .npz archive holding arrays `X` (samples first) and `y`."""
    import zipfile

    import numpy as np
    import torch

    try:
        with np.load(path, allow_pickle=False) as archive:
            if "X" not in archive or "y" not in archive:
                if archive.files:
                    raise DatasetError(
                        "{path} must hold arrays named X and y (it holds {found})",
                        path=path,
                        found=", ".join(archive.files),
                    )
                raise DatasetError(
                    "{path} must hold arrays named X and y (it holds nothing)",
                    path=path,
                )
            X, y = archive["X"], archive["y"]
    except DatasetError:
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise DatasetError(
            "cannot read {path} as a NumPy .npz archive: it is damaged or not one "
            "({error})",
            path=path,
            error=type(exc).__name__,
        ) from None
    if not isinstance(X, np.ndarray) or not isinstance(y, np.ndarray):
        raise DatasetError(
            "{path}: X and y must be NumPy arrays (.npy files inside)", path=path
        )
    if X.ndim < 1 or y.ndim < 1 or len(X) != len(y):
        raise DatasetError(
            "{path}: X has shape {x_shape} and y {y_shape}: both need one entry per "
            "sample, the same number",
            path=path,
            x_shape=list(X.shape),
            y_shape=list(y.shape),
        )
    try:
        X = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError):
        raise DatasetError(
            "{path}: X holds {dtype} values, not numbers", path=path, dtype=X.dtype
        ) from None
    if not np.all(np.isfinite(X)):
        raise DatasetError("{path}: X holds NaN or infinite values", path=path)
    X = torch.tensor(X)
    task = _task_of(y, task)
    if task == "classification" and y.ndim > 1:
        raise DatasetError(
            "{path}: y has shape {shape}, but class labels are one per sample (shape "
            "[{samples}]); for {per_sample} targets per sample set the dataset option "
            "task to regression",
            path=path,
            shape=list(y.shape),
            samples=len(y),
            per_sample=list(y.shape[1:]),
        )
    if task == "classification":
        labels, names = _classes(y)
        return X, labels, _info(task, X.shape[1:], [], len(names), names)
    try:
        y = np.asarray(y, dtype=np.float32)
    except (TypeError, ValueError):
        raise DatasetError(
            "{path}: regression needs numbers in y, not {dtype}",
            path=path,
            dtype=y.dtype,
        ) from None
    if not np.all(np.isfinite(y)):
        raise DatasetError("{path}: y holds NaN or infinite values", path=path)
    y = torch.tensor(y)
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
            "reading an image folder needs Pillow, which is not installed "
            "(pip install pillow)"
        ) from None
    try:
        classes = sorted(
            d for d in os.listdir(path) if os.path.isdir(os.path.join(path, d))
        )
    except OSError as exc:
        raise DatasetError(
            "cannot read the folder {path}: {why}", path=path, why=exc.strerror
        ) from None
    if not classes:
        raise DatasetError("{path} needs one sub-folder of images per class", path=path)
    mode = {None: None, 1: "L", 3: "RGB"}.get(channels, "RGB")
    images, labels = [], []
    for label, name in enumerate(classes):
        folder = os.path.join(path, name)
        for file in sorted(os.listdir(folder)):
            if not file.lower().endswith(IMAGE_SUFFIXES):
                continue
            file = os.path.join(folder, file)
            try:
                with Image.open(file) as img:
                    mode = mode or ("L" if img.mode in ("L", "1", "I;16") else "RGB")
                    img = img.convert(mode)
                    size = size or (img.height, img.width)
                    if (img.height, img.width) != tuple(size):
                        img = img.resize((size[1], size[0]))
                    array = np.asarray(img, dtype=np.float32) / 255.0
            except (
                OSError,
                ValueError,
                SyntaxError,
                Image.DecompressionBombError,
            ) as exc:
                why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise DatasetError(
                    "cannot read the image {file}: {why}", file=file, why=why
                ) from None
            images.append(array[None] if array.ndim == 2 else array.transpose(2, 0, 1))
            labels.append(label)
    if not images:
        raise DatasetError("{path}: found no images in its class folders", path=path)
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
            "the {title} dataset needs torchvision, which is not installed "
            "(pip install torchvision); offline, use digit-images or shapes",
            title=title,
        )
    try:
        from torchvision import datasets
    except (
        ImportError,
        RuntimeError,
        OSError,
        AttributeError,
    ) as exc:  # another torch's
        raise DatasetError(
            "the {title} dataset needs torchvision, which is installed but cannot be "
            "imported ({error}: {why}); reinstall the torchvision that matches torch, or "
            "use digit-images or shapes",
            title=title,
            error=type(exc).__name__,
            why=str(exc).splitlines()[0] if str(exc) else "",
        ) from None

    root = root or os.path.join(os.path.expanduser("~"), ".cache", "netwright", "data")
    cls = getattr(datasets, TORCHVISION_DATASETS[name])
    try:
        data = cls(root, train=True, download=download)
    except (RuntimeError, OSError, ValueError) as exc:  # URLError is an OSError
        raise DatasetError(
            "cannot load {title} from {root} ({why}); put the files there or allow the "
            "download",
            title=title,
            root=root,
            why=str(exc),
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
            "the validation fraction must be in [0, 1), not {fraction}",
            fraction=val_fraction,
        )
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))
    n_val = round(len(X) * val_fraction)
    if len(X) - n_val < 1:
        raise DatasetError(
            "the dataset has {samples} samples, too few to train on", samples=len(X)
        )
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
        note = RecipeText(
            "samples of shape {sample} are reshaped to {wanted} to fit Input '{input}'",
            sample=sample,
            wanted=wanted,
            input=input_name,
        )
        return X.reshape(len(X), *wanted), note
    image = (info or {}).get("image_shape")
    fits = sample
    if image and list(image) != sample:
        fits = RecipeText("{shape} or {other}", shape=sample, other=list(image))
    raise DatasetError(
        "the dataset's samples have shape {sample} ({values} values) but Input '{input}' "
        "expects {wanted} ({wanted_values}); an Input of shape {fits} would fit",
        sample=sample,
        values=math.prod(sample),
        input=input_name,
        wanted=wanted,
        wanted_values=math.prod(wanted),
        fits=fits,
    )


# fmt: on
