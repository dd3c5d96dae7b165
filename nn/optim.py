"""Optimizers with PyTorch's arguments, defaults and update formulas: `SGD`, `Adam`, `AdamW`,
`RMSprop`. Trajectories match ``torch.optim`` step for step (tests/test_torch_parity_nn.py).

Each optimizer writes its formula once, on numpy arrays, updating the parameter array in place.
A small adapter gives it the parameters as arrays: each Tensor as its own ``.data``/``.grad``
(skipped while ``grad`` is None), so a Tensor is updated where it lives, with no second array and no
copy; and all `Value` parameters together as one flat float64 array, written back afterwards, so
the scalar models update in one vectorised step instead of hundreds of tiny ones.

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
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd.tensor import Tensor
from autograd.value import Value
from nn.module import Module, _zero_grad

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop"]


class _ValueGroup:
    """All Value parameters seen as one float64 array (their grads are floats, never None).
    ``read`` gives fresh arrays; the update works on them and ``write`` copies the result back."""

    def __init__(self, params: list[Value], indices: list[int]) -> None:
        self.params, self.indices = params, indices

    def read(self, who: str) -> tuple[np.ndarray, np.ndarray | None]:
        data = [p.data for p in self.params]
        grad = [p.grad for p in self.params]
        # numpy would read None as NaN without a word: anything but floats is looked at closely
        if not _FLOAT.issuperset(map(type, data)) or not _FLOAT.issuperset(map(type, grad)):
            for i, p in zip(self.indices, self.params):
                for name in ("data", "grad"):
                    _check_number(who, i, name, getattr(p, name))
        return np.array(data, dtype=np.float64), np.array(grad, dtype=np.float64)

    def write(self, data: np.ndarray) -> None:
        for p, x in zip(self.params, data.tolist()):
            p.data = x


_FLOAT = {float, np.float64, np.float32}  # what np.array reads exactly; ints may overflow


def _check_number(who: str, i: int, name: str, item: Any) -> None:
    """A Value parameter's ``.data`` or ``.grad`` must be a real number that fits a float."""
    if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real):
        raise TypeError(
            f"{who}: parameter {i} (a Value) has .{name} of type {type(item).__name__}, "
            "not a number; nothing was updated"
        )
    try:
        float(item)
    except OverflowError:
        raise ValueError(
            f"{who}: parameter {i} (a Value) has .{name} too large for a float; nothing was updated"
        ) from None


class _TensorSlot:
    """One Tensor parameter: ``read`` gives its own data array, which the update changes in place
    (so views of it stay in step); nothing is left to write back."""

    def __init__(self, param: Any, index: int) -> None:
        self.param, self.index = param, index

    def read(self, who: str) -> tuple[np.ndarray, np.ndarray | None]:
        data, grad = self.param.data, self.param.grad
        i = self.index
        if not isinstance(data, np.ndarray) or data.dtype.kind != "f":
            kind = data.dtype if isinstance(data, np.ndarray) else type(data).__name__
            raise TypeError(f"{who}: parameter {i} holds {kind}, not a float array; nothing was updated")
        if grad is None:
            return data, None
        if not data.flags.writeable:  # found before any parameter moves, not halfway through
            raise ValueError(f"{who}: parameter {i}'s array is read-only; nothing was updated")
        if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "iuf":
            kind = f"dtype {grad.dtype}" if isinstance(grad, np.ndarray) else f"type {type(grad).__name__}"
            raise TypeError(f"{who}: parameter {i}'s grad has {kind}, not real numbers; nothing was updated")
        if grad.shape != data.shape:
            raise ValueError(
                f"{who}: parameter {i}'s grad has shape {grad.shape} but the parameter has shape "
                f"{data.shape}; nothing was updated"
            )
        if grad.dtype != data.dtype:
            with np.errstate(over="ignore"):
                cast = grad.astype(data.dtype)
            if (np.isinf(cast) & np.isfinite(grad)).any():
                raise ValueError(
                    f"{who}: parameter {i}'s {grad.dtype} grad overflows {data.dtype}; nothing was updated"
                )
            grad = cast
        return data, grad

    def write(self, data: np.ndarray) -> None:
        pass


def _collect(who: str, params: Iterable[Any]) -> list[Any]:
    if isinstance(params, Module):
        raise TypeError(f"{who}: pass model.parameters(), not the model itself")
    if isinstance(params, (Value, str, bytes)) or not isinstance(params, Iterable):
        kind = type(params).__name__
        raise TypeError(f"{who}: params must be an iterable of Values or Tensors, got {kind}")
    out: list[Any] = []
    seen: set[int] = set()
    for i, p in enumerate(params):
        is_tensor = isinstance(p, Tensor)
        if not isinstance(p, Value) and not is_tensor:
            raise TypeError(f"{who}: parameter {i} must be a Value or a Tensor, got {type(p).__name__}")
        if is_tensor and p.data.dtype.kind != "f":
            raise TypeError(f"{who}: parameter {i} has dtype {p.data.dtype}; only float Tensors train")
        if id(p) not in seen:  # by identity: equal Values are still different parameters
            seen.add(id(p))
            out.append(p)
    if not out:
        raise ValueError(f"{who}: got no parameters to optimize")
    return out


