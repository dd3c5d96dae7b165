"""Devices, answered honestly: this engine computes on the CPU with numpy, and nowhere else.

``device("cpu")`` is PyTorch's ``torch.device``; a device of another type can be named (PyTorch
allows that without the hardware too) but nothing can move there: ``.to("cuda")`` and
``device="cuda"`` in a factory raise ValueError. Every Tensor's ``.device`` is the CPU.

>>> from autograd import Tensor
>>> from autograd.devices import device
>>> Tensor([1.0]).device, device("cuda:1"), Tensor([1.0]).device == "cpu"
(device(type='cpu'), device(type='cuda', index=1), True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["CPU", "check_cpu", "device", "to_arguments"]

KNOWN = ("cpu", "cuda", "mps", "xpu", "meta", "hpu", "xla", "mtia", "privateuseone")


class device:  # noqa: N801 - named like torch.device
    """A device's ``type`` ("cpu", "cuda", ...) and ``index`` (None or an int), as ``torch.device``:
    ``device("cuda:1")``, ``device("cuda", 1)`` or another device. Only "cpu" holds tensors here."""

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 - PyTorch's name
        if isinstance(type, device):
            if index is not None:
                raise ValueError("device: give an index with a type name, not with a device")
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu', got {type!r}")
        name, _, number = type.partition(":")
        if number:
            if index is not None:
                raise ValueError(f"device: {type!r} has an index already; do not pass index={index}")
            if not number.isdigit():
                raise ValueError(f"device: invalid device string {type!r}")
            index = int(number)
        if name not in KNOWN:
            raise ValueError(f"device: unknown device type {name!r}; expected one of {', '.join(KNOWN)}")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            raise ValueError(f"device: the index must be an int >= 0, got {index!r}")
        object.__setattr__(self, "type", name)
        object.__setattr__(self, "index", index)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"device: {name!r} cannot be changed")

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        extra = "" if self.index is None else f", index={self.index}"
        return f"device(type={self.type!r}{extra})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def check_cpu(who: str, where: Any) -> None:
    """Nothing for None or the CPU; a ValueError naming ``who`` for another device (a TypeError
    for what is not a device). PyTorch's own device objects are read by their ``type``."""
    if where is None:
        return
    if not isinstance(where, device):
        kind = where if isinstance(where, str) else getattr(where, "type", None)
        if not isinstance(kind, str):
            raise TypeError(
                f"{who}: device must be a str such as 'cpu' or a device, got {type(where).__name__}"
            )
        where = device(kind, getattr(where, "index", None) if kind is not where else None)
    if where.type != "cpu":
        raise ValueError(f"{who}: only the CPU is here (numpy), got device {str(where)!r}")


def _is_device(x: Any) -> bool:
    if isinstance(x, str):
        return x.split(":")[0] in KNOWN
    return isinstance(getattr(x, "type", None), str) and not isinstance(x, (np.dtype, type))


def to_arguments(who: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, np.dtype | None]:
    """(device, dtype) from the arguments of PyTorch's ``.to``: a device, a dtype, both, or a
    Tensor (its dtype); ``non_blocking`` and ``memory_format`` are accepted and change nothing.
    The device is checked (only the CPU is here); the dtype is a numpy dtype or None.

    >>> to_arguments("to", ("cpu", "float32"), {})
    (device(type='cpu'), dtype('float32'))
    """
    unknown = sorted(set(kwargs) - {"device", "dtype", "non_blocking", "copy", "memory_format"})
    if unknown:
        raise TypeError(f"{who}: unexpected keyword arguments {unknown}")
    where, dtype = kwargs.get("device"), kwargs.get("dtype")
    if len(args) > 3:
        raise TypeError(f"{who}: expected a device, a dtype or a Tensor, got {len(args)} arguments")
    for x in args:
        if isinstance(getattr(x, "_data", None), np.ndarray):  # a Tensor: its dtype
            dtype = x._data.dtype
        elif isinstance(x, (bool, np.bool_)):  # to(device, dtype, non_blocking)
            continue
        elif _is_device(x):
            where = x
        else:
            dtype = x
    check_cpu(who, where)
    if where is not None:
        where = CPU
    if dtype is None:
        return where, None
    try:
        return where, np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{who}: expected a device, a dtype or a Tensor, got {dtype!r}") from None


CPU = device("cpu")  # where every Tensor lives (Tensor.device)
