"""``torch.save`` and ``torch.load`` for state dicts, over nn's safe ``.npz`` format.

``save(model.state_dict(), "model.pth")`` writes the tensors to that path (any suffix) as a
plain ``.npz`` that ``np.load`` reads too; ``load(path, weights_only=True)`` gives the dict back,
names to tensors in their order, ready for ``model.load_state_dict``. Only state dicts are saved:
nothing is pickled, and nothing is ever unpickled (so loading a file cannot run code). A file
written by PyTorch itself cannot be read here (its format is a pickle): ValueError says so.

>>> import os, tempfile, scratchgrad as torch
>>> path = os.path.join(tempfile.mkdtemp(), "model.pth")
>>> torch.save({"weight": torch.ones(2, 2)}, path)
>>> torch.load(path, weights_only=True)["weight"].dtype
dtype('float32')
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import nn
from autograd import Tensor
from autograd.devices import check_cpu, device

__all__ = ["load", "save"]


def _path(op: str, f: Any) -> str | os.PathLike[str]:
    if hasattr(f, "write") or hasattr(f, "read"):
        raise TypeError(
            f"scratchgrad.{op}: give a path (a str or os.PathLike); file objects are not supported"
        )
    return f


def save(obj: Any, f: Any) -> None:
    """Write the state dict ``obj`` (names to tensors, arrays or numbers, as
    ``model.state_dict()`` gives) to the path ``f``, atomically (see `nn.save`)."""
    if not isinstance(obj, Mapping):
        raise TypeError(
            "scratchgrad.save: saves a state dict (a dict of names to tensors, as model.state_dict() "
            f"gives), got {type(obj).__name__}; scratchgrad does not pickle other objects"
        )
    try:
        nn.save(obj, _path("save", f))
    except (TypeError, ValueError) as err:  # what is wrong with obj: named as this function
        raise type(err)(f"scratchgrad.{err}") from None


def load(
    f: Any, map_location: Any = None, *, weights_only: bool = True, mmap: Any = None
) -> OrderedDict[str, Tensor]:
    """The state dict saved at the path ``f`` by `save`: names to tensors, in their order.
    ``map_location`` may only name the CPU; ``weights_only`` is always so here (nothing is
    unpickled)."""
    if map_location is not None and not callable(map_location) and not isinstance(map_location, Mapping):
        check_cpu("load", map_location if isinstance(map_location, (str, device)) else str(map_location))
    path = _path("load", f)
    try:
        arrays = nn.load(path)
    except ValueError as err:
        raise ValueError(f"scratchgrad.{err} (PyTorch's own pickled files cannot be read here)") from None
    return OrderedDict((key, Tensor(array)) for key, array in arrays.items())
