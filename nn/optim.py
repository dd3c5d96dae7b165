"""Optimizers with PyTorch's arguments, defaults and update formulas: `SGD`, `Adam`, `AdamW`,
`RMSprop`. Trajectories match ``torch.optim`` step for step (tests/nn/test_optim_torch.py), and
so do their param groups and state dicts (tests/nn/test_optim_state.py).

Param groups. ``opt.param_groups`` is a list of dicts, each with ``"params"`` and the group's
settings (``lr``, ``momentum``, ...), as PyTorch's: pass a list of such dicts instead of the
parameters to give groups their own settings (the arguments are the defaults), and change
``opt.param_groups[i]["lr"]`` between steps for a schedule: each step reads and checks the
groups' settings. ``opt.lr`` (and each setting's name) reads the value all groups share and sets
it in every group. ``opt.state_dict()`` and ``opt.load_state_dict(sd)`` use PyTorch's format,
``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``, with numpy arrays
where PyTorch has tensors, so a state saved from ``torch.optim`` (converted to arrays) continues
here step for step, and the other way round.

Each optimizer writes its formula once, on numpy arrays, updating the parameter array in place.
A small adapter gives it the parameters as arrays: each Tensor as its own arrays (``_data`` and
``_grad``, which ``.data`` and ``.grad`` show; skipped while ``grad`` is None), so a Tensor is
updated where it lives, with no second array and no copy; and all `Value` parameters together as
one flat float64 array, written back afterwards, so the scalar models update in one vectorised step
instead of hundreds of tiny ones.

Parameters without a gradient. PyTorch skips a parameter whose ``.grad`` is None: no weight decay,
no momentum, no change to its state. A Tensor here is skipped the same way. A `Value`'s ``.grad``
is a float, 0.0 until a backward pass reaches it and never None, and nothing records whether the
last backward reached it, so every Value parameter is treated as having a gradient: one that took
no part in the loss gets gradient 0.0 and is still moved by weight decay, by momentum and by
Adam's and RMSprop's running averages. (A parameter that took part and got an exact 0.0, say
behind a dead ReLU, is updated the same way in PyTorch.) To freeze Values, leave them out of the
optimizer's ``params``.

>>> from autograd import Value
>>> import nn
>>> x = Value(3.0)
>>> opt = nn.optim.SGD([x], lr=0.1)
>>> (x * x).backward(); opt.step()        # x <- 3 - 0.1 * 6
>>> round(x.data, 12)
2.4
>>> opt.param_groups[0]["lr"] = 0.05      # a schedule: the next step uses it
>>> opt.state_dict()["param_groups"]
[{'lr': 0.05, 'momentum': 0.0, 'dampening': 0.0, 'weight_decay': 0.0, 'nesterov': False, 'params': [0]}]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from autograd.modes import enable_grad
from autograd.tensors import Tensor
from autograd.value import Value
from nn.module import Module, _zero_grad
from nn.optim_params import _check, _check_betas, _check_flag, _collect, _TensorSlot, _ValueGroup
from nn.optim_state import export_state, import_state

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]

Checker = Callable[[str, str, Any], Any]


class _Setting:
    """``opt.lr`` and each setting's name: reads the value every param group shares (ValueError
    if they differ), and sets it in every group (checked at the next step)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, opt: Any, owner: type | None = None) -> Any:
        if opt is None:
            return self
        values = [group.get(self.name) for group in opt.param_groups]
        if any(v != values[0] for v in values[1:]):
            raise ValueError(
                f"{type(opt).__name__}: {self.name} differs between param groups ({values}); "
                f"read opt.param_groups[i][{self.name!r}]"
            )
        return values[0]

    def __set__(self, opt: Any, value: Any) -> None:
        for group in opt.param_groups:
            group[self.name] = value


