"""Function transforms, named as ``torch.func`` names them: `jvp`, `vjp`, `jacfwd`, `jacrev`,
`hessian`, `grad`, `grad_and_value`.

- `jvp` is forward mode (`autograd.forward`): tangents ride beside the values through ``f``, from
  the same primitive definitions, and no graph is kept. One pass gives the derivative along one
  direction: the Jacobian times a vector.
- `vjp` is reverse mode (`autograd.engine`): ``f`` records its graph once, then each cotangent is
  walked back through it. One pass gives the gradient of one output: a vector times the Jacobian.
- `jacfwd` builds the Jacobian from `jvp`, one input at a time (cheap for few inputs, many
  outputs); `jacrev` from `vjp`, one output at a time (cheap for many inputs, few outputs);
  `hessian` is ``jacfwd(jacrev(f))``, forward over reverse.

They take Values (plain floats too) and Tensors (arrays too), and give back the kinds they were
given: floats and arrays for floats and arrays, nodes for nodes. They nest: a jvp of a grad is a
Hessian-vector product, a grad of a jvp differentiates a directional derivative.

>>> from autograd import func
>>> f = lambda x: x**3
>>> func.grad(f)(2.0), func.jvp(f, (2.0,), (1.0,))[1], func.hessian(f)(2.0)   # 3x², 3x², 6x
(12.0, 12.0, 12.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import engine
from autograd.factories import stack
from autograd.forward import forward_mode
from autograd.modes import Modes, enable_grad, no_grad
from autograd.node import Node
from autograd.tensors import Tensor
from autograd.value import TangentValue, Value

__all__ = ["grad", "grad_and_value", "hessian", "jacfwd", "jacrev", "jvp", "vjp"]

Fn = Callable[..., Any]


# --- the two passes ---------------------------------------------------------------------------


def jvp(func: Fn, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``(func(*primals), J·tangents)``: the value and its derivative along ``tangents``, by one
    forward pass that carries each value's tangent beside it (``torch.func.jvp``).

    >>> import numpy as np
    >>> from autograd import func
    >>> out, t = func.jvp(lambda x: (x * x).sum(), (np.array([1.0, 2.0]),), (np.array([1.0, 0.0]),))
    >>> float(out), float(t)
    (5.0, 2.0)
    """
    primals, tangents = _args("jvp", primals, "primals"), _args("jvp", tangents, "tangents")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    # No graph unless one is wanted: by a Tensor that requires grad (as in PyTorch), or by a vjp
    # (or grad, jacrev) around this one. Not by a Value, which always requires grad: a million-op
    # chain would keep a million nodes (to differentiate a jvp of Values, wrap it in func.grad).
    asked = any(isinstance(p, Tensor) and p._requires_grad for p in (*primals, *tangents))
    graph = Modes.recording() and (asked or Modes.here().reverse > 0)
    with forward_mode(), enable_grad() if graph else no_grad():
        xs = [_dual(p, t, i) for i, (p, t) in enumerate(zip(primals, tangents))]
        out = func(*xs)
        t = getattr(out, "tangent", None)  # (read here: tangents changed in place end with the jvp)
    if not isinstance(out, (Node, float, int, np.ndarray, np.generic)):
        raise TypeError(f"jvp: func must return a Value or a Tensor, got {type(out).__name__}")
    if t is None:  # the output does not depend on the inputs
        t = np.zeros_like(_raw(out)) if not isinstance(_raw(out), float) else 0.0
    if not graph:  # a vjp inside func records one for its own use: it stays inside
        out, t = _detached(out), _detached(t)
    plain = not any(isinstance(p, Node) for p in (*primals, *tangents))
    return _give(out, plain), _give(_wrap(t, out), plain)


