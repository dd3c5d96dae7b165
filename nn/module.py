"""`Module`: the base of every layer and model, and `Sequential`.

A module finds its parameters and sub-modules by looking at its own attributes, in the order they
were assigned: a `Value`, a Tensor that requires grad, or a module, alone or in a list or tuple.
So subclasses need no registration calls (and no ``super().__init__()``), and micrograd-style
attributes such as ``self.w = [Value(...), ...]`` just work, named ``w.0``, ``w.1``, ... Keep
Values or modules that are not to be trained (caches, constants) in attributes whose names start
with ``_``: those are skipped.

>>> import nn
>>> from autograd import Value
>>> class Affine(nn.Module):
...     def __init__(self):
...         self.a, self.b = Value(2.0), Value(1.0)
...     def forward(self, x):
...         return self.a * x + self.b
>>> m = Affine()
>>> m(3.0).data, [name for name, _ in m.named_parameters()]
(7.0, ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd.tensor import Tensor
from autograd.value import Value

__all__ = ["IncompatibleKeys", "Module", "Sequential", "is_parameter"]


def is_parameter(x: Any) -> bool:
    """True for what a module trains: a `Value`, or a `Tensor` that requires grad."""
    return isinstance(x, Value) or (isinstance(x, Tensor) and x.requires_grad)


def _members(owner: Module) -> Iterator[tuple[str, Any]]:
    """(name, item) for each public attribute, with list and tuple items as ``name.i``."""
    for name, value in vars(owner).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                yield f"{name}.{i}", item
        else:
            yield name, value


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class: override ``forward``; call the module itself to run it."""

    training: bool = True  # a class default, so subclasses need not call super().__init__()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}: forward() is not defined")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # --- the tree ---------------------------------------------------------------------------

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules with their attribute names (``layers.0`` for list items)."""
        for name, item in _members(self):
            if isinstance(item, Module):
                yield name, item

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every module below it, each once, with dotted names ("" for self)."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:  # depth first, children in order: the order PyTorch uses
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            kids = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_parameters(self) -> Iterator[tuple[str, Any]]:
        """Every parameter once (the first name wins when one is shared), in registration order.

        Deduplicated by identity: Values compare by their data, so ``==`` would merge equal ones.
        """
        seen: set[int] = set()
        for prefix, module in self.named_modules():
            for name, item in _members(module):
                if is_parameter(item) and id(item) not in seen:
                    seen.add(id(item))
                    yield (f"{prefix}.{name}" if prefix else name), item

    def parameters(self) -> list[Any]:
        """The parameters as a list (micrograd returns a list too)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients: Values to 0.0, Tensors to None (or zeros), as PyTorch does."""
        for p in self.parameters():
            _zero_grad(p, set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and all below it; returns self."""
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    # --- state ------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """{parameter name: a copy of its data as an array}; a Value gives a 0-d float64 array."""
        return {name: _data_array(p).copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays into the parameters, after checking all of them first.

        Every key, shape and value is checked before anything is written, so a bad dict raises
        ValueError naming the missing keys, the unexpected keys, the wrong shapes and the values
        that are not real numbers (complex, strings) or that the cast to the parameter's dtype
        would make infinite (1e300 into float32), and leaves the module exactly as it was.
        ``strict=False`` skips missing and unexpected keys, but never a wrong shape or value.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"load_state_dict: expected a dict of arrays, got {type(state_dict).__name__}")
        params = dict(self.named_parameters())
        missing = [k for k in params if k not in state_dict]
        unexpected = [k for k in state_dict if k not in params]
        problems: list[str] = []
        if strict and missing:
            problems.append(f"missing keys {missing}")
        if strict and unexpected:
            problems.append(f"unexpected keys {unexpected}")
        updates: list[tuple[Any, np.ndarray]] = []
        for key, p in params.items():
            if key not in state_dict:
                continue
            target = _data_array(p)
            new, problem = _cast(key, state_dict[key], target.dtype)
            if problem:
                problems.append(problem)
            elif new.shape != target.shape:
                problems.append(
                    f"{key!r} has shape {new.shape} in the state dict but {target.shape} in the model"
                )
            else:
                updates.append((p, new))
        if problems:
            details = "; ".join(problems)
            raise ValueError(f"load_state_dict: {type(self).__name__}: {details}; nothing loaded")
        for p, new in updates:
            if isinstance(p, Value):
                p.data = float(new)
            else:
                p.data = new
        return IncompatibleKeys(missing, unexpected)

    # --- printing ---------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's line (its settings)."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        children = _collapse(list(self.named_children()))
        if not children:
            return f"{type(self).__name__}({extra})"
        lines = extra.split("\n") if extra else []
        lines += [f"({name}): {_indent(repr(child))}" for name, child in children]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def _zero_grad(p: Any, set_to_none: bool) -> None:
    if isinstance(p, Value):
        p.grad = 0.0
    elif set_to_none or p.grad is None:
        p.grad = None
    else:
        p.grad = np.zeros_like(p.data)


def _data_array(p: Any) -> np.ndarray:
    return np.asarray(p.data, dtype=np.float64) if isinstance(p, Value) else p.data


def _cast(key: str, value: Any, dtype: np.dtype) -> tuple[np.ndarray, str]:
    """(a copy of ``value`` as ``dtype``, "") or (an empty array, the problem, naming ``key``)."""
    try:
        raw = np.asarray(_as_array(value))
    except (TypeError, ValueError) as err:
        return np.empty(0), f"{key!r} cannot be read as {dtype} numbers ({err})"
    if raw.dtype.kind == "c":
        return raw, f"{key!r} holds {raw.dtype} numbers, not real ones (the imaginary part would be lost)"
    if raw.dtype.kind not in "biuf":
        return raw, f"{key!r} cannot be read as {dtype} numbers (it holds {raw.dtype} values)"
    with np.errstate(over="ignore", invalid="ignore"):
        new = raw.astype(dtype)  # always a copy: the model does not share the caller's array
    overflowed = ~np.isfinite(new) & np.isfinite(raw)
    if overflowed.any():
        before, after = raw[overflowed].flat[0], new[overflowed].flat[0]
        return new, f"{key!r} {before:g} becomes {after} as {dtype} (out of its range)"
    return new, ""


def _as_array(x: Any) -> Any:
    """State-dict entries may be arrays, numbers, or nodes (a Tensor's or Value's data is taken)."""
    return x.data if isinstance(x, (Tensor, Value)) else x


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _collapse(named: list[tuple[str, Module]]) -> list[tuple[str, Module | str]]:
    """Runs of identical list items print once, as PyTorch does: ``(neurons.0-15): 16 x Neuron(2)``."""
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(named):
        name, child = named[i]
        head, _, index = name.rpartition(".")
        text = repr(child)
        j = i + 1
        while (
            index.isdigit()
            and j < len(named)
            and named[j][0] == f"{head}.{int(index) + j - i}"
            and repr(named[j][1]) == text
        ):
            j += 1
        if j - i > 1:
            out.append((f"{name}-{int(index) + j - i - 1}", _Text(f"{j - i} x {text}")))
        else:
            out.append((name, child))
        i = j
    return out


class _Text:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


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
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: item {i} must be a Module, got {type(module).__name__}")
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
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"Sequential: index must be an int, got {type(index).__name__}")
        if not -self._length <= index < self._length:
            raise IndexError(f"Sequential: index {index} out of range for {self._length} modules")
        return getattr(self, str(index % self._length))
