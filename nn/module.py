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

from autograd.devices import to_arguments
from autograd.tensors import Tensor
from autograd.value import Value
from nn.parameter import Parameter
from nn.state import _cast, _data_array

__all__ = ["IncompatibleKeys", "Module", "is_parameter"]


def is_parameter(x: Any) -> bool:
    """True for what a module trains: a `Value`, a `Tensor` that requires grad, or a `Parameter`
    (frozen ones too, as in PyTorch)."""
    return isinstance(x, (Value, Parameter)) or (isinstance(x, Tensor) and x._requires_grad)


def _own_parameters(module: Module) -> Iterator[tuple[str, Any]]:
    """(name, parameter) for ``module``'s own parameters: what `is_parameter` counts, and the
    Tensors `Module.requires_grad_` froze (they stay parameters, as frozen ones do in PyTorch)."""
    frozen = vars(module).get("_frozen", {})
    for name, item in _members(module):
        if is_parameter(item) or (name in frozen and frozen[name] is item):
            yield name, item


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

    def _get_name(self) -> str:
        """The name the printed text shows: the class's (PyTorch's hook)."""
        return type(self).__name__

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

    def add_module(self, name: str, module: Module | None) -> None:
        """``self.<name> = module``, checked (PyTorch's; also ``register_module``)."""
        who = f"{self._get_name()}.add_module"
        if not isinstance(name, str):
            raise TypeError(f"{who}: name must be a str, got {type(name).__name__}")
        if not name or "." in name or name.startswith("_"):
            raise ValueError(
                f"{who}: name must be non-empty, without '.' and not start with '_', got {name!r}"
            )
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{who}: {name!r} must be a Module or None, got {type(module).__name__}")
        setattr(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The module at the dotted path ``target`` ("" is this one), as PyTorch's.

        >>> import nn
        >>> nn.Sequential(nn.Sequential(nn.ReLU())).get_submodule("0.0")
        ReLU()
        """
        module: Module = self
        for part in target.split(".") if target else []:
            child = dict(module.named_children()).get(part)
            if child is None:
                raise AttributeError(f"{module._get_name()} has no submodule {part!r} (in {target!r})")
            module = child
        return module

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module, then on this one (PyTorch's order); returns self.

        >>> import nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
        >>> _ = net.apply(lambda m: nn.init.zeros_(m.weight) if isinstance(m, nn.Linear) else None)
        >>> net[0].weight.tolist()
        [[0.0, 0.0], [0.0, 0.0]]
        """
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}.apply: fn must be callable, got {type(fn).__name__}")
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Any]]:
        """Every parameter once (the first name wins when one is shared), in registration order;
        names start with ``prefix``; ``recurse=False``: this module's own only (PyTorch's).

        Deduplicated by identity: Values compare by their data, so ``==`` would merge equal ones.
        """
        if not isinstance(prefix, str):
            raise TypeError(f"named_parameters: prefix must be a str, got {type(prefix).__name__}")
        if not isinstance(recurse, (bool, np.bool_)):
            raise TypeError(f"named_parameters: recurse must be True or False, got {type(recurse).__name__}")
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for path, module in modules:
            for name, item in _own_parameters(module):
                if id(item) not in seen:
                    seen.add(id(item))
                    yield (f"{path}.{name}" if path else name), item

    def parameters(self, recurse: bool = True) -> list[Any]:
        """The parameters as a list (micrograd returns a list too; PyTorch an iterator)."""
        return [p for _, p in self.named_parameters(recurse=recurse)]

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
        """Reset gradients, as PyTorch does: a Tensor's to None (``set_to_none=False``: zeroed in
        place), a Value's to 0.0."""
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

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Whether autograd records operations on the Tensor parameters (``False`` freezes them,
        as PyTorch's); returns self. Frozen weights stay parameters (saved, loaded, cast). A Value
        always requires grad: to freeze Values, leave them out of the optimizer.

        >>> import nn
        >>> layer = nn.Linear(2, 1).requires_grad_(False)
        >>> [(name, p.requires_grad) for name, p in layer.named_parameters()]
        [('weight', False), ('bias', False)]
        """
        who = f"{type(self).__name__}.requires_grad_"
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"{who}: requires_grad must be True or False, got {type(requires_grad).__name__}")
        params = self.parameters()
        if not requires_grad and any(isinstance(p, Value) for p in params):
            raise ValueError(f"{who}: Value parameters always require grad; leave them out of the optimizer")
        if not requires_grad:  # a plain Tensor that stops requiring grad must stay a parameter
            for module in self.modules():
                frozen = vars(module).setdefault("_frozen", {})
                frozen.update((n, x) for n, x in _own_parameters(module) if isinstance(x, Tensor))
        for p in params:
            if isinstance(p, Tensor):
                p.requires_grad_(bool(requires_grad))
        return self

    # --- devices and dtypes -------------------------------------------------------------------

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """PyTorch's ``module.to(device)``, ``to(dtype)``, ``to(device, dtype)``, ``to(tensor)``;
        returns this module. The CPU is the only device (``"cpu"``, or a device whose ``type`` is
        "cpu"; another one is a ValueError). A float ``dtype`` casts every floating-point
        parameter and buffer, and their gradients; they stay the same Tensor objects, so an
        optimizer made before still holds them. Integer buffers (``num_batches_tracked``) and
        `Value` parameters (Python floats) stay as they are.

        >>> import numpy as np, nn
        >>> net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        >>> net.to("cpu") is net, net.to(np.float32)[0].weight.dtype, net[1].num_batches_tracked.dtype
        (True, dtype('float32'), dtype('int64'))
        """
        who = f"{self._get_name()}.to"
        _, dtype = to_arguments(who, args, kwargs)
        if dtype is not None:
            if dtype.kind != "f":
                raise TypeError(f"{who}: a module takes floating-point dtypes only, got {dtype}")
            self._cast_floats(dtype)
        return self

    def _cast_floats(self, dtype: np.dtype) -> None:
        seen: set[int] = set()
        for module in self.modules():
            tensors = [x for _, x in _own_parameters(module) if isinstance(x, Tensor)]
            tensors += [t for _, t in module._own_buffers()]
            for t in tensors:
                if id(t) in seen or t._data.dtype.kind != "f" or t._data.dtype == dtype:
                    continue
                seen.add(id(t))
                t._data = t._data.astype(dtype)
                if isinstance(t._grad, np.ndarray):
                    t._grad = t._grad.astype(dtype)

    def float(self) -> Module:
        """Floating-point parameters and buffers as float32: ``to(np.float32)``."""
        return self.to(np.dtype(np.float32))

    def double(self) -> Module:
        """Floating-point parameters and buffers as float64: ``to(np.float64)``."""
        return self.to(np.dtype(np.float64))

    def half(self) -> Module:
        """Floating-point parameters and buffers as float16: ``to(np.float16)``."""
        return self.to(np.dtype(np.float16))

    def cpu(self) -> Module:
        """This module (everything is on the CPU)."""
        return self

    def cuda(self, device: Any = None) -> Module:
        """A ValueError: there is no GPU here."""
        raise ValueError(f"{self._get_name()}.cuda: only the CPU is here (numpy); use .to('cpu')")

    # --- state ------------------------------------------------------------------------------

    def state_dict(self, *, prefix: str = "", keep_vars: bool = False) -> dict[str, Any]:
        """{name: a copy of its data as an array}: the parameters and the persistent buffers, in
        PyTorch's order (each module's own parameters, then its own buffers, then its children's);
        a Value gives a 0-d float64 array. As in PyTorch, a tied parameter (``b.weight = a.weight``)
        or a module used twice is saved under each of its names, though `parameters` gives it once.
        ``keep_vars=True``: the parameters and buffers themselves instead of copies.

        >>> import nn
        >>> a, b = nn.Linear(2, 2), nn.Linear(2, 2)
        >>> b.weight = a.weight
        >>> list(nn.Sequential(a, b).state_dict())
        ['0.weight', '0.bias', '1.weight', '1.bias']
        """
        if keep_vars:
            return {prefix + name: x for name, x in self._state_items()}
        return {prefix + name: _data_array(x).copy() for name, x in self._state_items()}

    def _state_items(self) -> Iterator[tuple[str, Any]]:
        """(name, parameter or buffer) in `state_dict`'s order: every name under which one is
        reached, as PyTorch's state dict (a shared one comes several times, under each name)."""
        stack: list[tuple[str, Module, frozenset[int]]] = [("", self, frozenset())]
        while stack:  # depth first, children in order, shared modules under each of their names
            prefix, module, above = stack.pop()
            own = list(_own_parameters(module))
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
        if not isinstance(strict, (bool, np.bool_)):
            raise TypeError(f"load_state_dict: strict must be True or False, got {type(strict).__name__}")
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
                p._data = new  # a checked copy of the entry, of the parameter's dtype
        return IncompatibleKeys(missing, unexpected)

    # --- printing ---------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's line (its settings)."""
        return ""

    def __repr__(self) -> str:
        """PyTorch's text: ``Name(extra)``, or the extra lines and a ``(name): child`` line per
        child, indented. Runs of equal items of a list attribute print once, as PyTorch's
        ModuleList prints its items: ``(neurons.0-15): 16 x Neuron(2, activation='relu')``."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        children = _collapse(list(self.named_children()))
        child_lines = [f"({name}): {_indent(repr(child))}" for name, child in children]
        text = self._get_name() + "("
        if len(extra_lines) == 1 and not child_lines:
            text += extra_lines[0]
        elif extra_lines or child_lines:
            text += "\n  " + "\n  ".join(extra_lines + child_lines) + "\n"
        return text + ")"


def _zero_grad(p: Any, set_to_none: bool) -> None:
    if isinstance(p, Value):
        p.grad = 0.0
        return
    g = p._grad
    if g is None or set_to_none:
        p._grad = None
    elif isinstance(g, np.ndarray) and g.flags.writeable:
        g.fill(0)  # in place, as PyTorch's grad.zero_()
    else:
        p._grad = np.zeros_like(p._data)


def _buffer_registry(module: Module) -> dict[str, bool]:
    """{buffer name: persistent} of ``module``, made on first use (modules need no __init__ call)."""
    registry: dict[str, bool] = vars(module).setdefault("_buffers", {})
    return registry


def _indent(text: str) -> str:
    """PyTorch's _addindent: the lines after the first indented by two spaces (blank ones stay empty)."""
    first, *rest = text.split("\n")
    return "\n".join([first, *(f"  {line}" if line.strip() else "" for line in rest)])


def _collapse(named: list[tuple[str, Module]]) -> list[tuple[str, Module | str]]:
    """Runs of equal items of a list attribute print once: ``(neurons.0-15): 16 x Neuron(2)``.
    (Children named "0", "1", ... are not a list's: Sequential prints each, as PyTorch's.)"""
    out: list[tuple[str, Any]] = []
    i = 0
    while i < len(named):
        name, child = named[i]
        head, _, index = name.rpartition(".")
        text = repr(child)
        j = i + 1
        while (
            head
            and index.isdigit()
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