def vjp(func: Fn, *primals: Any) -> tuple[Any, Fn]:
    """``(func(*primals), vjp_fn)``: ``vjp_fn(v)`` gives v·J, one gradient per primal, by walking
    the graph ``func`` recorded back from v (``torch.func.vjp``).

    >>> from autograd import func
    >>> out, back = func.vjp(lambda x, y: x * y, 3.0, 4.0)
    >>> out, back(1.0)
    (12.0, (4.0, 3.0))
    """
    primals = _args("vjp", primals, "primals")
    xs = [_input(p, i) for i, p in enumerate(primals)]
    state = Modes.here()
    state.reverse += 1  # a jvp inside func keeps its graph, for this vjp to walk back
    try:
        with enable_grad():
            out = func(*xs)
    finally:
        state.reverse -= 1
    if not isinstance(out, Node):
        raise TypeError(
            f"vjp: func must return a Value or a Tensor made from its inputs, got {type(out).__name__}"
        )
    plain = not any(isinstance(p, Node) for p in primals)
    # Gradients that must be differentiated again (a jvp or a grad around this) are graphs.
    nested = Modes.tangents() or (
        Modes.recording() and any(isinstance(p, Node) and p._requires_grad for p in primals)
    )

    def vjp_fn(cotangent: Any) -> tuple[Any, ...]:
        if not out._requires_grad:
            return tuple(_give(_zeros_like(x), plain) for x in xs)
        grads = engine.grad(out, xs, grad_outputs=[cotangent], create_graph=nested)
        return tuple(_give(g, plain) for g in grads)

    return _give(out, plain), vjp_fn


# --- built on them ------------------------------------------------------------------------------


