"""Random expressions built from the shared rules give the same values and gradients as Values and
as Tensors (first and second order), and agree with finite differences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value, grad, gradcheck

# Each op is written once and applied to either kind of node; inputs stay in ranges where every
# op is smooth and finite (tanh squashes before log and division).
UNARY: dict[str, Callable[[Any], Any]] = {
    "neg": lambda x: -x,
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "exp_tanh": lambda x: x.tanh().exp(),
    "log_1p_sq": lambda x: (1 + x * x).log(),
    "square": lambda x: x**2,
    "gelu": lambda x: x.gelu(),
    "gelu_tanh": lambda x: x.gelu(approximate="tanh"),
    "erf": lambda x: x.erf(),
    "scale": lambda x: 0.5 * x - 1,
}
BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (2 + b.tanh()),
    "pow": lambda a, b: (1 + a * a) ** b.tanh(),
}

Expr = tuple[Any, ...]


def expressions(depth: int) -> st.SearchStrategy[Expr]:
    leaf = st.tuples(st.just("var"), st.integers(0, 2))
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), sub),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), sub, sub),
    )


def evaluate(expr: Expr, xs: list[Any]) -> Any:
    kind = expr[0]
    if kind == "var":
        return xs[expr[1]]
    if kind == "unary":
        return UNARY[expr[1]](evaluate(expr[2], xs))
    return BINARY[expr[1]](evaluate(expr[2], xs), evaluate(expr[3], xs))


def uses(expr: Expr) -> bool:
    return expr[0] != "var"  # at least one op, so there is something to differentiate


@settings(max_examples=60, deadline=None)
@given(expr=expressions(4).filter(uses), point=st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_value_and_tensor_agree(expr: Expr, point: list[float]) -> None:
    values = [Value(p) for p in point]
    tensors = [Tensor(np.array(p), requires_grad=True) for p in point]
    v_out, t_out = evaluate(expr, values), evaluate(expr, tensors)
    assert t_out.data.item() == pytest.approx(v_out.data, rel=1e-12, abs=1e-12)

    v_grads = grad(v_out, values, create_graph=True)
    t_grads = grad(t_out, tensors, create_graph=True)
    for vg, tg in zip(v_grads, t_grads, strict=True):
        assert tg.data.item() == pytest.approx(vg.data, rel=1e-9, abs=1e-12)
    # Second order: the gradient of the sum of the first derivatives.
    v_sum = sum(v_grads, Value(0.0))
    t_sum = sum(t_grads, Tensor(np.array(0.0)))
    v_second = grad(v_sum, values)
    t_second = grad(t_sum, tensors)
    for vs, ts in zip(v_second, t_second, strict=True):
        assert ts.data.item() == pytest.approx(vs.data, rel=1e-8, abs=1e-10)


@settings(max_examples=30, deadline=None)
@given(expr=expressions(3).filter(uses), point=st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_expressions_pass_gradcheck(expr: Expr, point: list[float]) -> None:
    assert gradcheck(lambda *xs: evaluate(expr, list(xs)), [Value(p) for p in point], order=2)
