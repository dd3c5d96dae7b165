"""device, cuda, accelerator and backends: the CPU, honestly."""

from __future__ import annotations

import pytest

import scratchgrad as sg


def test_devices_answer_cpu() -> None:
    cpu = sg.device("cpu")
    assert cpu.type == "cpu" and cpu.index is None and str(cpu) == "cpu" and repr(cpu) == "device(type='cpu')"
    assert cpu == "cpu" and cpu == sg.device(cpu) and hash(cpu) == hash(sg.device("cpu"))
    gpu = sg.device("cuda:1")
    assert (gpu.type, gpu.index, str(gpu)) == ("cuda", 1, "cuda:1") and gpu == sg.device("cuda", 1)
    assert repr(gpu) == "device(type='cuda', index=1)"
    assert sg.ones(2).to(cpu).tolist() == [1.0, 1.0] and sg.zeros(2, device="cpu").shape == (2,)
    with pytest.raises(ValueError, match="CPU"):
        sg.ones(2, device=gpu)
    with pytest.raises(ValueError, match="unknown device type"):
        sg.device("gpu")
    with pytest.raises(AttributeError):
        cpu.type = "cuda"  # type: ignore[misc]
    assert not sg.cuda.is_available() and sg.cuda.device_count() == 0
    assert not sg.accelerator.is_available() and sg.accelerator.current_accelerator() is None
    assert not sg.backends.mps.is_available()
    assert sg.Generator(device=cpu).manual_seed(1) is not None


def test_devices_as_torch() -> None:
    torch = pytest.importorskip("torch")
    for name in ("cpu", "cuda:1", "mps"):
        assert repr(sg.device(name)) == repr(torch.device(name))
        assert str(sg.device(name)) == str(torch.device(name))
