"""The one epoch line: what `train` prints, the exported script prints and the GUI logs.

Part of the recipe copied into exported training scripts (formatted for 88 columns).
"""


# fmt: off
def epoch_line(m):
    """`epoch 3, train loss 0.1234, acc 0.950, val loss …, 1,234 samples/s` from an epoch's
    metrics: an object or a dict with EpochMetrics' names."""
    get = m.get if isinstance(m, dict) else lambda k: getattr(m, k)
    parts = [f"epoch {get('epoch')}", f"train loss {get('train_loss'):.4f}"]
    if get("train_accuracy") is not None:
        parts.append(f"acc {get('train_accuracy'):.3f}")
    if get("val_loss") is not None:
        parts.append(f"val loss {get('val_loss'):.4f}")
    if get("val_accuracy") is not None:
        parts.append(f"val acc {get('val_accuracy'):.3f}")
    if get("val_rmse") is not None:
        parts.append(f"val rmse {get('val_rmse'):.4f}")
    parts.append(f"{get('samples_per_second'):,.0f} samples/s")
    return ", ".join(parts)


# fmt: on