def _check(who: str, name: str, value: Any, upper: float | None = None) -> float:
    """A hyperparameter as a float: a real number (not a bool), finite, >= 0 and below ``upper``.

    PyTorch refuses negative values too (and NaN, except SGD, which lets NaN through); an
    infinite rate or decay can only turn the parameters into inf and NaN, so it is refused here.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__}")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        raise ValueError(f"{who}: {name} must be a finite number, got an int too large for a float") from None
    if not math.isfinite(number):
        raise ValueError(f"{who}: {name} must be a finite number, got {number}")
    if not number >= 0.0 or (upper is not None and not number < upper):
        bound = f"in [0, {upper:g})" if upper is not None else ">= 0"
        raise ValueError(f"{who}: {name} must be {bound}, got {value!r}")
    return number


class Optimizer:
    """Base: holds the parameters and per-parameter state; subclasses write ``_update``.

    A Tensor parameter whose ``.grad`` is None is skipped by ``step``, as in PyTorch; a Value
    parameter always has a gradient (0.0 if the loss did not reach it) and is always updated:
    see the module's docstring.
    """

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        who = type(self).__name__
        self.params = _collect(who, params)
        self.lr = _check(who, "lr", lr)
        values = [(i, p) for i, p in enumerate(self.params) if isinstance(p, Value)]
        self._slots: list[Any] = (
            [_ValueGroup([p for _, p in values], [i for i, _ in values])] if values else []
        )
        self._slots += [_TensorSlot(p, i) for i, p in enumerate(self.params) if not isinstance(p, Value)]
        self.state: list[dict[str, Any]] = [{} for _ in self._slots]

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: Values to 0.0, Tensors to None (zeros with set_to_none=False)."""
        for p in self.params:
            _zero_grad(p, set_to_none)

    def step(self) -> None:
        """Update every parameter that has a gradient, from its current ``.grad``: each Tensor
        whose ``.grad`` is not None, and every Value (a Value's 0.0 counts as a gradient)."""
        who = type(self).__name__
        self.lr = _check(who, "lr", self.lr)  # it may have been set since (a schedule)
        # Everything is read and checked first, then updated: a bad parameter found halfway
        # through would leave the model half stepped.
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
        for slot, state, data, grad in work:
            state["step"] = state.get("step", 0) + 1
            self._update(data, grad, state)
            slot.write(data)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        """Move parameter array ``p`` in place, given its gradient ``g``; ``state["step"]`` is 1
        on the first call. Must not modify ``g`` (it may be the model's ``.grad``)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        hidden = ("params", "state")
        settings = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k[0] != "_" and k not in hidden)
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 decay.

    g ← grad + weight_decay·p;  b ← momentum·b + (1 − dampening)·g  (b = g on the first step);
    g ← g + momentum·b if nesterov else b;  p ← p − lr·g.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check("SGD", "momentum", momentum)
        self.dampening = _check("SGD", "dampening", dampening)
        self.weight_decay = _check("SGD", "weight_decay", weight_decay)
        self.nesterov = bool(nesterov)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov needs momentum > 0 and dampening = 0")

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.copy()  # a copy: g may be the model's .grad
            else:
                buf *= self.momentum
                buf += (1 - self.dampening) * g if self.dampening else g
            g = g + self.momentum * buf if self.nesterov else buf
        p -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba), with L2 weight decay added to the gradient and optional AMSGrad.

    m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
    p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps)   (with v replaced by max(v) for amsgrad).
    """

    _decoupled = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr)
        who = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{who}: betas must be a pair of numbers, got {betas!r}")
        self.betas = (_check(who, "betas[0]", betas[0], 1.0), _check(who, "betas[1]", betas[1], 1.0))
        self.eps = _check(who, "eps", eps)
        self.weight_decay = _check(who, "weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        t = state["step"]
        if self._decoupled:  # AdamW: decay the weights themselves, not through the gradient
            p *= 1 - self.lr * self.weight_decay
        elif self.weight_decay:
            g = g + self.weight_decay * p
        m, v = _buffer(state, "exp_avg", p), _buffer(state, "exp_avg_sq", p)
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        if self.amsgrad:
            v = state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", 0.0), v)
        denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + self.eps
        p -= (self.lr / (1 - beta1**t)) * m / denom


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
        super().__init__(params, lr)
        self.alpha = _check("RMSprop", "alpha", alpha)
        self.eps = _check("RMSprop", "eps", eps)
        self.weight_decay = _check("RMSprop", "weight_decay", weight_decay)
        self.momentum = _check("RMSprop", "momentum", momentum)
        self.centered = bool(centered)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, Any]) -> None:
        a = self.alpha
        if self.weight_decay:
            g = g + self.weight_decay * p
        v = _buffer(state, "square_avg", p)
        v *= a
        v += (1 - a) * g * g
        if self.centered:
            g_avg = _buffer(state, "grad_avg", p)
            g_avg *= a
            g_avg += (1 - a) * g
            v = v - g_avg * g_avg  # a new array: the stored average stays as it is
        step = g / (np.sqrt(v) + self.eps)
        if self.momentum > 0:
            buf = _buffer(state, "momentum_buffer", p)
            buf *= self.momentum
            buf += step
            step = buf
        p -= self.lr * step


def _buffer(state: dict[str, Any], name: str, p: np.ndarray) -> np.ndarray:
    """The running average ``state[name]``, zeros like ``p`` at first; updated in place."""
    if name not in state:
        state[name] = np.zeros_like(p)
    buffer: np.ndarray = state[name]
    return buffer