def grad(func: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """The function giving the gradient of ``func`` (a scalar) with respect to argument
    ``argnums`` (a tuple: one gradient each), by reverse mode (``torch.func.grad``).

    >>> from autograd import func
    >>> func.grad(lambda x, y: x * y**2, argnums=(0, 1))(3.0, 2.0)
    (4.0, 12.0)
    """
    with_value = grad_and_value(func, argnums)
    return lambda *args: with_value(*args)[0]


def grad_and_value(func: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """The function giving ``(gradient, value)`` of ``func`` at once (``torch.func.grad_and_value``)."""

    def both(*args: Any) -> tuple[Any, Any]:
        index = _argnums("grad", argnums, len(args))
        out, back = vjp(lambda *xs: func(*_put(args, index, xs)), *(args[i] for i in index))
        if np.size(_raw(out)) != 1:
            raise ValueError(f"grad: func must return one number, got shape {np.shape(_raw(out))}")
        grads = back(_one_like(out))
        return (grads if isinstance(argnums, tuple) else grads[0]), out

    return both


def jacrev(func: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """The function giving the Jacobian of ``func`` by reverse mode, one output element at a
    time (``torch.func.jacrev``): shape ``out.shape + input.shape``.

    >>> import numpy as np
    >>> from autograd import func
    >>> func.jacrev(lambda x: x * x)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """

    def jacobian(*args: Any) -> Any:
        index = _argnums("jacrev", argnums, len(args))
        out, back = vjp(lambda *xs: func(*_put(args, index, xs)), *(args[i] for i in index))
        shape = np.shape(_raw(out))
        rows = [back(_basis(out, k)) for k in range(int(np.prod(shape, dtype=int)))]
        found = [_stack([row[j] for row in rows], shape, args[i]) for j, i in enumerate(index)]
        return tuple(found) if isinstance(argnums, tuple) else found[0]

    return jacobian


def jacfwd(func: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """The function giving the Jacobian of ``func`` by forward mode, one input element at a time
    (``torch.func.jacfwd``): shape ``out.shape + input.shape``.

    >>> import numpy as np
    >>> from autograd import func
    >>> func.jacfwd(lambda x: x.sum() * x)(np.array([1.0, 2.0]))
    array([[4., 1.],
           [2., 5.]])
    """

    def jacobian(*args: Any) -> Any:
        index = _argnums("jacfwd", argnums, len(args))
        found = []
        out = None if all(np.size(_raw(args[i])) for i in index) else func(*args)  # (no column: its shape)
        for i in index:
            size = int(np.size(_raw(args[i])))
            columns = []
            for k in range(size):
                tangents = [_basis(args[j], k) if j == i else _zeros_like(args[j]) for j in index]
                out, t = jvp(lambda *xs: func(*_put(args, index, xs)), [args[j] for j in index], tangents)
                columns.append(t)
            found.append(_columns(columns, np.shape(_raw(out)), args[i], _raw(out)))
        return tuple(found) if isinstance(argnums, tuple) else found[0]

    return jacobian


def hessian(func: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """The function giving the Hessian of ``func`` (a scalar): ``jacfwd(jacrev(func))``, forward
    mode over reverse mode (``torch.func.hessian``).

    >>> from autograd import func
    >>> func.hessian(lambda x, y: x * x * y, argnums=0)(3.0, 2.0)     # d²(x²y)/dx² = 2y
    4.0
    """
    return jacfwd(jacrev(func, argnums), argnums)


# --- inputs and outputs -----------------------------------------------------------------------


def _args(who: str, args: Any, what: str) -> tuple[Any, ...]:
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    for i, x in enumerate(args):
        if not isinstance(x, (Node, float, int, np.ndarray, np.generic)) or isinstance(x, bool):
            raise TypeError(
                f"{who}: {what}[{i}] must be a number, an array, a Value or a Tensor, got {type(x).__name__}"
            )
        if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind not in "biuf":
            raise TypeError(f"{who}: {what}[{i}] must hold real numbers, got {x.dtype}")
    return args


def _argnums(who: str, argnums: Any, n: int) -> tuple[int, ...]:
    index = argnums if isinstance(argnums, tuple) else (argnums,)
    if not index or any(isinstance(i, bool) or not isinstance(i, (int, np.integer)) for i in index):
        raise TypeError(f"{who}: argnums must be an int or a non-empty tuple of ints, got {argnums!r}")
    if any(not -n <= i < n for i in index):
        raise ValueError(f"{who}: argnums {argnums!r} out of range for {n} argument(s)")
    found = tuple(int(i) % n for i in index)
    if len(set(found)) != len(found):
        raise ValueError(f"{who}: argnums {argnums!r} names an argument twice")
    return found


def _put(args: tuple[Any, ...], index: tuple[int, ...], xs: tuple[Any, ...]) -> list[Any]:
    merged = list(args)
    for i, x in zip(index, xs):
        merged[i] = x
    return merged


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Node) else (float(x) if isinstance(x, (int, float)) else np.asarray(x))


def _node(p: Any, i: int) -> Any:
    """``p`` as a node: a float as a Value, an array as a float Tensor."""
    if isinstance(p, Node):
        return p
    raw = _raw(p)
    if isinstance(raw, float):
        return Value(raw)
    if raw.dtype.kind != "f":
        raise TypeError(f"argument {i}: differentiable inputs hold floats, got {raw.dtype}")
    return Tensor(raw)


def _dual(p: Any, t: Any, i: int) -> Any:
    """An input node carrying the tangent ``t`` (connected to ``p`` when p is in a graph)."""
    x = _node(p, i)
    if isinstance(p, Node) and x._requires_grad and Modes.recording():
        x = x + 0.0  # a node of its own, still in p's graph (a grad around the jvp flows to p)
    raw, t_raw = x._data, t._data if isinstance(t, Node) else _raw(t)
    if np.shape(t_raw) != np.shape(raw):
        raise ValueError(f"jvp: tangent {i} has shape {np.shape(t_raw)}, primal {i} has {np.shape(raw)}")
    tangent = (
        t
        if isinstance(t, Node) and Modes.recording()
        else (float(t_raw) if isinstance(raw, float) else np.asarray(t_raw, raw.dtype))
    )
    d: Any
    if isinstance(x, Value):
        d = object.__new__(TangentValue)
        d.data, d.grad, d.label, d._op, d._a, d._b = x.data, x.grad, x.label, x._op, x._a, x._b
    else:
        d = object.__new__(Tensor)
        d._data, d._grad, d.label, d._requires_grad = x._data, x._grad, x.label, x._requires_grad
        d._op, d._prev, d._args, d._params = x._op, x._prev, x._args, x._params
    d.tangent = tangent
    return d


def _input(p: Any, i: int) -> Any:
    """An input node gradients flow to (a carried tangent kept, for a jvp around this)."""
    x = _node(p, i)
    if x._requires_grad:
        return x
    if getattr(x, "tangent", None) is not None:
        return _dual(Tensor(x._data, requires_grad=True), x.tangent, i)
    return Tensor(x._data, requires_grad=True)


def _give(x: Any, plain: bool) -> Any:
    """A result as the caller gave its inputs: numbers and arrays, or nodes."""
    if not plain:
        return x if isinstance(x, Node) else _wrap(x, None)
    raw = _raw(x)
    return (
        float(raw)
        if isinstance(raw, float) or (isinstance(raw, np.ndarray) and raw.ndim == 0 and isinstance(x, Value))
        else raw
    )


def _detached(x: Any) -> Any:
    return x.detach() if isinstance(x, Tensor) and x._requires_grad else x


def _nested() -> bool:
    """Whether a transform around this one differentiates what this one gives (a Jacobian built
    from nodes keeps their tangents and graph for it; otherwise from their numbers)."""
    return Modes.tangents() or Modes.here().reverse > 0


def _wrap(t: Any, like: Any) -> Any:
    if isinstance(t, Node):
        return t
    return Value(float(t)) if isinstance(t, float) else Tensor(np.asarray(t))


def _zeros_like(x: Any) -> Any:
    raw = _raw(x)
    return 0.0 if isinstance(raw, float) else np.zeros_like(raw)


def _one_like(out: Any) -> Any:
    raw = _raw(out)
    return 1.0 if isinstance(raw, float) else np.ones_like(raw)


def _basis(x: Any, k: int) -> Any:
    """The k-th unit direction in the space of ``x`` (a number, or an array of its shape)."""
    raw = _raw(x)
    if isinstance(raw, float):
        return 1.0
    e = np.zeros(raw.shape, dtype=raw.dtype if raw.dtype.kind == "f" else np.float64)
    e.flat[k] = 1.0
    return e


def _stack(rows: list[Any], out_shape: tuple[int, ...], x: Any) -> Any:
    """Rows d(out[k])/dx (one per output element) as one Jacobian of shape out.shape + x.shape."""
    if not out_shape and len(rows) == 1:
        return rows[0]
    if not rows:  # an empty output: an empty Jacobian
        jac = np.zeros(out_shape + np.shape(_raw(x)), dtype=np.result_type(_raw(x), 1.0))
        return jac if not isinstance(x, Node) else Tensor(jac)
    if _nested() and all(isinstance(r, Tensor) for r in rows):
        return stack(rows).reshape(out_shape + rows[0].shape)
    raws = [_raw(r) for r in rows]
    jac = np.stack(raws).reshape(out_shape + np.shape(raws[0]))
    return jac if not isinstance(x, Node) else Tensor(jac)


def _columns(columns: list[Any], out_shape: tuple[int, ...], x: Any, out: Any) -> Any:
    """Columns d(out)/dx[k] (one per input element) as one Jacobian of shape out.shape + x.shape."""
    raw_x = _raw(x)
    if isinstance(raw_x, float):
        return columns[0]
    if not columns:  # an empty input: an empty Jacobian
        jac = np.zeros(out_shape + raw_x.shape, dtype=np.result_type(out, 1.0))
        return jac if not isinstance(x, Node) else Tensor(jac)
    if _nested() and all(isinstance(c, Tensor) for c in columns):
        return stack(columns, len(out_shape)).reshape(out_shape + raw_x.shape)
    raws = [np.asarray(_raw(c)) for c in columns]
    jac = np.stack(raws, axis=-1).reshape(out_shape + raw_x.shape)
    return jac if not isinstance(x, Node) else Tensor(jac)
