"""Where the data lives during a run: small datasets are copied to the device once; big ones
(or any, when DataLoader workers cut the batches) stay in host memory and each batch is pinned
and copied asynchronously."""

from __future__ import annotations

import torch

ON_DEVICE_BYTES = 2 << 30  # datasets up to this size are copied to the device once


class Placement:
    def __init__(self, device: torch.device, workers: int, *train: torch.Tensor) -> None:
        self.device = device
        size = sum(t.numel() * t.element_size() for t in train)
        # worker processes cannot read a GPU's memory: with workers the data stays on the host
        self.on_device = device.type == "cpu" or (workers == 0 and size <= ON_DEVICE_BYTES)
        self.pinned = device.type == "cuda" and not self.on_device  # the loader pins batches

    def place(self, tensor: torch.Tensor) -> torch.Tensor:
        """A whole split: on the device if it is to live there."""
        return tensor.to(self.device) if self.on_device else tensor

    def batch(self, tensor: torch.Tensor) -> torch.Tensor:
        """A batch cut from a placed split, onto the device (pinned first from the host)."""
        if self.on_device:
            return tensor
        if self.device.type == "cuda" and not tensor.is_pinned():
            tensor = tensor.pin_memory()
        return tensor.to(self.device, non_blocking=True)
