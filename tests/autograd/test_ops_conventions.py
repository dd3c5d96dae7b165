"""Every row of the README's table "Conventions at the edges": our choice, beside PyTorch's where
we agree with it. A row without a test here (or a test without a row) fails."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value

README = Path(__file__).resolve().parents[2] / "README.md"


def value_grad(f: Callable[[Value], Value], x0: float) -> tuple[float, float]:
    x = Value(x0)
    y = f(x)
    y.backward()
    return y.data, x.grad


def torch_grad(f: Callable[..., object], x0: float) -> tuple[float, float]:
    torch = pytest.importorskip("torch")
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = f(x)
    y.backward()  # type: ignore[attr-defined]
    return y.item(), x.grad.item()  # type: ignore[attr-defined]


def same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


def relu_at_0() -> None:
    assert value_grad(lambda x: x.relu(), 0.0) == (0.0, 0.0) == torch_grad(lambda x: x.relu(), 0.0)


def max_and_min_with_ties() -> None:
    torch = pytest.importorskip("torch")
    for ours, theirs in ((lambda t: t.max(), "amax"), (lambda t: -(-t).max(), "amin")):
        x = Tensor([1.0, 3.0, 3.0, 1.0], requires_grad=True)
        ours(x).backward()
        xt = torch.tensor(np.asarray(x.data), requires_grad=True)
        getattr(xt, theirs)().backward()
        assert x.grad.tolist() == xt.grad.tolist()


def abs_at_0() -> None:
    assert value_grad(lambda x: x.abs(), 0.0) == (0.0, 0.0) == torch_grad(lambda x: x.abs(), 0.0)


def sqrt_at_0() -> None:
    assert value_grad(lambda x: x.sqrt(), 0.0) == (0.0, math.inf) == torch_grad(lambda x: x.sqrt(), 0.0)


def x_0_at_0() -> None:
    assert value_grad(lambda x: x**0, 0.0) == (1.0, 0.0) == torch_grad(lambda x: x**0, 0.0)


def zero_to_the_zero_with_both_differentiated() -> None:
    torch = pytest.importorskip("torch")
    a, b = Value(0.0), Value(0.0)
    (a**b).backward()
    at, bt = (torch.tensor(0.0, dtype=torch.float64, requires_grad=True) for _ in range(2))
    (at**bt).backward()
    assert (a.grad, b.grad) == (0.0, 0.0) == (at.grad.item(), bt.grad.item())


def d_db_a_b_at_a_0() -> None:
    torch = pytest.importorskip("torch")
    b = Value(2.0)
    (Value(0.0) ** b).backward()
    bt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    (torch.tensor(0.0, dtype=torch.float64) ** bt).backward()
    assert b.grad == 0.0 == bt.grad.item()


def log_at_0_log_of_a_negative() -> None:
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError, match=f"log: input must be positive, got {bad}"):
            Value(bad).log()
        with pytest.raises(ValueError, match="log: input must be positive"):
            Tensor([1.0, bad]).log()


def _row_ops() -> tuple[Tensor, object]:
    torch = pytest.importorskip("torch")
    row = [0.0, -math.inf, 1.0]
    return Tensor(row, requires_grad=True), torch.tensor(row, dtype=torch.float64, requires_grad=True)


def softmax_log_softmax_over_a_row_holding_inf() -> None:
    for op in ("softmax", "log_softmax"):
        x, xt = _row_ops()
        out, ref = getattr(x, op)(), getattr(xt, op)(0)  # type: ignore[attr-defined]
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-15)
        w = np.array([1.0, 2.0, 3.0])
        (out * w).sum().backward()
        (ref * __import__("torch").from_numpy(w)).sum().backward()
        np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-15)  # type: ignore[attr-defined]
        # softmax sends nothing back to a -inf entry; log_softmax's slope there is 1 - 0 = 1
        assert x.grad[1] == (0.0 if op == "softmax" else 2.0)


def a_row_of_nothing_but_inf() -> None:
    torch = pytest.importorskip("torch")
    row = [-math.inf, -math.inf]
    for op in ("softmax", "log_softmax"):
        ours = getattr(Tensor(row), op)().data
        assert np.isnan(ours).all() and torch.isnan(getattr(torch.tensor(row), op)(0)).all()


def cross_entropy_with_inf_logits() -> None:
    torch = pytest.importorskip("torch")
    x = Tensor([[0.0, -math.inf, 1.0]], requires_grad=True)
    loss = nn.functional.cross_entropy(x, np.array([0]))
    loss.backward()
    xt = torch.tensor(np.asarray(x.data), requires_grad=True)
    ref = torch.nn.functional.cross_entropy(xt, torch.tensor([0]))
    ref.backward()
    assert loss.item() == pytest.approx(ref.item(), rel=1e-15) and math.isfinite(loss.item())
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), rtol=1e-15)
    assert x.grad[0, 1] == 0.0


def division_by_zero() -> None:
    for make in (lambda: Value(1.0) / 0, lambda: Value(1.0) / Value(0.0), lambda: 1 / Value(0.0)):
        with pytest.raises(ZeroDivisionError, match="^div: division by zero"):
            make()
    with np.errstate(divide="ignore"):
        assert (Tensor([1.0, -1.0]) / 0).data.tolist() == [math.inf, -math.inf]
        assert (1 / Tensor([0.0])).data.tolist() == [math.inf]


def tanh_and_sigmoid_at_inf() -> None:
    for v in (math.inf, -math.inf):
        assert (
            value_grad(lambda x: x.tanh(), v)
            == torch_grad(lambda x: x.tanh(), v)
            == (math.copysign(1, v), 0.0)
        )
        assert (
            value_grad(lambda x: x.sigmoid(), v)
            == torch_grad(lambda x: x.sigmoid(), v)
            == (float(v > 0), 0.0)
        )


def nan_through_every_op() -> None:
    torch = pytest.importorskip("torch")
    theirs = {"sigmoid": torch.sigmoid, "erf": torch.erf, "relu": torch.relu}
    for name in ("exp", "log", "tanh", "sigmoid", "relu", "erf", "abs", "sqrt", "gelu"):
        f = (lambda x: x.gelu()) if name == "gelu" else (lambda x, n=name: getattr(x, n)())
        g = theirs.get(name) or getattr(torch.nn.functional if name == "gelu" else torch, name)
        ours = value_grad(f, math.nan)
        assert math.isnan(ours[0]) and same(ours, torch_grad(g, math.nan)), name
        assert np.isnan(f(Tensor([math.nan])).data[0])
    for binary in (lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a / b, lambda a, b: a**b):
        assert math.isnan(binary(Value(math.nan), Value(2.0)).data)


CASES = {
    "relu at 0": relu_at_0,
    "max and min with ties": max_and_min_with_ties,
    "abs at 0": abs_at_0,
    "sqrt at 0": sqrt_at_0,
    "x**0 at 0": x_0_at_0,
    "0**0 with both base and exponent differentiated": zero_to_the_zero_with_both_differentiated,
    "d/db a**b at a = 0": d_db_a_b_at_a_0,
    "log at 0, log of a negative": log_at_0_log_of_a_negative,
    "softmax, log_softmax over a row holding -inf": softmax_log_softmax_over_a_row_holding_inf,
    "a row of nothing but -inf": a_row_of_nothing_but_inf,
    "cross-entropy with -inf logits": cross_entropy_with_inf_logits,
    "division by zero": division_by_zero,
    "tanh and sigmoid at ±inf": tanh_and_sigmoid_at_inf,
    "NaN through every op": nan_through_every_op,
}


def readme_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Conventions at the edges") :].split("\n## ")[0]
    return [m.group(1).strip() for m in re.finditer(r"^\| ([^|]+) \|", table, flags=re.M)][
        1:
    ]  # skip the header


def test_every_row_of_the_readme_table_has_a_test() -> None:
    assert readme_rows() == list(CASES)


@pytest.mark.parametrize("case", list(CASES))
def test_convention(case: str) -> None:
    CASES[case]()


# --- found by the second reliability pass -------------------------------------------------------


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_and_minimum_send_the_whole_gradient_to_both_sides_of_a_nan(name: str) -> None:
    torch = pytest.importorskip("torch")
    a0, b0 = np.array([np.nan, 1.0, 2.0, 3.0]), np.array([1.0, np.nan, 2.0, 1.0])
    a, b = Tensor(a0, requires_grad=True), Tensor(b0, requires_grad=True)
    ta, tb = torch.tensor(a0, requires_grad=True), torch.tensor(b0, requires_grad=True)
    getattr(autograd, name)(a, b).sum().backward()
    getattr(torch, name)(ta, tb).sum().backward()
    np.testing.assert_array_equal(a.grad, ta.grad.numpy())
    np.testing.assert_array_equal(b.grad, tb.grad.numpy())
    x = Value(float("nan"))
    getattr(autograd, name)(x, Value(1.0)).backward()
    assert x.grad == 1.0


def test_log_softmax_of_a_row_holding_inf_is_nan_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    for row in ([np.inf, 1.0], [-np.inf, 1.0], [-np.inf, -np.inf]):
        ours = Tensor(row).log_softmax().data
        theirs = torch.tensor(row).log_softmax(-1).numpy()
        np.testing.assert_array_equal(ours, theirs)
