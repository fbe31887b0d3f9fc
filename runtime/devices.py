"""The devices this machine can train on, and turning a device setting into a torch.device."""

from __future__ import annotations

import contextlib
import functools
import os
import platform
from dataclasses import dataclass

import torch

from i18n import msg


class DeviceError(ValueError):
    """A device that this machine does not have; the message lists the ones it does."""


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # "cpu", "cuda:0", "mps"
    name: str  # "CPU (16 threads)", "NVIDIA H100 80GB HBM3", "Apple GPU"
    memory_bytes: int | None


@functools.cache  # platform.processor() may start a subprocess
def _cpu_info() -> DeviceInfo:
    memory = None
    # sysconf is missing on Windows: the GUI then shows no memory figure
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    model = platform.processor() or platform.machine() or "CPU"
    name = msg("CPU {model} ({threads} threads)", model=model, threads=os.cpu_count() or 1)
    return DeviceInfo("cpu", name, memory)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def available_devices() -> list[DeviceInfo]:
    """CPU first, then each CUDA GPU, then MPS."""
    devices = [_cpu_info()]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            devices.append(DeviceInfo(f"cuda:{i}", props.name, int(props.total_memory)))
    if _mps_available():
        memory = None
        with contextlib.suppress(AttributeError, RuntimeError):
            memory = int(torch.mps.recommended_max_memory())
        devices.append(DeviceInfo("mps", msg("Apple GPU (MPS)"), memory))
    return devices


def resolve_device(setting: str) -> torch.device:
    """`auto` picks CUDA, then MPS, then CPU; anything this machine lacks is a DeviceError."""
    text = str(setting).strip().lower()
    if text == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda", torch.cuda.current_device())
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    if text == "cpu":
        return torch.device("cpu")
    if text == "mps":
        if not _mps_available():
            raise DeviceError(
                msg(
                    "device 'mps' is not available on this machine (it has: {devices})",
                    devices=_here(),
                )
            )
        return torch.device("mps")
    if text == "cuda" or text.startswith("cuda:"):
        if not torch.cuda.is_available():
            why = (
                msg("torch was built without CUDA")
                if torch.version.cuda is None
                else msg("no GPU found")
            )
            raise DeviceError(
                msg(
                    "device '{setting}' is not available ({why}; this machine has: {devices})",
                    setting=setting,
                    why=why,
                    devices=_here(),
                )
            )
        index = torch.cuda.current_device() if text == "cuda" else _index(text, setting)
        if index >= torch.cuda.device_count():
            raise DeviceError(
                msg(
                    "device '{setting}' does not exist (this machine has: {devices})",
                    setting=setting,
                    devices=_here(),
                )
            )
        return torch.device("cuda", index)
    raise DeviceError(
        msg("unknown device '{setting}': choose cpu, cuda, cuda:N, mps or auto", setting=setting)
    )


def _here() -> str:
    return ", ".join(d.id for d in available_devices())


def _index(text: str, setting: str) -> int:
    try:
        return int(text.split(":", 1)[1])
    except ValueError:
        raise DeviceError(
            msg("unknown device '{setting}': write cuda:0, cuda:1, ...", setting=setting)
        ) from None


def device_name(device: torch.device) -> str:
    for info in available_devices():
        if info.id == str(device) or (info.id == "cpu" and device.type == "cpu"):
            return info.name
    return str(device)
