"""The one epoch line: what `train` prints, the exported script prints and the GUI logs.

Part of the recipe copied into exported training scripts (formatted for 88 columns). Its words
come from `say(template, **fields)`: `str.format` in the script (English), i18n.say in
Netwright (the reader's language), so the line is written once for both.
"""


# fmt: off
def epoch_line(m, say=str.format):
    """`epoch 3, train loss 0.1234, acc 0.950, val loss …, 1,234 samples/s` from an epoch's
    metrics: an object or a dict with EpochMetrics' names."""
    get = m.get if isinstance(m, dict) else lambda k: getattr(m, k)
    parts = [
        say("epoch {epoch}", epoch=get("epoch")),
        say("train loss {loss:.4f}", loss=get("train_loss")),
    ]
    if get("train_accuracy") is not None:
        parts.append(say("acc {accuracy:.3f}", accuracy=get("train_accuracy")))
    if get("val_loss") is not None:
        parts.append(say("val loss {loss:.4f}", loss=get("val_loss")))
    if get("val_accuracy") is not None:
        parts.append(say("val acc {accuracy:.3f}", accuracy=get("val_accuracy")))
    if get("val_rmse") is not None:
        parts.append(say("val rmse {rmse:.4f}", rmse=get("val_rmse")))
    parts.append(say("{speed:,.0f} samples/s", speed=get("samples_per_second")))
    return say(", ").join(parts)


# fmt: on
