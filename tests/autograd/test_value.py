"""Value: construction, bad operands, domains, comparisons, and gradcheck on Values (the ops
themselves are checked in test_ops.py, the walk in test_engine.py)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autograd import Value, gradcheck
from autograd.gradcheck import GradcheckError


def test_stable_sigmoid_and_tanh_at_extremes() -> None:
    for big in (1000.0, 1e6):
        assert Value(big).sigmoid().data == 1.0
        assert Value(-big).sigmoid().data == 0.0
        assert Value(big).tanh().data == 1.0
        assert Value(-big).tanh().data == -1.0
    s = Value(-1000.0)
    out = s.sigmoid()
    out.backward()
    assert s.grad == 0.0 and math.isfinite(s.grad)
    assert Value(1000.0).exp().data == math.inf  # IEEE overflow, not an exception


@pytest.mark.parametrize("bad", ["abc", None, [1.0], True, {"a": 1}])
def test_value_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(TypeError, match=f"Value: data must be a real number, got {type(bad).__name__}"):
        Value(bad)  # type: ignore[arg-type]


def test_value_accepts_numpy_scalars() -> None:
    np = pytest.importorskip("numpy")
    assert Value(np.float32(1.5)).data == 1.5
    assert type(Value(np.int64(3)).data) is float
    assert (np.float64(2.0) * Value(3.0)).data == 6.0  # numpy defers to Value.__rmul__


@pytest.mark.parametrize(
    "make",
    [
        lambda: Value(1.0) + "abc",
        lambda: "abc" * Value(1.0),
        lambda: Value(1.0) - "abc",
        lambda: Value(1.0) / None,
        lambda: Value(1.0) ** "x",
        lambda: [1.0] + Value(1.0),
        lambda: "abc" / Value(0.0),
        lambda: "abc" - Value(1.0),
        lambda: None ** Value(1.0),
    ],
)
def test_arithmetic_with_non_numbers_is_a_type_error(make: Callable[[], object]) -> None:
    with pytest.raises(TypeError, match="unsupported operand|can't multiply|can only concatenate"):
        make()


def test_log_domain() -> None:
    with pytest.raises(ValueError, match="log: input must be positive, got 0.0"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="log: input must be positive, got -2.0"):
        Value(-2.0).log()


def test_pow_domain() -> None:
    with pytest.raises(ValueError, match="pow: base -2.0 is negative; a Value exponent needs a base >= 0"):
        Value(-2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="not a real number"):
        Value(-8.0) ** (1 / 3)
    assert (Value(-2.0) ** 3).data == -8.0  # a number exponent is fine for a negative base
    with pytest.raises(ZeroDivisionError, match="pow: 0.0 cannot be raised to the negative power -1.0"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0
    base, exponent = Value(0.0), Value(2.0)
    (base**exponent).backward()  # at base 0, d/d(exponent) is 0, not log(0)
    assert (base.grad, exponent.grad) == (0.0, 0.0)


def test_pow_derivatives_at_zero_base() -> None:
    # x ** 0 is constant (slope 0, also at 0); sqrt's slope at 0 is inf (IEEE, as PyTorch).
    x = Value(0.0)
    (x**0).backward()
    assert x.grad == 0.0
    x = Value(0.0)
    (x**0.5).backward()
    assert x.grad == math.inf
    base, exponent = Value(0.0), Value(0.0)
    (base**exponent).backward()  # 0 ** 0 = 1: d/dbase taken as 0 (as PyTorch), d/dexponent 0
    assert (base.grad, exponent.grad) == (0.0, 0.0)
    for k in range(4):  # the polynomial terms x ** k at x = 0: slopes 0, 1, 0, 0
        x = Value(0.0)
        (x**k).backward()
        assert x.grad == (1.0 if k == 1 else 0.0)


def test_gelu_rejects_unknown_approximation() -> None:
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh', got 'fast'"):
        Value(1.0).gelu(approximate="fast")


def test_backward_rejects_a_non_number_gradient() -> None:
    with pytest.raises(TypeError, match="backward: the starting gradient must be a number, got str"):
        (Value(1.0) * 2).backward("1")  # type: ignore[arg-type]


def test_repr_comparisons_and_hash() -> None:
    x = Value(2.0, label="x")
    assert repr(x) == "Value(label='x', data=2, grad=0)"
    assert repr(Value(0.5)) == "Value(data=0.5, grad=0)"
    assert x == x and x != Value(2.0) and (x == 2.0) is False  # identity, as micrograd
    assert x < 3 and x >= Value(2.0) and x <= 2.0  # ordering compares data
    assert len({x, Value(2.0)}) == 2  # hashing is by identity
    assert float(x) == 2.0


def test_gradcheck_reports_a_wrong_rule(registry: None) -> None:
    from autograd import ops
    from autograd.primitive import define

    define(ops.TANH.replaced(rules=[lambda g, out, a: g * (1 + out * out)]), replace=True)
    x = Value(0.5, label="x")
    message = r"input 0 \(x\): backward gives 1.2\d*, finite differences 0.78"
    with pytest.raises(GradcheckError, match=message):
        gradcheck(lambda v: v.tanh(), [x])


def test_gradcheck_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="gradcheck: input 0 must be a Value or Tensor, got float"):
        gradcheck(lambda v: v, [1.0])
    with pytest.raises(ValueError, match="order must be >= 1"):
        gradcheck(lambda v: v, [Value(1.0)], order=0)


def test_gradcheck_names_an_input_that_does_not_require_grad() -> None:
    from autograd import Tensor

    t = Tensor([1.0, 2.0], label="t")
    with pytest.raises(ValueError, match=r"gradcheck: input 0 \(t\) does not require grad"):
        gradcheck(lambda v: (v * v).sum(), [t])
