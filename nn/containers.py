"""Containers of modules, as PyTorch's: `Sequential` (applied in order) and `ModuleList` (held,
indexed and iterated; the owner's ``forward`` decides how they are used). Children are named
"0", "1", ... (or by the keys of the ``OrderedDict`` given to `Sequential`).

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

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from autograd.tensors import Tensor
from nn.module import Module, _indent

__all__ = ["ModuleList", "Sequential"]


def _check_module(who: str, i: Any, module: Any) -> Module:
    if not isinstance(module, Module):
        raise TypeError(f"{who}: item {i} must be a Module, got {type(module).__name__}")
    return module


def _check_index(who: str, index: Any, length: int, insert: bool = False) -> int:
    """``index`` as a position in range (negative ones count from the end), or IndexError. For
    an insertion, as ``list.insert`` and PyTorch's ``Sequential.insert``: -length .. length, a
    negative one counting from the end (-1 goes before the last module)."""
    try:
        if isinstance(index, bool):
            raise TypeError
        index = operator.index(index)  # an int, a numpy integer, a one-element integer tensor
    except TypeError:
        raise TypeError(f"{who}: index must be an int, got {type(index).__name__}") from None
    if not -length <= index < length + insert:
        raise IndexError(f"{who}: index {index} out of range for {length} modules")
    return index + length if index < 0 else index


class _Numbered(Module):
    """Children kept in a list, as attributes named by ``_keys`` (what the module tree reads)."""

    _keys: list[str]

    def _set(self, items: list[tuple[str, Module]]) -> None:
        attributes = vars(self)
        for key in getattr(self, "_keys", []):
            attributes.pop(key, None)
        for key, module in items:
            attributes[key] = module
        self._keys = [key for key, _ in items]

    def _items(self) -> list[tuple[str, Module]]:
        attributes = vars(self)
        return [(key, attributes[key]) for key in self._keys]

    def _renumber(self, modules: list[Module]) -> None:
        self._set([(str(i), m) for i, m in enumerate(modules)])

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[Module]:
        return iter([m for _, m in self._items()])

    def __delitem__(self, index: int | slice) -> None:
        modules = [m for _, m in self._items()]
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[_check_index(self._get_name(), index, len(modules))]
        self._renumber(modules)  # PyTorch renumbers after a deletion

    def _append(self, module: Module) -> None:
        who = f"{self._get_name()}.append"
        self._set([*self._items(), (str(len(self._keys)), _check_module(who, len(self._keys), module))])

    def extend(self, modules: Iterable[Module]) -> Any:
        """Add every module of ``modules`` at the end (all are checked first); returns self."""
        who = f"{self._get_name()}.extend"
        if isinstance(modules, (str, bytes, Tensor)) or not isinstance(modules, Iterable):
            raise TypeError(f"{who}: expected an iterable of Modules, got {type(modules).__name__}")
        new = [_check_module(who, i, m) for i, m in enumerate(modules)]
        for module in new:
            self._append(module)
        return self

    def _insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index``, counted from the end if negative, as
        ``list.insert`` (the children are numbered again)."""
        who = f"{self._get_name()}.insert"
        modules = [m for _, m in self._items()]
        position = _check_index(who, index, len(modules), insert=True)
        modules.insert(position, _check_module(who, position, module))
        self._renumber(modules)

    def pop(self, index: int | slice = -1) -> Any:
        """Remove the module at ``index`` (the last by default) and return it; a slice removes
        and returns several, as the container's own kind (the children are numbered again)."""
        if not isinstance(index, slice):
            _check_index(f"{self._get_name()}.pop", index, len(self))
        module = self[index]  # type: ignore[index]
        del self[index]
        return module


class Sequential(_Numbered):
    """Modules applied in order, as ``torch.nn.Sequential``: children named "0", "1", ..., or by
    the keys of one ``OrderedDict`` argument. Indexing gives a module (a slice, a Sequential).

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

    def __init__(self, *modules: Any) -> None:
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            items = list(modules[0].items())
            for key, module in items:
                _check_key(key)
                _check_module("Sequential", repr(key), module)
        else:
            items = [(str(i), _check_module("Sequential", i, m)) for i, m in enumerate(modules)]
        self._set(items)

    def forward(self, x: Any) -> Any:
        attributes = vars(self)
        for key in self._keys:
            x = attributes[key](x)
        return x

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(OrderedDict(self._items()[index]))  # the names stay, as PyTorch's
        return self._items()[_check_index("Sequential", index, len(self._keys))][1]

    def __setitem__(self, index: int, module: Module) -> None:
        position = _check_index("Sequential", index, len(self._keys))
        items = self._items()
        items[position] = (items[position][0], _check_module("Sequential", position, module))
        self._set(items)

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; returns self."""
        self._append(module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Put ``module`` before position ``index`` (-1: before the last one, as PyTorch's and
        ``list.insert``); returns self. The children are numbered again.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)).insert(-1, nn.ReLU())
        >>> [type(m).__name__ for m in net], type(net.pop(1)).__name__, len(net)
        (['Linear', 'ReLU', 'Linear'], 'ReLU', 2)
        """
        self._insert(index, module)
        return self

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            return NotImplemented
        return Sequential(*self, *other)


def _check_key(key: Any) -> None:
    if not isinstance(key, str):
        raise TypeError(f"Sequential: module names must be str, got {type(key).__name__}")
    if not key or "." in key or key.startswith("_") or hasattr(Sequential, key):
        raise ValueError(f"Sequential: {key!r} cannot name a module (empty, a '.', a leading '_' or taken)")


class ModuleList(_Numbered):
    """A list of modules whose parameters and buffers are the owner's: ``append``, ``extend``,
    ``insert``, ``len``, indexing (a slice gives a ModuleList), assignment, ``del`` and iteration,
    as ``torch.nn.ModuleList``. Children are renumbered "0", "1", ... after each change.

    >>> import nn
    >>> layers = nn.ModuleList([nn.Linear(2, 2, rng=0), nn.Tanh()])
    >>> len(layers), type(layers[-1]).__name__, len(layers[:1])
    (2, 'Tanh', 1)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        self._keys = []
        if modules is not None:
            self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns self."""
        self._append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index`` (-1: before the last one, as ``list.insert``;
        PyTorch's ModuleList fails on a negative index). The children are numbered again."""
        self._insert(index, module)

    def __getitem__(self, index: int | slice) -> Any:
        modules = [m for _, m in self._items()]
        if isinstance(index, slice):
            return ModuleList(modules[index])
        return modules[_check_index("ModuleList", index, len(modules))]

    def __setitem__(self, index: int, module: Module) -> None:
        modules = [m for _, m in self._items()]
        position = _check_index("ModuleList", index, len(modules))
        modules[position] = _check_module("ModuleList", position, module)
        self._renumber(modules)

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *ModuleList(other)])

    def __repr__(self) -> str:
        """PyTorch's: runs of equal items print once, ``(0-1): 2 x Linear(...)``."""
        texts = [repr(m) for m in self]
        if not texts:
            return self._get_name() + "()"
        lines, start = [], 0
        for i in range(1, len(texts) + 1):
            if i == len(texts) or texts[i] != texts[start]:
                where = f"{start}" if i - 1 == start else f"{start}-{i - 1}"
                count = "" if i - 1 == start else f"{i - start} x "
                lines.append(_indent(f"({where}): {count}{texts[start]}"))
                start = i
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"
