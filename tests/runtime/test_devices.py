"""Devices: what this machine has, and device settings resolved or refused clearly."""

import pytest
import torch

from runtime.devices import DeviceError, available_devices, resolve_device


def test_cpu_is_listed_first_with_a_name_and_memory():
    first = available_devices()[0]
    assert first.id == "cpu"
    assert first.name.startswith("CPU")
    assert first.memory_bytes is None or first.memory_bytes > 0


def test_cuda_devices_follow_the_cpu_one_per_gpu():
    ids = [d.id for d in available_devices()]
    assert ids[1 : 1 + torch.cuda.device_count()] == [
        f"cuda:{i}" for i in range(torch.cuda.device_count())
    ]


def test_cpu_is_case_insensitive():
    assert resolve_device("CPU") == torch.device("cpu")


def test_auto_picks_an_available_device():
    device = resolve_device("auto")
    assert str(device) in {d.id for d in available_devices()} or device.type == "cuda"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_a_gpu_says_so_and_lists_what_there_is():
    with pytest.raises(DeviceError) as info:
        resolve_device("cuda:0")
    assert "not available" in str(info.value)
    assert "this machine has: cpu" in str(info.value)


def test_a_gpu_index_beyond_the_last_is_refused():
    with pytest.raises(DeviceError):
        resolve_device(f"cuda:{torch.cuda.device_count() + 3}")


def test_unknown_device_names_the_choices():
    with pytest.raises(DeviceError, match="choose cpu, cuda, cuda:N, mps or auto"):
        resolve_device("tpu")
