"""What a finished run is worth on its validation split: `evaluation.json` in the run folder.

Classification: per-class precision, recall, F1 and support, top-k accuracy, and the most
confidently misclassified samples (their images as PNG under `misclassified/` when the samples
are images). Regression: error figures, residual statistics and predictions against truth
(every value in `predictions.csv`, a capped sample of them in the JSON).

`index` in the file is a sample's position in the validation split (the seeded split of
recipe.data.split_dataset), so a run with the same seed finds the same sample again.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import torch

EVALUATION_FILE = "evaluation.json"
GALLERY_FOLDER = "misclassified"
PREDICTIONS_FILE = "predictions.csv"
TOP_K = (1, 3, 5)  # a k is reported when it is below the number of classes (else trivially 1)
GALLERY_SIZE = 12  # misclassified samples kept, most confident first
POINTS_IN_JSON = 1000  # regression (truth, prediction) pairs kept in evaluation.json
IMAGE_MIN_SIDE = 64  # small images (8×8 digits) are enlarged to at least this, pixel by pixel


def evaluate_classification(
    outputs: torch.Tensor,
    targets: torch.Tensor,
    class_names: list[str] | None,
    num_classes: int | None = None,
) -> dict[str, Any]:
    """The figures of a classifier's outputs (N, classes) — or (N, 1) logits of a binary
    classifier — against class indices (N,)."""
    probs = class_probabilities(outputs)
    classes = probs.shape[1]
    if num_classes:
        classes = max(classes, num_classes)
    y = targets.detach().cpu().long().reshape(-1).numpy()
    confidence, predicted = (t.numpy() for t in probs.max(dim=1))
    names = list(class_names) if class_names else [str(i) for i in range(classes)]
    per_class = _per_class(y, predicted, classes, names)
    support = np.array([c["support"] for c in per_class], dtype=float)
    report: dict[str, Any] = {
        "task": "classification",
        "samples": len(y),
        "accuracy": float((predicted == y).mean()) if len(y) else None,
        "classes": per_class,
        "macro_avg": _average(per_class, np.ones_like(support)),
        "weighted_avg": _average(per_class, support),
        "top_k": _top_k(probs, y),
    }
    report["misclassified"] = _most_confident_mistakes(y, predicted, confidence, names)
    return report


def class_probabilities(outputs: torch.Tensor) -> torch.Tensor:
    """Softmax over the scores (also right for log-probabilities); one logit -> two classes."""
    out = outputs.detach().float().cpu()
    if out.dim() == 2 and out.shape[1] == 1:
        p = torch.sigmoid(out[:, 0])
        return torch.stack([1 - p, p], dim=1)
    return torch.softmax(out.reshape(len(out), -1), dim=1)


def _per_class(y: np.ndarray, p: np.ndarray, classes: int, names: list[str]) -> list[dict]:
    rows = []
    for c in range(classes):
        tp = int(np.sum((p == c) & (y == c)))
        predicted, support = int(np.sum(p == c)), int(np.sum(y == c))
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        name = names[c] if c < len(names) else str(c)
        rows.append(
            {"name": name, "precision": precision, "recall": recall, "f1": f1, "support": support}
        )
    return rows


def _average(rows: list[dict], weights: np.ndarray) -> dict[str, float]:
    total = float(weights.sum()) or 1.0
    return {
        key: float(sum(r[key] * w for r, w in zip(rows, weights, strict=True)) / total)
        for key in ("precision", "recall", "f1")
    }


def _top_k(probs: torch.Tensor, y: np.ndarray) -> dict[str, float]:
    classes = probs.shape[1]
    if not len(y):
        return {}
    truth = torch.as_tensor(y).unsqueeze(1)
    result = {}
    for k in TOP_K:
        if k == 1 or k < classes:
            best = probs.topk(k, dim=1).indices
            result[str(k)] = float((best == truth).any(dim=1).double().mean())
    return result


def _most_confident_mistakes(
    y: np.ndarray, p: np.ndarray, confidence: np.ndarray, names: list[str]
) -> list[dict]:
    wrong = np.flatnonzero(p != y)
    order = wrong[np.argsort(-confidence[wrong], kind="stable")][:GALLERY_SIZE]

    def name(c: int) -> str:
        return names[c] if c < len(names) else str(c)

    return [
        {
            "index": int(i),
            "true": int(y[i]),
            "predicted": int(p[i]),
            "true_name": name(int(y[i])),
            "predicted_name": name(int(p[i])),
            "confidence": float(confidence[i]),
        }
        for i in order
    ]


def evaluate_regression(outputs: torch.Tensor, targets: torch.Tensor) -> dict[str, Any]:
    """Error figures of a regressor: every output value against its target value."""
    pred = outputs.detach().float().cpu().reshape(len(outputs), -1).numpy()
    truth = targets.detach().float().cpu().reshape(len(targets), -1).numpy()
    residual = pred - truth
    flat_t, flat_r = truth.ravel(), residual.ravel()
    variance = float(np.var(flat_t)) if flat_t.size else 0.0
    mse = float(np.mean(flat_r**2)) if flat_r.size else math.nan
    per_sample = np.abs(residual).mean(axis=1) if len(residual) else np.empty(0)
    worst = np.argsort(-per_sample, kind="stable")[:GALLERY_SIZE]
    step = max(1, math.ceil(flat_t.size / POINTS_IN_JSON))
    return {
        "task": "regression",
        "samples": len(truth),
        "values_per_sample": int(truth.shape[1]) if truth.ndim == 2 else 1,
        "rmse": math.sqrt(mse) if flat_r.size else None,
        "mae": float(np.mean(np.abs(flat_r))) if flat_r.size else None,
        "r2": 1 - mse / variance if variance > 0 else None,
        "residuals": {
            "mean": float(np.mean(flat_r)) if flat_r.size else None,
            "std": float(np.std(flat_r)) if flat_r.size else None,
            "max_abs": float(np.max(np.abs(flat_r))) if flat_r.size else None,
        },
        "worst": [{"index": int(i), "mean_abs_residual": float(per_sample[i])} for i in worst],
        # every `step`-th value: enough for a scatter plot, never a huge file
        "points": [
            [float(t), float(t + r)] for t, r in zip(flat_t[::step], flat_r[::step], strict=True)
        ],
    }


def as_images(X: torch.Tensor, image_shape: list[int] | None) -> torch.Tensor | None:
    """The samples as (N, C, H, W) images with 1 or 3 channels, or None if they are not images."""
    x = X.detach().cpu()
    if image_shape and x.dim() == 2 and math.prod(image_shape) == x.shape[1]:
        x = x.reshape(len(x), *image_shape)
    if x.dim() == 3 and x.shape[1] > 1 and x.shape[2] > 1:
        x = x.unsqueeze(1)
    if x.dim() != 4 or x.shape[1] not in (1, 3) or min(x.shape[2:]) < 2:
        return None
    return x.float()


def save_image(image: torch.Tensor, path: Path) -> None:
    """One (C, H, W) sample as a PNG: its own range stretched to 0..255, small ones enlarged."""
    from PIL import Image

    lo, hi = float(image.min()), float(image.max())
    scaled = (image - lo) / (hi - lo) if hi > lo else torch.zeros_like(image)
    pixels = (scaled * 255).round().clamp(0, 255).to(torch.uint8)
    array = pixels[0].numpy() if pixels.shape[0] == 1 else pixels.permute(1, 2, 0).numpy()
    picture = Image.fromarray(array)
    factor = max(1, math.ceil(IMAGE_MIN_SIDE / min(picture.size)))
    if factor > 1:
        picture = picture.resize(
            (picture.size[0] * factor, picture.size[1] * factor), Image.Resampling.NEAREST
        )
    picture.save(path)


def write_evaluation(
    folder: Path,
    report: dict[str, Any],
    X_val: torch.Tensor | None = None,
    image_shape: list[int] | None = None,
    regression_pairs: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> dict[str, Any]:
    """Save the report as evaluation.json, the mistakes' images and the regression values;
    returns the report with each saved image's path (relative to the folder) added."""
    folder = Path(folder)
    images = as_images(X_val, image_shape) if X_val is not None else None
    mistakes = report.get("misclassified") or []
    if images is not None and mistakes:
        gallery = folder / GALLERY_FOLDER
        gallery.mkdir(exist_ok=True)
        for old in gallery.glob("*.png"):  # a resumed run's earlier gallery
            old.unlink()
        for rank, item in enumerate(mistakes, start=1):
            name = f"{rank:02d}_val{item['index']}.png"
            save_image(images[item["index"]], gallery / name)
            item["image"] = f"{GALLERY_FOLDER}/{name}"
    if regression_pairs is not None:
        _write_predictions(folder / PREDICTIONS_FILE, *regression_pairs)
        report["predictions_file"] = PREDICTIONS_FILE
    text = json.dumps(_finite(report), indent=2) + "\n"
    (folder / EVALUATION_FILE).write_text(text, encoding="utf-8")
    return report


