"""`Module`: the base of every layer and model (`Sequential` and `ModuleList` are in `nn.containers`).

A module finds its parameters and sub-modules by looking at its own attributes, in the order they
were assigned: a `Value`, a Tensor that requires grad, or a module, alone or in a list or tuple.
So subclasses need no registration calls (and no ``super().__init__()``), and micrograd-style
attributes such as ``self.w = [Value(...), ...]`` just work, named ``w.0``, ``w.1``, ... Keep
Values or modules that are not to be trained (caches, constants) in attributes whose names start
with ``_``: those are skipped. State that is not trained but saved (BatchNorm's running statistics)
is a buffer: ``self.register_buffer("running_mean", tensor)``.

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

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd.tensors import Tensor
from autograd.value import Value

__all__ = ["IncompatibleKeys", "Module", "is_parameter"]


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

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module, then on this one (PyTorch's order); returns self.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
        >>> _ = net.apply(lambda m: nn.init.zeros_(m.weight) if isinstance(m, nn.Linear) else None)
        >>> net[0].weight.data.tolist()
        [[0.0, 0.0], [0.0, 0.0]]
        """
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}.apply: fn must be callable, got {type(fn).__name__}")
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

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

    # --- buffers: state that is saved but not trained -----------------------------------------

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Keep ``tensor`` as ``self.<name>``, a buffer: saved in `state_dict` (unless
        ``persistent=False``) and loaded by `load_state_dict`, but not trained. None is allowed
        (a buffer not in use, skipped). Assigning a new Tensor to the attribute later replaces it.

        >>> import nn
        >>> from autograd import Tensor
        >>> m = nn.Module()
        >>> m.register_buffer("count", Tensor(np.array(0)))
        >>> m.state_dict()
        {'count': array(0)}
        """
        who = f"{type(self).__name__}.register_buffer"
        if not isinstance(name, str):
            raise TypeError(f"{who}: name must be a str, got {type(name).__name__}")
        if not name or "." in name:
            raise ValueError(f"{who}: name must be non-empty and hold no '.', got {name!r}")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"{who}: buffer {name!r} must be a Tensor or None, got {type(tensor).__name__}")
        if tensor is not None and tensor.requires_grad:
            raise ValueError(
                f"{who}: buffer {name!r} requires grad; a buffer is not trained "
                "(make it a parameter, or pass tensor.detach())"
            )
        if not isinstance(persistent, (bool, np.bool_)):
            raise TypeError(f"{who}: persistent must be a bool, got {type(persistent).__name__}")
        registry = _buffer_registry(self)
        if name not in registry and hasattr(self, name):
            raise ValueError(f"{who}: attribute {name!r} already exists and is not a buffer")
        registry[name] = bool(persistent)
        setattr(self, name, tensor)

    def _own_buffers(self, persistent_only: bool = False) -> Iterator[tuple[str, Tensor]]:
        for name, persistent in vars(self).get("_buffers", {}).items():
            if persistent_only and not persistent:
                continue
            tensor = getattr(self, name, None)
            if tensor is None:
                continue
            if not isinstance(tensor, Tensor):
                raise TypeError(
                    f"{type(self).__name__}: buffer {name!r} must be a Tensor or None, "
                    f"got {type(tensor).__name__}"
                )
            yield name, tensor

    def named_buffers(self) -> Iterator[tuple[str, Tensor]]:
        """Every buffer once (None ones skipped; non-persistent ones too), each module's in
        registration order, modules in `named_modules`' order."""
        seen: set[int] = set()
        for prefix, module in self.named_modules():
            for name, tensor in module._own_buffers():
                if id(tensor) not in seen:
                    seen.add(id(tensor))
                    yield (f"{prefix}.{name}" if prefix else name), tensor

    def buffers(self) -> list[Tensor]:
        """The buffers as a list."""
        return [b for _, b in self.named_buffers()]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients: Values to 0.0, Tensors to None (or zeros), as PyTorch does."""
        for p in self.parameters():
            _zero_grad(p, set_to_none)

    def train(self, mode: bool = True) -> Module:
        """Set training mode on this module and all below it; returns self. BatchNorm normalises
        with the batch's statistics and Dropout drops in training mode; in eval mode BatchNorm
        uses its running statistics and Dropout passes its input on."""
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"{type(self).__name__}.train: mode must be a bool, got {type(mode).__name__}")
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    # --- state ------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, np.ndarray]:
        """{name: a copy of its data as an array}: the parameters and the persistent buffers, in
        PyTorch's order (each module's own parameters, then its own buffers, then its children's);
        a Value gives a 0-d float64 array. As in PyTorch, a tied parameter (``b.weight = a.weight``)
        or a module used twice is saved under each of its names, though `parameters` gives it once.

        >>> import nn
        >>> a, b = nn.Linear(2, 2), nn.Linear(2, 2)
        >>> b.weight = a.weight
        >>> list(nn.Sequential(a, b).state_dict())
        ['0.weight', '0.bias', '1.weight', '1.bias']
        """
        return {name: _data_array(x).copy() for name, x in self._state_items()}

    def _state_items(self) -> Iterator[tuple[str, Any]]:
        """(name, parameter or buffer) in `state_dict`'s order: every name under which one is
        reached, as PyTorch's state dict (a shared one comes several times, under each name)."""
        stack: list[tuple[str, Module, frozenset[int]]] = [("", self, frozenset())]
        while stack:  # depth first, children in order, shared modules under each of their names
            prefix, module, above = stack.pop()
            own = [(n, x) for n, x in _members(module) if is_parameter(x)]
            own += list(module._own_buffers(persistent_only=True))
            for name, item in own:
                yield (f"{prefix}.{name}" if prefix else name), item
            path = above | {id(module)}  # a module inside itself would never end: skip that edge
            kids = [
                (f"{prefix}.{n}" if prefix else n, m, path)
                for n, m in module.named_children()
                if id(m) not in path
            ]
            stack.extend(reversed(kids))

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays into the parameters and persistent buffers, after checking all of them first.

        Every key, shape and value is checked before anything is written, so a bad dict raises
        ValueError naming the missing keys, the unexpected keys, the wrong shapes and the values
        that are not real numbers (complex, strings) or that the cast to the entry's dtype would
        change (1e300 into float32 becomes inf, 2.5 into an int64 buffer such as
        ``num_batches_tracked`` is not an integer), and leaves the module exactly as it was.
        ``strict=False`` skips missing and unexpected keys, but never a wrong shape or value.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"load_state_dict: expected a dict of arrays, got {type(state_dict).__name__}")
        # Every name of a tied parameter is a key of its own, as in PyTorch: each is loaded, in
        # state_dict's order (so the last one wins where they differ, as PyTorch's copies do).
        params = dict(self._state_items())
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
    if dtype.kind in "iu":  # an integer buffer (num_batches_tracked): whole numbers in range
        return _cast_integers(key, raw, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        new = raw.astype(dtype)  # always a copy: the model does not share the caller's array
    overflowed = ~np.isfinite(new) & np.isfinite(raw)
    if overflowed.any():
        before, after = raw[overflowed].flat[0], new[overflowed].flat[0]
        return new, f"{key!r} {before:g} becomes {after} as {dtype} (out of its range)"
    return new, ""


def _cast_integers(key: str, raw: np.ndarray, dtype: np.dtype) -> tuple[np.ndarray, str]:
    """``raw`` as integers of ``dtype`` when every number is a whole number in its range."""
    info = np.iinfo(dtype)
    if raw.dtype.kind == "f":
        bad = ~np.isfinite(raw) | (raw != np.round(raw))
        if bad.any():
            return raw, f"{key!r} holds {raw[bad].flat[0].item()!r}, not a whole number for its {dtype}"
    if raw.size and (raw.min() < info.min or raw.max() > info.max):
        return raw, f"{key!r} holds numbers beyond the range of its {dtype}"
    return raw.astype(dtype), ""


def _buffer_registry(module: Module) -> dict[str, bool]:
    """{buffer name: persistent} of ``module``, made on first use (modules need no __init__ call)."""
    registry: dict[str, bool] = vars(module).setdefault("_buffers", {})
    return registry


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
            and named[j][0] == (f"{head}.{int(index) + j - i}" if head else str(int(index) + j - i))
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
