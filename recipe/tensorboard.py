"""TensorBoard logs of a run: per-epoch scalars (losses, accuracies, lr, throughput), the model
graph and histograms of the weights, for `tensorboard --logdir DIR`.

Part of the recipe copied into exported training scripts: top-level imports are stdlib only,
torch and tensorboard are imported inside the functions; formatted for ruff's default 88 columns.
"""

# fmt: off
# metrics.jsonl key -> TensorBoard tag; a tag's first part is its section in TensorBoard
TENSORBOARD_SCALARS = {
    "train_loss": "loss/train",
    "val_loss": "loss/validation",
    "train_accuracy": "accuracy/train",
    "val_accuracy": "accuracy/validation",
    "val_rmse": "rmse/validation",
    "lr": "lr",
    "samples_per_second": "speed/samples_per_second",
}


def tensorboard_writer(folder, net, example):
    """(a SummaryWriter writing into `folder`, None or why the graph is missing): the graph
    of `net` traced on `example` is written first; a network that cannot be traced still
    gets its scalars. Raises ValueError where the tensorboard package is missing."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise ValueError(
            "TensorBoard logs need the tensorboard package: pip install tensorboard"
        ) from None
    writer = SummaryWriter(folder)
    why = None
    was_training = net.training
    net.eval()  # one trace without dropout or batch statistics
    try:
        writer.add_graph(net, example)
    except (RuntimeError, TypeError, ValueError) as exc:
        text = str(exc).strip()
        why = text.splitlines()[0][:300] if text else type(exc).__name__
    net.train(was_training)
    return writer, why


def log_epoch(writer, record, net):
    """One epoch's scalars (from its metrics.jsonl record) and weight histograms."""
    epoch = record["epoch"]
    for key, tag in TENSORBOARD_SCALARS.items():
        if record.get(key) is not None:
            writer.add_scalar(tag, record[key], epoch)
    for name, parameter in net.named_parameters():
        values = parameter.detach().float().cpu()
        writer.add_histogram("weights/" + name, values, epoch)
    writer.flush()


# fmt: on