def _write_predictions(path: Path, outputs: torch.Tensor, targets: torch.Tensor) -> None:
    pred = outputs.detach().float().cpu().reshape(len(outputs), -1).numpy()
    truth = targets.detach().float().cpu().reshape(len(targets), -1).numpy()
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["index", "value", "truth", "prediction", "residual"])
        for i in range(len(truth)):
            for j in range(truth.shape[1]):
                t, p = float(truth[i, j]), float(pred[i, j])
                out.writerow([i, j, f"{t:.6g}", f"{p:.6g}", f"{p - t:.6g}"])


def read_evaluation(folder: str | Path) -> dict[str, Any] | None:
    """A run folder's evaluation.json, or None when it has none or it cannot be read."""
    path = Path(folder) / EVALUATION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def evaluate_run(folder: Path, outputs: torch.Tensor, data: Any) -> dict[str, Any]:
    """Evaluate a run's final validation outputs (`data` is runtime.datasets.TrainingData) and
    save everything in its folder; the report, as written."""
    y_val = data.y_val
    if data.classification:
        report = evaluate_classification(
            outputs, y_val, data.info.get("class_names"), data.info.get("num_classes")
        )
        return write_evaluation(folder, report, data.X_val, data.info.get("image_shape"))
    report = evaluate_regression(outputs, y_val)
    return write_evaluation(folder, report, regression_pairs=(outputs, y_val))
