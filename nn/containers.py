"""Containers of modules, children named "0", "1", ... as in PyTorch: `Sequential` (applied in order)
and `ModuleList` (held, indexed and iterated; the owner's ``forward`` decides how they are used).

>>> import nn
>>> blocks = nn.ModuleList([nn.Linear(4, 4, rng=0) for _ in range(2)])
>>> blocks.append(nn.ReLU())
ModuleList(
  (0-1): 2 x Linear(in_features=4, out_features=4, bias=True)
  (2): ReLU()
)
>>> [name for name, _ in blocks.named_parameters()]
['0.weight', '0.bias', '1.weight', '1.bias']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nn.module import Module

__all__ = ["ModuleList", "Sequential"]


def _check_module(who: str, i: int, module: Any) -> Module:
    if not isinstance(module, Module):
        raise TypeError(f"{who}: item {i} must be a Module, got {type(module).__name__}")
    return module


def _check_index(who: str, index: Any, length: int, insert: bool = False) -> int:
    """``index`` as a position in range (negative ones count from the end), or IndexError."""
    if isinstance(index, bool) or not isinstance(index, int):
        raise TypeError(f"{who}: index must be an int, got {type(index).__name__}")
    size = length + 1 if insert else length
    if not -size <= index < size:
        raise IndexError(f"{who}: index {index} out of range for {length} modules")
    return index % size if size else 0


class Sequential(Module):
    """Modules applied in order; children named "0", "1", ... as in PyTorch.

    >>> import nn
    >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> [k for k in net.state_dict()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> net
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    """

    def __init__(self, *modules: Module) -> None:
        for i, module in enumerate(modules):
            _check_module("Sequential", i, module)
            setattr(self, str(i), module)  # attribute "0", "1", ...: the names state_dict shows
        self._length = len(modules)

    def forward(self, x: Any) -> Any:
        for module in self:
            x = module(x)
        return x

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Module]:
        return (getattr(self, str(i)) for i in range(self._length))

    def __getitem__(self, index: int) -> Module:
        return getattr(self, str(_check_index("Sequential", index, self._length)))


class ModuleList(Module):
    """A list of modules whose parameters and buffers are the owner's: ``append``, ``extend``,
    ``insert``, ``len``, indexing (a slice gives a ModuleList), assignment, ``del`` and iteration,
    as ``torch.nn.ModuleList``. Children are renumbered "0", "1", ... after each change.

    >>> import nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2, rng=0), nn.Tanh()])
    >>> len(layers), type(layers[-1]).__name__, len(layers[:1])
    (2, 'Tanh', 1)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        self._items: list[Module] = []
        if modules is not None:
            self.extend(modules)

    def _sync(self) -> None:
        """The numbered attributes, which the module tree reads, made to match the list."""
        attributes = vars(self)
        for key in [k for k in attributes if k.isdigit()]:
            del attributes[key]
        for i, module in enumerate(self._items):
            attributes[str(i)] = module

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns self."""
        self._items.append(_check_module("ModuleList.append", len(self._items), module))
        self._sync()
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add every module of ``modules`` at the end (all are checked first); returns self."""
        if isinstance(modules, (str, bytes)) or not isinstance(modules, Iterable):
            raise TypeError(
                f"ModuleList.extend: expected an iterable of Modules, got {type(modules).__name__}"
            )
        new = [_check_module("ModuleList.extend", i, m) for i, m in enumerate(modules)]
        self._items.extend(new)
        self._sync()
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index``."""
        position = _check_index("ModuleList.insert", index, len(self._items), insert=True)
        self._items.insert(position, _check_module("ModuleList.insert", position, module))
        self._sync()

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._items))

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ModuleList(self._items[index])
        return self._items[_check_index("ModuleList", index, len(self._items))]

    def __setitem__(self, index: int, module: Module) -> None:
        position = _check_index("ModuleList", index, len(self._items))
        self._items[position] = _check_module("ModuleList", position, module)
        self._sync()

    def __delitem__(self, index: int | slice) -> None:
        if isinstance(index, slice):
            del self._items[index]
        else:
            del self._items[_check_index("ModuleList", index, len(self._items))]
        self._sync()

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self._items, *ModuleList(other)])
