"""The training loop's parts, shared by the runtime's Trainer and exported training scripts:
the loss, optimizer and schedule a settings dict asks for, the seeded batch order, one training
step, the evaluation of a split, and the state a run resumes from.

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


def run_state(model, optimizer, scheduler, scaler, epoch, best_loss, stale_epochs):
    """What resuming after `epoch` needs (state.pt): the weights, the optimizer's, the
    schedule's and fp16's GradScaler states, and the best watched loss so far. Tensors
    and numbers only, so it loads with torch.load(..., weights_only=True)."""
    return {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": None if scheduler is None else scheduler.state_dict(),
        "scaler": None if scaler is None else scaler.state_dict(),
        "epoch": epoch,
        "best_loss": best_loss,
        "stale_epochs": stale_epochs,
    }


def restore_run_state(state, model, optimizer, scheduler, scaler):
    """Load a run_state into a run's objects: (epoch, best_loss, stale_epochs). Raises
    KeyError, RuntimeError, ValueError or TypeError where it does not fit them."""
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None and state.get("scheduler"):
        scheduler.load_state_dict(state["scheduler"])
    if scaler is not None and state.get("scaler"):
        scaler.load_state_dict(state["scaler"])
    stale = int(state.get("stale_epochs") or 0)
    return int(state["epoch"]), state.get("best_loss"), stale


def batches_per_epoch(samples, batch_size):
    """Batches in an epoch: a last batch of one sample is left out (BatchNorm cannot train
    on it; the order is reshuffled every epoch, so the sample is in other batches)."""
    full, rest = divmod(samples, batch_size)
    return max(1, full + (1 if rest > 1 else 0))


def epoch_batches(order, batch_size):
    """The index tensors of one epoch's batches, in `order`."""
    count = batches_per_epoch(len(order), batch_size)
    return [order[i * batch_size : (i + 1) * batch_size] for i in range(count)]


def batch_loader(X, y, batches, workers, pin):
    """The epoch's (inputs, targets) batches, in order: sliced here, or with `workers` > 0
    by torch DataLoader worker processes while the network trains (pinned for a GPU)."""
    if workers == 0:
        return ((X[index], y[index]) for index in batches)
    from torch.utils.data import DataLoader, TensorDataset

    # each "sample" the sampler yields is a whole batch's indices: no per-sample collation
    return DataLoader(
        TensorDataset(X, y),
        sampler=batches,
        batch_size=None,
        num_workers=workers,
        pin_memory=pin,
    )


def train_step(
    net,
    loss_fn,
    optimizer,
    xb,
    yb,
    to_target,
    to_class,
    grad_clip,
    autocast=None,
    scaler=None,
):
    """One optimizer step on a batch: (loss, what BatchLog scores: (outputs, targets) for a
    classifier, else None), on the device. `autocast` makes the mixed-precision context
    (None: fp32, with no context at all); `scaler` is fp16's GradScaler."""
    import torch

    if autocast is None:
        out = net(xb)
        loss = loss_fn(out, to_target(yb))
    else:
        with autocast():
            out = net(xb)
            loss = loss_fn(out, to_target(yb))
    optimizer.zero_grad(set_to_none=True)
    if scaler is None:
        loss.backward()
        if grad_clip is not None:
            torch.nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
        optimizer.step()
    else:
        scaler.scale(loss).backward()
        if grad_clip is not None:
            scaler.unscale_(optimizer)  # clip the true gradients, not the scaled ones
            torch.nn.utils.clip_grad_norm_(net.parameters(), grad_clip)
        scaler.step(optimizer)
        scaler.update()
    return loss.detach(), None if to_class is None else (out.detach(), yb)


def _no_context():
    import contextlib

    return contextlib.nullcontext()


# the dtypes of the mixed precisions; fp32 is no autocast at all
PRECISION_DTYPES = {"bf16": "bfloat16", "fp16": "float16"}


def mixed_precision(precision, device):
    """(autocast context maker or None, GradScaler or None) for `precision` on `device`.
    Raises ValueError, saying why, where the device cannot compute in that precision."""
    import warnings

    import torch

    if precision == "fp32":
        return None, None
    dtype = getattr(torch, PRECISION_DTYPES[precision])
    if (
        device.type == "cuda"
        and precision == "bf16"
        and not torch.cuda.is_bf16_supported()
    ):
        name = torch.cuda.get_device_name(device)
        raise ValueError(f"{device} ({name}) has no bf16: choose fp16 or fp32")
    try:
        # autocast turns itself off (with a warning) for a dtype the device lacks: probe it
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with torch.autocast(device.type, dtype=dtype):
                x = torch.ones(2, 2, device=device)
                works = torch.nn.functional.linear(x, x).dtype == dtype
    except (RuntimeError, TypeError, ValueError, UserWarning) as exc:
        works, why = False, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    else:
        why = "autocast does not compute in it there"
    if not works:
        raise ValueError(f"{device} cannot train in {precision} ({why}): choose fp32")
    scaler = None
    if precision == "fp16":  # small fp16 gradients would round to zero without scaling
        scaler = torch.amp.GradScaler(device.type)
    return (lambda: torch.autocast(device.type, dtype=dtype)), scaler


def compiled(net):
    """(torch.compile(net), None), or (net, why) where this Python or torch cannot compile."""
    import torch

    try:
        return torch.compile(net), None
    except (RuntimeError, ImportError, OSError) as exc:
        return net, _first_line(exc)


def compile_failure(exc):
    """Why torch.compile failed (no C++ compiler, an unsupported platform…) if `exc` came from
    the compiler rather than from the network itself; else None."""
    if type(exc).__module__.startswith(("torch._dynamo", "torch._inductor")):
        return _first_line(exc)
    return None


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def predict(net, X, batch_size, device, autocast=None):
    """The network's outputs on X in eval mode, in chunks, without gradients (in float32,
    whatever precision computed them)."""
    import torch

    net.eval()
    chunk = max(batch_size, 256)
    outs = []
    with torch.no_grad(), autocast() if autocast is not None else _no_context():
        for i in range(0, len(X), chunk):
            out = net(X[i : i + chunk].to(device, non_blocking=True))
            if out.dtype in (torch.float16, torch.bfloat16):
                out = out.float()
            outs.append(out)
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
