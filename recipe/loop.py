"""The training loop's parts, shared by the runtime's Trainer and exported training scripts:
the loss, optimizer and schedule a settings dict asks for, the seeded batch order, one training
step, and the evaluation of a split.

Part of the recipe copied into exported training scripts: top-level imports are stdlib only,
torch is imported inside the functions; formatted for ruff's default 88 columns.
"""

# fmt: off
LOSS_CLASSES = {
    "cross_entropy": "CrossEntropyLoss",
    "nll": "NLLLoss",
    "mse": "MSELoss",
    "l1": "L1Loss",
    "smooth_l1": "SmoothL1Loss",
    "bce_with_logits": "BCEWithLogitsLoss",
}


def make_loss(name):
    from torch import nn

    return getattr(nn, LOSS_CLASSES[name])()


def make_optimizer(settings, params):
    """The optimizer of `settings` (a dict of the training settings) over `params`."""
    import torch

    name, lr, wd = settings["optimizer"], settings["lr"], settings["weight_decay"]
    params = list(params)
    if name == "sgd":
        return torch.optim.SGD(
            params,
            lr=lr,
            momentum=settings["momentum"],
            nesterov=settings["nesterov"],
            weight_decay=wd,
        )
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    return torch.optim.RMSprop(
        params, lr=lr, momentum=settings["momentum"], weight_decay=wd
    )


def make_schedule(settings, optimizer, steps_per_epoch):
    """(scheduler or None, whether it steps after every batch rather than every epoch)."""
    import torch

    epochs, schedules = settings["epochs"], torch.optim.lr_scheduler
    if settings["schedule"] == "step":
        # a tenth of the rate at each third of the run: the classic staircase
        step = max(1, epochs // 3)
        return schedules.StepLR(optimizer, step_size=step, gamma=0.1), False
    if settings["schedule"] == "cosine":
        return schedules.CosineAnnealingLR(optimizer, T_max=epochs), False
    if settings["schedule"] == "onecycle":
        total = epochs * steps_per_epoch
        return schedules.OneCycleLR(optimizer, settings["lr"], total_steps=total), True
    return None, False


def batches_per_epoch(samples, batch_size):
    """Batches in an epoch: a last batch of one sample is left out (BatchNorm cannot train
    on it; the order is reshuffled every epoch, so the sample is in other batches)."""
    full, rest = divmod(samples, batch_size)
    return max(1, full + (1 if rest > 1 else 0))


def epoch_batches(order, batch_size):
    """The index tensors of one epoch's batches, in `order`."""
    count = batches_per_epoch(len(order), batch_size)
    return [order[i * batch_size : (i + 1) * batch_size] for i in range(count)]


def train_step(net, loss_fn, optimizer, xb, yb, to_target, to_class, grad_clip):
    """One optimizer step on a batch: (loss, correct count or None), both on the device."""
    import torch

    out = net(xb)
    loss = loss_fn(out, to_target(yb))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    if grad_clip is not None:
        torch.nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
    optimizer.step()
    correct = None if to_class is None else (to_class(out.detach()) == yb).sum()
    return loss.detach(), correct


def predict(net, X, batch_size, device):
    """The network's outputs on X in eval mode, in chunks, without gradients."""
    import torch

    net.eval()
    chunk = max(batch_size, 256)
    outs = []
    with torch.no_grad():
        for i in range(0, len(X), chunk):
            outs.append(net(X[i : i + chunk].to(device, non_blocking=True)))
    net.train()
    return torch.cat(outs)


def score(out, y, loss_fn, to_target, to_class):
    """(loss, accuracy, rmse) of outputs against targets; accuracy or rmse is None."""
    import torch

    loss = float(loss_fn(out, to_target(y)))
    if to_class is not None:
        return loss, float((to_class(out) == y).float().mean()), None
    rmse = float(torch.sqrt(torch.mean((out.float() - y.float()) ** 2)))
    return loss, None, rmse


# fmt: on
