"""The scalar core: Value's ops against math and finite differences, the engine's walk, grad()."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, enable_grad, grad, gradcheck, is_grad_enabled, no_grad
from autograd.engine import toposort
from autograd.gradcheck import GradcheckError


def phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


@dataclass(frozen=True)
class OpCase:
    """One op: how to apply it to Values, its value from `math`, its derivative in closed form."""

    name: str
    apply: Callable[..., Value]
    reference: Callable[..., float]
    derivative: Callable[..., tuple[float, ...]]
    domain: tuple[float, float] = (-3.0, 3.0)
    smooth: bool = True  # second derivatives exist everywhere in the domain


UNARY = [
    OpCase("neg", lambda x: -x, lambda x: -x, lambda x: (-1.0,)),
    OpCase("exp", lambda x: x.exp(), math.exp, lambda x: (math.exp(x),)),
    OpCase("log", lambda x: x.log(), math.log, lambda x: (1 / x,), domain=(0.1, 5.0)),
    OpCase("tanh", lambda x: x.tanh(), math.tanh, lambda x: (1 - math.tanh(x) ** 2,)),
    OpCase(
        "sigmoid",
        lambda x: x.sigmoid(),
        lambda x: 1 / (1 + math.exp(-x)),
        lambda x: (math.exp(-x) / (1 + math.exp(-x)) ** 2,),
    ),
    OpCase("relu", lambda x: x.relu(), lambda x: max(x, 0.0), lambda x: (float(x > 0),), smooth=False),
    OpCase("erf", lambda x: x.erf(), math.erf, lambda x: (2 / math.sqrt(math.pi) * math.exp(-x * x),)),
    OpCase(
        "gelu",
        lambda x: x.gelu(),
        lambda x: x * phi(x),
        lambda x: (phi(x) + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi),),
    ),
    OpCase(
        "gelu_tanh",
        lambda x: x.gelu(approximate="tanh"),
        lambda x: 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
        lambda x: (
            0.5 * (1 + math.tanh(u := math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
            + 0.5 * x * (1 - math.tanh(u) ** 2) * math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x**2),
        ),
    ),
    OpCase("square", lambda x: x**2, lambda x: x * x, lambda x: (2 * x,)),
    OpCase("cube", lambda x: x**3, lambda x: x**3, lambda x: (3 * x * x,)),
    OpCase("sqrt", lambda x: x**0.5, math.sqrt, lambda x: (0.5 / math.sqrt(x),), domain=(0.1, 5.0)),
    OpCase("reciprocal", lambda x: 1 / x, lambda x: 1 / x, lambda x: (-1 / x**2,), domain=(0.2, 5.0)),
    OpCase("rpow", lambda x: 2**x, lambda x: 2**x, lambda x: (2**x * math.log(2),)),
    OpCase("add_const", lambda x: x + 2.5, lambda x: x + 2.5, lambda x: (1.0,)),
    OpCase("rsub_const", lambda x: 2.5 - x, lambda x: 2.5 - x, lambda x: (-1.0,)),
    OpCase("mul_const", lambda x: 3 * x, lambda x: 3 * x, lambda x: (3.0,)),
    OpCase("div_const", lambda x: x / 4, lambda x: x / 4, lambda x: (0.25,)),
]

BINARY = [
    OpCase("add", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    OpCase("sub", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    OpCase("mul", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: (b, a)),
    OpCase("div", lambda a, b: a / b, lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2), domain=(0.2, 4.0)),
    OpCase(
        "pow",
        lambda a, b: a**b,
        lambda a, b: a**b,
        lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
        domain=(0.2, 3.0),
    ),
]


def _points(case: OpCase, n: int) -> st.SearchStrategy:
    lo, hi = case.domain
    x = st.floats(lo, hi, allow_nan=False)
    if not case.smooth:  # keep away from the kink at 0, where finite differences straddle it
        x = x.filter(lambda v: abs(v) > 1e-3)
    return st.tuples(*[x] * n)


@pytest.mark.parametrize("case", UNARY + BINARY, ids=lambda c: c.name)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_op_value_and_derivatives(case: OpCase, data: st.DataObject) -> None:
    arity = 1 if case in UNARY else 2
    xs = data.draw(_points(case, arity))
    nodes = [Value(x) for x in xs]
    out = case.apply(*nodes)
    assert out.data == pytest.approx(case.reference(*xs), rel=1e-12, abs=1e-12)
    out.backward()
    for node, expected in zip(nodes, case.derivative(*xs)):
        assert node.grad == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert gradcheck(case.apply, [Value(x) for x in xs], order=2 if case.smooth else 1)


def test_L_equals_3x_squared_plus_2() -> None:
    x = Value(2.0, label="x")
    L = 3 * x**2 + 2
    L.backward()
    assert (L.data, x.grad, L.grad) == (14.0, 12.0, 1.0)


def test_micrograd_sanity_check() -> None:
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0
    assert x.grad == 46.0


def test_micrograd_more_ops() -> None:
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.7041, abs=1e-4)
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


def test_reused_node_gets_every_path() -> None:
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad) == (4.0, 2.0)
    d = a * a * a  # the same node three times in one graph: 3a^2
    a.grad = 0.0
    d.backward()
    assert a.grad == 27.0


def test_every_node_gets_its_grad() -> None:
    x = Value(2.0)
    sq = x**2
    scaled = 3 * sq
    L = scaled + 2
    L.backward()
    assert [L.grad, scaled.grad, sq.grad, x.grad] == [1.0, 1.0, 3.0, 12.0]


def test_repeated_backward_accumulates() -> None:
    x = Value(2.0)
    y = x * x + x  # an intermediate node used once: the second pass must not double-count it
    y.backward()
    y.backward()
    assert x.grad == 10.0  # 2 * (2x + 1)


def test_backward_with_a_starting_gradient() -> None:
    x = Value(1.5)
    (x * 4).backward(0.5)
    assert x.grad == 2.0


def test_million_node_chain_at_default_recursion_limit() -> None:
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    assert x.grad == pytest.approx(1.0000001**1_000_000, rel=1e-9)
    del y  # freeing a million-deep chain must not overflow the C stack either


def test_toposort_orders_inputs_first_and_visits_once() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = toposort([e])
    assert len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node._prev:
            assert position[id(parent)] < position[id(node)]


def test_no_grad_records_nothing() -> None:
    x = Value(2.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3 + 1
        with enable_grad():
            z = x * 3
    assert is_grad_enabled()
    assert y._prev == ()
    assert len(z._prev) == 2 and z._prev[0] is x
    y.backward()
    assert x.grad == 0.0  # nothing flows through a result made under no_grad


def test_no_grad_as_decorator() -> None:
    @no_grad()
    def f(v: Value) -> Value:
        return v * v

    x = Value(3.0)
    assert f(x)._prev == ()
    assert is_grad_enabled()


def test_no_grad_restored_after_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert is_grad_enabled()


def test_grad_leaves_dot_grad_alone() -> None:
    x, y = Value(2.0), Value(3.0)
    f = x * y + x
    dx, dy = grad(f, [x, y])
    assert (dx.data, dy.data) == (4.0, 2.0)
    assert (x.grad, y.grad, f.grad) == (0.0, 0.0, 0.0)


def test_grad_of_an_unused_input_is_zero() -> None:
    x, unused = Value(2.0), Value(5.0)
    (d,) = grad(x * x, [unused])
    assert d.data == 0.0


def test_second_derivative_of_cube() -> None:
    for x0 in (-1.5, 0.0, 2.0):
        x = Value(x0)
        (dx,) = grad(x**3, [x], create_graph=True)
        (d2x,) = grad(dx, [x])
        assert dx.data == pytest.approx(3 * x0**2)
        assert d2x.data == pytest.approx(6 * x0)


def test_third_derivative_of_x_exp_x() -> None:
    x = Value(0.7)
    (d1,) = grad(x * x.exp(), [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    assert d3.data == pytest.approx(math.exp(0.7) * (0.7 + 3), rel=1e-12)


def test_design_example_higher_order() -> None:
    x = Value(2.0, label="x")
    L = 3 * x**2 + 2
    (dx,) = grad(L, [x], create_graph=True)
    (d2x,) = grad(dx, [x])
    assert dx == 12.0 and d2x == 6.0
    assert x.grad == 0.0


def test_mixed_partials() -> None:
    x, y = Value(1.2), Value(-0.4)
    f = (x * y).tanh()
    dx, _ = grad(f, [x, y], create_graph=True)
    (dxy,) = grad(dx, [y])
    t = math.tanh(1.2 * -0.4)
    s2 = 1 - t * t  # d/dy [y·sech²(xy)] = sech² - 2xy·tanh·sech²
    assert dxy.data == pytest.approx(s2 - 2 * 1.2 * -0.4 * t * s2)


def test_grad_rejects_non_nodes_and_mismatched_grad_outputs() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match="grad: inputs must be Value or Tensor nodes, got float"):
        grad(x * 2, [1.0])
    with pytest.raises(ValueError, match="1 outputs but 2 grad_outputs"):
        grad(x * 2, [x], grad_outputs=[1.0, 2.0])


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
    assert x == 2.0 and x < 3 and x >= Value(2.0) and x != Value(2.5)
    assert len({x, Value(2.0)}) == 2  # hashing is by identity
    assert float(x) == 2.0


def test_gradcheck_reports_a_wrong_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import ops

    monkeypatch.setattr(ops.TANH, "rules", (lambda g, out, a: g * (1 + out * out),))
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
