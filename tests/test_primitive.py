"""Your own primitive: defined once with `autograd.primitive`, it works on Values and Tensors, to
second order, against PyTorch, and is named in pictures, step sentences, the command line and nn."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, grad, gradcheck, primitive
from autograd.ops import SIGMOID
from autograd.primitive import Primitive, functions, lookup
from autograd.viz import backward_steps, draw_graph, parse_expression

softplus = primitive(
    "softplus",
    floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
    arrays=lambda x: np.logaddexp(0.0, x),
    rules=[lambda g, out, x: g * SIGMOID(x)],
    derivatives=["σ({a})"],
    js="Math.log1p(Math.exp(-Math.abs(a))) + Math.max(a, 0)",
)

# A binary one, written with arithmetic only: its rules are differentiable to any order too.
hypot = primitive(
    "hypot",
    floats=math.hypot,
    arrays=np.hypot,
    rules=[lambda g, out, a, b: g * a / out, lambda g, out, a, b: g * b / out],
    derivatives=["{a}/{out}", "{b}/{out}"],
)


def test_on_values_first_and_second_order() -> None:
    x = Value(0.3, label="x")
    y = softplus(x)
    assert y.data == pytest.approx(math.log1p(math.exp(0.3)), rel=1e-15)
    assert y._op == "softplus" and y._op.primitive is softplus and y._prev == (x,)
    y.backward()
    assert x.grad == pytest.approx(1 / (1 + math.exp(-0.3)), rel=1e-15)
    assert gradcheck(lambda v: softplus(v * v), [Value(0.7)], order=3)
    (d1,) = grad(softplus(x), [x], create_graph=True)
    (d2,) = grad(d1, [x])
    s = 1 / (1 + math.exp(-0.3))
    assert d2.data == pytest.approx(s * (1 - s), rel=1e-12)


def test_on_tensors_first_and_second_order() -> None:
    t = Tensor(np.linspace(-3, 3, 7), requires_grad=True)
    out = softplus(t)
    np.testing.assert_allclose(out.data, np.log1p(np.exp(t.data)), rtol=1e-14)
    assert gradcheck(lambda v: softplus(v).sum(), [t], order=2)
    assert gradcheck(
        lambda a, b: hypot(a, b),
        [Tensor([3.0, 1.0], requires_grad=True), Tensor([4.0, 2.0], requires_grad=True)],
        order=2,
    )


def test_numbers_are_operands_of_a_user_op() -> None:
    a = Value(3.0)
    h = hypot(a, 4.0)
    assert h.data == 5.0 and h._prev == (a,) and h._op.consts == (1,)
    h.backward()
    assert a.grad == pytest.approx(0.6)
    assert hypot(3.0, 4.0) == 5.0  # on plain numbers a primitive is its forward
    np.testing.assert_allclose(hypot(np.array([3.0]), np.array([4.0])), [5.0])


def test_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    x0 = np.linspace(-2, 2, 5)
    ours = Tensor(x0.copy(), requires_grad=True)
    theirs = torch.tensor(x0, requires_grad=True)
    (g,) = grad(softplus(ours).sum(), [ours], create_graph=True)
    (gt,) = torch.autograd.grad(torch.nn.functional.softplus(theirs).sum(), [theirs], create_graph=True)
    np.testing.assert_allclose(g.data, gt.detach().numpy(), rtol=1e-12)
    (h,) = grad(g.sum(), [ours])
    (ht,) = torch.autograd.grad(gt.sum(), [theirs])
    np.testing.assert_allclose(h.data, ht.numpy(), rtol=1e-12)


def test_named_in_pictures_and_step_sentences() -> None:
    x = Value(1.0, label="x")
    y = softplus(x * 2)
    y.backward()
    src = draw_graph(y).source
    assert "softplus(2·x)" in src and "label=softplus" in src
    sentences = [s.sentence for s in backward_steps(y)]
    assert "whose local derivative ∂L/∂(2·x) = σ(2·x) = 0.8808; by the chain rule" in sentences[1]


def test_offered_by_the_command_line_and_nn() -> None:
    assert functions()["softplus"] is softplus and lookup("softplus") is softplus
    out = parse_expression("softplus(x) + 1", {"x": 0.0})
    assert out.data == pytest.approx(1 + math.log(2))
    neuron = nn.Neuron(2, activation="softplus", rng=0)
    assert neuron([1.0, 2.0]).data > 0
    act = nn.Activation("softplus")
    np.testing.assert_allclose(act(Tensor([0.0])).data, [math.log(2)])


def test_the_backward_step_is_compiled_from_the_rule() -> None:
    op = softplus.scalar_ops()[0]
    assert "a.grad += (g * _sigmoid" in op.send.source  # the rule, inlined: no call to it per node
    assert "a.grad += ((g * a.data) / v.data)" in hypot.scalar_ops()[0].send.source


def test_a_rule_that_cannot_be_traced_still_works_on_floats() -> None:
    cube = primitive(
        "cube_by_hand",
        floats=lambda x: x**3,
        rules=[lambda g, out, x: g * 3 * math.pow(x, 2)],  # math.pow needs a float: not traceable
    )
    x = Value(2.0)
    cube(x).backward()
    assert x.grad == 12.0
    assert "could not be traced" in cube.scalar_ops()[0].send.source


def test_bad_definitions_are_refused() -> None:
    with pytest.raises(TypeError, match="give a forward"):
        primitive("nothing", rules=[lambda g, out, x: g])
    with pytest.raises(TypeError, match="rules must be a list of functions"):
        primitive("bad", floats=abs, rules=["not a function"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="1 rules but 2 derivatives"):
        primitive("bad", floats=abs, rules=[lambda g, out, x: g], derivatives=["1", "2"])
    with pytest.raises(ValueError, match="kind must be one of"):
        primitive("bad", floats=abs, rules=[lambda g, out, x: g], kind="magic")
    with pytest.raises(TypeError, match="takes 1 operand"):
        softplus(Value(1.0), Value(2.0))
    with pytest.raises(TypeError, match="defined for Values only"):
        primitive("floats_only", floats=abs, rules=[lambda g, out, x: g])(Tensor([1.0]))
    assert isinstance(softplus, Primitive) and repr(softplus) == "Primitive('softplus')"


def test_replacing_a_rule_recompiles_the_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import ops

    def slope(make: type, x0: float) -> float:
        x = make([x0], requires_grad=True) if make is Tensor else make(x0)
        y = x.tanh()
        (y.sum() if make is Tensor else y).backward()
        return float(np.asarray(x.grad).ravel()[0])

    before = slope(Value, 0.5), slope(Tensor, 0.5)
    monkeypatch.setattr(ops.TANH, "rules", (lambda g, out, a: g * 2.0,))
    assert (slope(Value, 0.5), slope(Tensor, 0.5)) == (2.0, 2.0)
    monkeypatch.undo()
    assert (slope(Value, 0.5), slope(Tensor, 0.5)) == before


def test_functions_lists_only_what_takes_a_value() -> None:
    """The command line and nn's activations offer functions(): each must work on a Value (clamp,
    with bounds and no float forward, is a Tensor method, not one of them)."""
    assert "clamp" not in functions()
    for name, fn in functions().items():
        assert isinstance(fn(Value(0.5)), Value), name