class Optimizer:
    """Base: holds the param groups and per-parameter state; subclasses list their ``_settings``
    (name and check, in PyTorch's order) and ``_state_keys``, and write ``_update``.

    A Tensor parameter whose ``.grad`` is None is skipped by ``step``, as in PyTorch; a Value
    parameter always has a gradient (0.0 if the loss did not reach it) and is always updated:
    see the module's docstring.
    """

    _settings: dict[str, Checker] = {"lr": _check}
    _state_keys: tuple[str, ...] = ()
    _decoupled = False  # AdamW: what PyTorch's state dicts call decoupled_weight_decay

    lr = _Setting()

    def __init__(self, params: Iterable[Any], defaults: Mapping[str, Any]) -> None:
        who = type(self).__name__
        self.defaults = self._check_settings(who, dict(defaults))
        self.param_groups: list[dict[str, Any]] = []
        self.params: list[Any] = []  # every group's parameters, in order: state_dict's indices
        self.state: list[dict[str, Any]] = []  # one per slot (a Tensor, or a group's Values)
        self._slots: list[Any] = []
        if isinstance(params, (Value, Tensor, Module, str, bytes)) or not isinstance(params, Iterable):
            _collect(who, params)  # raises the TypeError that names the problem
        items = list(params)
        self._explicit = bool(items) and isinstance(items[0], Mapping)
        if not self._explicit:  # one group of all the parameters, which must not be empty
            self._add_group({"params": items}, allow_empty=False)
            return
        for i, group in enumerate(items):
            if not isinstance(group, Mapping):
                raise TypeError(f"{who}: param group {i} must be a dict, got {type(group).__name__}")
            self.add_param_group(group)
        if not self.params:
            raise ValueError(f"{who}: got no parameters to optimize")

    def _where(self, i: int) -> str:
        """The start of an error message about group ``i``: the class, and the group if it matters."""
        who = type(self).__name__
        return f"{who}: param group {i}" if self._explicit or len(self.param_groups) > 1 or i else who

    def add_param_group(self, param_group: Mapping[str, Any]) -> None:
        """Add a group of parameters with its own settings (the optimizer's defaults for the
        ones it leaves out), as PyTorch's. A parameter may be in one group only.

        >>> from autograd import Tensor
        >>> a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
        >>> opt = SGD([a], lr=0.1)
        >>> opt.add_param_group({"params": b, "lr": 0.01})
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.01]
        """
        self._add_group(param_group, allow_empty=True)

    def _add_group(self, param_group: Mapping[str, Any], allow_empty: bool) -> None:
        who = self._where(len(self.param_groups))
        if not isinstance(param_group, Mapping):
            raise TypeError(f"{who}: a param group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{who}: a param group needs 'params'")
        unknown = [k for k in param_group if k != "params" and k not in self._settings]
        if unknown:
            names = list(self._settings)
            raise ValueError(f"{who}: unknown settings {unknown}; {type(self).__name__} has {names}")
        params = param_group["params"]
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{who}: a param group's params must be an ordered collection (a list), not a set: "
                "a set's order, which the state dict's numbering follows, changes between runs"
            )
        params = [params] if isinstance(params, (Value, Tensor)) else params
        collected = _collect(who, params, allow_empty)
        known = {id(p) for p in self.params}
        if any(id(p) in known for p in collected):
            raise ValueError(f"{who}: some parameters appear in more than one param group")
        settings = self._check_settings(who, {k: param_group.get(k, v) for k, v in self.defaults.items()})
        group = len(self.param_groups)
        first = len(self.params)
        values = [(first + i, p) for i, p in enumerate(collected) if isinstance(p, Value)]
        if values:
            self._slots.append(_ValueGroup([p for _, p in values], [i for i, _ in values], group))
        self._slots += [
            _TensorSlot(p, first + i, group) for i, p in enumerate(collected) if not isinstance(p, Value)
        ]
        self.state += [{} for _ in range(len(self._slots) - len(self.state))]
        self.param_groups.append({"params": collected, **settings})
        self.params += collected

    def _check_settings(self, who: str, settings: dict[str, Any]) -> dict[str, Any]:
        """The settings checked and normalised (floats, bools, a pair of betas), in PyTorch's order."""
        return {name: check(who, name, settings[name]) for name, check in self._settings.items()}

    def _check_group(self, i: int, group: Mapping[str, Any], who: str = "") -> dict[str, Any]:
        """Group ``i``'s settings checked (as a step or load_state_dict reads them)."""
        who = who or self._where(i)
        missing = [name for name in self._settings if name not in group]
        if missing:
            raise ValueError(f"{who}: the group has no {', '.join(repr(m) for m in missing)}")
        if group.get("maximize"):
            raise ValueError(f"{who}: maximize=True is not supported (negate the loss instead)")
        if "decoupled_weight_decay" in group and bool(group["decoupled_weight_decay"]) != self._decoupled:
            other = "AdamW" if not self._decoupled else "Adam"
            raise ValueError(
                f"{who}: the group has decoupled_weight_decay={group['decoupled_weight_decay']}: "
                f"it belongs to {other}"
            )
        return self._check_settings(who, {name: group[name] for name in self._settings})

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: Values to 0.0, Tensors to None (zeros with set_to_none=False)."""
        for p in self.params:
            _zero_grad(p, set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, from its current ``.grad``: each Tensor
        whose ``.grad`` is not None, and every Value (a Value's 0.0 counts as a gradient), with
        its group's current settings. Returns None, or, given ``closure`` (PyTorch's form: a
        function that zeroes the gradients, computes the loss, calls ``backward()`` and returns
        the loss), calls it first, with grad mode on, and returns what it returned.

        >>> from autograd import Value
        >>> x = Value(3.0)
        >>> opt = SGD([x], lr=0.1)
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = x * x
        ...     loss.backward()
        ...     return loss
        >>> opt.step(closure).data, round(x.data, 12)
        (9.0, 2.4)
        """
        who = type(self).__name__
        loss = None
        if closure is not None:
            if not callable(closure):
                raise TypeError(
                    f"{who}.step: closure must be a function that computes the loss (and calls "
                    f"backward), got {type(closure).__name__}"
                )
            with enable_grad():
                loss = closure()
        # Everything is read and checked first, then updated: a bad parameter found halfway
        # through would leave the model half stepped. The settings may have changed since the
        # last step (a schedule).
        settings = [self._check_group(i, group) for i, group in enumerate(self.param_groups)]
        work = []
        for slot, state in zip(self._slots, self.state):
            data, grad = slot.read(who)
            if grad is None:
                continue
            for name, buffer in state.items():
                if isinstance(buffer, np.ndarray) and buffer.shape != data.shape:
                    raise ValueError(
                        f"{who}: a parameter of shape {data.shape} has {name} of shape {buffer.shape} "
                        "(was its .data replaced?); nothing was updated"
                    )
            work.append((slot, state, data, grad))
        for group, checked in zip(self.param_groups, settings):
            group.update(checked)
        counts = "step" in self._state_keys
        for slot, state, data, grad in work:
            if counts:
                state["step"] = state.get("step", 0) + 1
            self._update(data, grad, state, settings[slot.group])
            slot.write(data)
        return loss

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Move parameter array ``p`` in place, given its gradient ``g`` and its group's settings;
        ``state["step"]`` is 1 on the first call. Must not modify ``g`` (it may be the model's
        ``.grad``)."""
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """The state in PyTorch's format (copies): ``{"state": {index: {name: array}},
        "param_groups": [{setting: value, ..., "params": [index, ...]}]}``, parameters numbered
        across the groups in order. ``"step"`` is a 0-d float32 array, as PyTorch's tensor."""
        return export_state(self)

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Continue from ``state_dict`` (ours, or PyTorch's with its tensors as arrays): the
        groups' settings and each parameter's state, matched by position as PyTorch matches
        them. Everything is checked first (the number of groups and of parameters in each, every
        setting, every state entry's name, shape and numbers); on any problem ValueError or
        TypeError names it and nothing changes."""
        import_state(self, state_dict)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 decay.

    g ← grad + weight_decay·p;  b ← momentum·b + (1 − dampening)·g  (b = g on the first step);
    g ← g + momentum·b if nesterov else b;  p ← p − lr·g.
    """

    _settings = {
        "lr": _check,
        "momentum": _check,
        "dampening": _check,
        "weight_decay": _check,
        "nesterov": _check_flag,
    }
    _state_keys = ("momentum_buffer",)
    momentum = _Setting()
    dampening = _Setting()
    weight_decay = _Setting()
    nesterov = _Setting()

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
        }
        super().__init__(params, defaults)

    def _check_settings(self, who: str, settings: dict[str, Any]) -> dict[str, Any]:
        checked = super()._check_settings(who, settings)
        if checked["nesterov"] and (checked["momentum"] <= 0 or checked["dampening"] != 0):
            raise ValueError(f"{who}: nesterov needs momentum > 0 and dampening = 0")
        return checked

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        momentum, dampening, weight_decay = group["momentum"], group["dampening"], group["weight_decay"]
        if weight_decay:
            g = g + weight_decay * p
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.copy()  # a copy: g may be the model's .grad
            else:
                buf *= momentum
                buf += (1 - dampening) * g if dampening else g
            g = g + momentum * buf if group["nesterov"] else buf
        p -= group["lr"] * g


class Adam(Optimizer):
    """Adam (Kingma & Ba), with L2 weight decay added to the gradient and optional AMSGrad.

    m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
    p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)   (with v replaced by max(v) for amsgrad).
    """

    _settings = {
        "lr": _check,
        "betas": _check_betas,
        "eps": _check,
        "weight_decay": _check,
        "amsgrad": _check_flag,
    }
    _state_keys = ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    betas = _Setting()
    eps = _Setting()
    weight_decay = _Setting()
    amsgrad = _Setting()

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad}
        super().__init__(params, defaults)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        (beta1, beta2), lr, weight_decay = group["betas"], group["lr"], group["weight_decay"]
        t = state["step"]
        if self._decoupled:  # AdamW: decay the weights themselves, not through the gradient
            p *= 1 - lr * weight_decay
        elif weight_decay:
            g = g + weight_decay * p
        m, v = _buffer(state, "exp_avg", p), _buffer(state, "exp_avg_sq", p)
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        if group["amsgrad"]:
            v = state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0.0), v)
        denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + group["eps"]
        p -= (lr / (1 - beta1**t)) * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): p ← p·(1 − lr·weight_decay) before
    the Adam step; weight_decay defaults to 1e-2, as in PyTorch."""

    _decoupled = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


class RMSprop(Optimizer):
    """RMSprop (Hinton), optionally centered (Graves) and with momentum.

    v ← α·v + (1 − α)·g²;  centered: ḡ ← α·ḡ + (1 − α)·g, v' = v − ḡ² (else v' = v);
    momentum: b ← μ·b + g/(√v' + eps), p ← p − lr·b;  else p ← p − lr·g/(√v' + eps).
    """

    _settings = {
        "lr": _check,
        "momentum": _check,
        "alpha": _check,
        "eps": _check,
        "centered": _check_flag,
        "weight_decay": _check,
    }
    _state_keys = ("step", "square_avg", "momentum_buffer", "grad_avg")
    momentum = _Setting()
    alpha = _Setting()
    eps = _Setting()
    centered = _Setting()
    weight_decay = _Setting()

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
        }
        super().__init__(params, defaults)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        a = group["alpha"]
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p
        v = _buffer(state, "square_avg", p)
        v *= a
        v += (1 - a) * g * g
        if group["centered"]:
            g_avg = _buffer(state, "grad_avg", p)
            g_avg *= a
            g_avg += (1 - a) * g
            v = v - g_avg * g_avg  # a new array: the stored average stays as it is
        step = g / (np.sqrt(v) + group["eps"])
        if group["momentum"] > 0:
            buf = _buffer(state, "momentum_buffer", p)
            buf *= group["momentum"]
            buf += step
            step = buf
        p -= group["lr"] * step


def _buffer(state: dict[str, Any], name: str, p: np.ndarray) -> np.ndarray:
    """The running average ``state[name]``, zeros like ``p`` at first; updated in place."""
    if name not in state:
        state[name] = np.zeros_like(p)
    buffer: np.ndarray = state[name]
    return buffer
