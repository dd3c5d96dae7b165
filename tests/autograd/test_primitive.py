"""Your own primitive: defined once with `autograd.primitive`, it works on Values and Tensors, to
second order, against PyTorch, and is found everywhere: methods, pictures, step sentences, the
command line, nn and the step page. Primitives never change; a replaced one leaves old graphs as
they were. What a user's forward and rules return is checked, naming the op."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value, grad, gradcheck, ops, primitive
from autograd.ops import SIGMOID
from autograd.primitive import Primitive, define, functions, lookup, restore, snapshot, where
from autograd.viz import backward_page, backward_steps, draw_graph, parse_expression


@pytest.fixture(scope="module")
def yours() -> Iterator[tuple[Primitive, Primitive]]:
    """softplus, and hypot: a binary one written with arithmetic only (its rules are
    differentiable to any order too). Forgotten after this module's tests."""
    saved = snapshot()
    softplus = primitive(
        "softplus",
        floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
        arrays=lambda x: np.logaddexp(0.0, x),
        rules=[lambda g, out, x: g * SIGMOID(x)],
        derivatives=["σ({a})"],
        js="Math.log1p(Math.exp(-Math.abs(a))) + Math.max(a, 0)",
    )
    hypot = primitive(
        "hypot",
        floats=math.hypot,
        arrays=np.hypot,
        rules=[lambda g, out, a, b: g * a / out, lambda g, out, a, b: g * b / out],
        derivatives=["{a}/{out}", "{b}/{out}"],
    )
    yield softplus, hypot
    restore(saved)


@pytest.fixture
def softplus(yours: tuple[Primitive, Primitive]) -> Primitive:
    return yours[0]


@pytest.fixture
def hypot(yours: tuple[Primitive, Primitive]) -> Primitive:
    return yours[1]


def test_on_values_first_and_second_order(softplus: Primitive) -> None:
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


def test_on_tensors_first_and_second_order(softplus: Primitive, hypot: Primitive) -> None:
    t = Tensor(np.linspace(-3, 3, 7), requires_grad=True)
    out = softplus(t)
    np.testing.assert_allclose(out.data, np.log1p(np.exp(t.data)), rtol=1e-14)
    assert gradcheck(lambda v: softplus(v).sum(), [t], order=2)
    assert gradcheck(
        lambda a, b: hypot(a, b),
        [Tensor([3.0, 1.0], requires_grad=True), Tensor([4.0, 2.0], requires_grad=True)],
        order=2,
    )


def test_numbers_are_operands_of_a_user_op(hypot: Primitive) -> None:
    a = Value(3.0)
    h = hypot(a, 4.0)
    assert h.data == 5.0 and h._prev == (a,) and h._args == (a, 4.0)
    h.backward()
    assert a.grad == pytest.approx(0.6)
    assert hypot(3.0, 4.0) == 5.0  # on plain numbers a primitive is its forward
    np.testing.assert_allclose(hypot(np.array([3.0]), np.array([4.0])), [5.0])


def test_matches_torch(softplus: Primitive) -> None:
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


def test_named_in_pictures_and_step_sentences(softplus: Primitive) -> None:
    x = Value(1.0, label="x")
    y = softplus(x * 2)
    y.backward()
    src = draw_graph(y).source
    assert "softplus(2·x)" in src and "label=softplus" in src
    sentences = [s.sentence for s in backward_steps(y)]
    assert "whose local derivative ∂L/∂(2·x) = σ(2·x) = 0.8808; by the chain rule" in sentences[1]


def test_offered_by_the_command_line_and_nn(softplus: Primitive) -> None:
    assert functions()["softplus"] is softplus and lookup("softplus") is softplus
    out = parse_expression("softplus(x) + 1", {"x": 0.0})
    assert out.data == pytest.approx(1 + math.log(2))
    neuron = nn.Neuron(2, activation="softplus", rng=0)
    assert neuron([1.0, 2.0]).data > 0
    act = nn.Activation("softplus")
    np.testing.assert_allclose(act(Tensor([0.0])).data, [math.log(2)])


def test_a_rule_written_with_float_functions_works_on_floats_and_is_refused_on_nodes(registry: None) -> None:
    """math.pow(x, 2) on a node would turn it into a float and cut the gradient's graph: the
    second derivative would silently read 0. It is refused, naming the op, instead."""
    cube = primitive(
        "cube_by_hand",
        floats=lambda x: x**3,
        rules=[lambda g, out, x: g * 3 * math.pow(x, 2)],
    )
    x = Value(2.0)
    cube(x).backward()
    assert x.grad == 12.0
    assert grad(cube(x), [x])[0].data == 12.0
    with pytest.raises(TypeError, match="cube_by_hand: rule 0 failed on graph nodes.*cut"):
        grad(cube(x), [x], create_graph=True)


def test_bad_definitions_are_refused(softplus: Primitive) -> None:
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


def test_a_primitive_cannot_change_and_a_name_is_defined_once(registry: None) -> None:
    with pytest.raises(AttributeError, match="cannot change.*replace=True"):
        ops.TANH.rules = (lambda g, out, a: g,)  # type: ignore[misc]
    with pytest.raises(ValueError, match="'tanh' is already defined; pass replace=True"):
        primitive("tanh", floats=math.tanh, rules=[lambda g, out, a: g])
    assert lookup("tanh") is ops.TANH


def slope(make: type, x0: float) -> float:
    x = make([x0], requires_grad=True) if make is Tensor else make(x0)
    y = x.tanh()
    (y.sum() if make is Tensor else y).backward()
    return float(np.asarray(x.grad).ravel()[0])


def test_a_replacement_is_followed_everywhere_and_leaves_old_graphs_alone(registry: None) -> None:
    old_value, old_tensor = Value(0.5), Tensor([0.5], requires_grad=True)
    old_graphs = old_value.tanh(), old_tensor.tanh().sum()
    twice = primitive(
        "tanh", floats=math.tanh, arrays=np.tanh, rules=[lambda g, out, a: g * 2.0], replace=True
    )
    # methods, backward() and grad(), nn's activations and the command line follow the new one
    assert (slope(Value, 0.5), slope(Tensor, 0.5)) == (2.0, 2.0)
    x = Value(0.5)
    assert grad(x.tanh(), [x])[0].data == 2.0 and x.tanh()._op.primitive is twice
    assert nn.Activation("tanh")(Tensor([0.5])).data[0] == pytest.approx(math.tanh(0.5))
    assert functions()["tanh"] is twice
    out = parse_expression("tanh(x)", {"x": 0.5})
    out.backward()
    assert out._op.primitive is twice
    # graphs built before keep the rule they were made with
    for root, leaf in zip(old_graphs, (old_value, old_tensor)):
        root.backward()
        assert float(np.asarray(leaf.grad).ravel()[0]) == pytest.approx(1 - math.tanh(0.5) ** 2)


def test_putting_the_old_one_back_restores_it(registry: None) -> None:
    before = slope(Value, 0.5)
    original = ops.TANH
    primitive("tanh", floats=math.tanh, arrays=np.tanh, rules=[lambda g, out, a: -g], replace=True)
    assert slope(Value, 0.5) == -1.0
    define(original, replace=True)
    assert slope(Value, 0.5) == before


def test_functions_lists_only_what_takes_a_value() -> None:
    """The command line and nn's activations offer functions(): each must work on a Value (clamp,
    with bounds and no float forward, is a Tensor method, not one of them)."""
    assert "clamp" not in functions()
    for name, fn in functions().items():
        assert isinstance(fn(Value(0.5)), Value), name


# --- one definition, found everywhere ---------------------------------------------------------


def test_a_new_primitive_is_found_everywhere(registry: None) -> None:
    """Adding an op is one definition and one row of the op table: the methods of both node kinds,
    nn, the command line, pictures, sentences and the page follow by themselves, and the two lists
    that must name it (the op table's rows, the README's op list) say that it is missing."""
    from op_table import missing_rows
    from test_readme import ops_missing_from_readme

    cube = primitive(
        "cube",
        floats=lambda x: x**3,
        arrays=lambda x: x**3,
        rules=[lambda g, out, x: g * 3 * x * x],
        derivatives=["3·{a}²"],
        js="a * a * a",
    )
    v, t = Value(2.0, label="v"), Tensor([1.0, 2.0], requires_grad=True)
    assert v.cube().data == 8.0 and v.cube()._op.primitive is cube and "cube" in dir(v)
    np.testing.assert_array_equal(t.cube().data, [1.0, 8.0])
    assert nn.Activation("cube")(Tensor([2.0])).data[0] == 8.0
    assert parse_expression("cube(x)", {"x": 2.0}).data == 8.0
    assert "cube(v)" in draw_graph(v.cube()).source
    assert any("3·v² = 12" in s.sentence for s in backward_steps(v.cube()))
    assert 'F["cube"]' in backward_page(v.cube()).html
    built_in = list(
        dict.fromkeys(
            p for m in (ops, autograd.array_ops) for p in vars(m).values() if isinstance(p, Primitive)
        )
    )
    assert missing_rows([*built_in, cube]) == ["cube"]
    assert ops_missing_from_readme([*built_in, cube]) == ["cube"]


def test_an_unknown_method_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'Value' object has no attribute 'nope'"):
        Value(1.0).nope()  # type: ignore[attr-defined]
    assert not hasattr(Tensor([1.0]), "_private_thing")


# --- what a user's definition returns is checked ----------------------------------------------


@pytest.mark.parametrize(
    ("forward", "error", "message"),
    [
        (lambda x: "one", TypeError, "float forward must return a real number, got str"),
        (lambda x: None, TypeError, "got NoneType"),
        (lambda x: complex(x, 1), TypeError, "got complex"),
    ],
)
def test_a_float_forward_must_return_a_real_number(registry: None, forward, error, message) -> None:  # type: ignore[no-untyped-def]
    op = primitive("odd", floats=forward, rules=[lambda g, out, x: g])
    with pytest.raises(error, match=f"odd: .*{message}"):
        op(Value(1.0))


@pytest.mark.parametrize(
    ("forward", "error", "message"),
    [
        (lambda x: x.astype(np.int64), TypeError, "returned int64 from floating operands"),
        (lambda x: x + 1j, TypeError, "must return a real array, got an array of complex128"),
        (lambda x: "one", TypeError, "must return a real array, got str"),
        (
            lambda x: np.concatenate([x, x]),
            ValueError,
            r"an elementwise forward must return the operands. broadcast shape \(2,\), got \(4,\)",
        ),
    ],
)
def test_an_array_forward_must_return_real_floats_of_the_right_shape(
    registry: None, forward, error, message
) -> None:  # type: ignore[no-untyped-def]
    op = primitive("odd", arrays=forward, rules=[lambda g, out, x: g])
    with pytest.raises(error, match=f"odd: .*{message}"):
        op(Tensor([1.0, 2.0], requires_grad=True))


@pytest.mark.parametrize(
    ("rule", "error", "message"),
    [
        (
            lambda g, out, x: np.ones(3),
            ValueError,
            r"rule 0 returned shape \(3,\) for an operand of shape \(2,\)",
        ),
        (lambda g, out, x: None, TypeError, "rule 0 must return a real array, got NoneType"),
        (lambda g, out, x: [1.0, 2.0], TypeError, "rule 0 must return a real array, got list"),
        (lambda g, out, x: g * 1j, TypeError, "rule 0 must return a real array, got an array of complex128"),
        (lambda g, out, x: x.nope, AttributeError, "rule 0 failed on ndarrays"),
    ],
)
def test_a_rule_must_return_a_real_gradient_of_its_operands_shape(
    registry: None, rule, error, message
) -> None:  # type: ignore[no-untyped-def]
    op = primitive("odd", floats=lambda x: x, arrays=lambda x: x * 1.0, rules=[rule])
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(error, match=f"odd: .*{message}"):
        op(t).sum().backward()
    assert t.grad is None


def test_a_rule_on_values_must_return_a_number(registry: None) -> None:
    op = primitive("odd", floats=lambda x: x, rules=[lambda g, out, x: None])
    with pytest.raises(TypeError, match="odd: rule 0 must return a real number, got NoneType"):
        op(Value(1.0)).backward()


def test_texts_name_only_the_operands() -> None:
    with pytest.raises(ValueError, match=r"notation '\{a.real\}' may name only \{a\}, got \{a.real\}"):
        primitive("odd", floats=abs, rules=[lambda g, out, x: g], notation="{a.real}")
    with pytest.raises(ValueError, match="may name only"):
        primitive("odd", floats=abs, rules=[lambda g, out, x: g], derivatives=["{b}"])
    with pytest.raises(ValueError, match="write a brace as"):
        primitive("odd", floats=abs, rules=[lambda g, out, x: g], notation="{a")


def test_any_printable_name_works(registry: None) -> None:
    op = primitive("é²", floats=lambda x: x * x, arrays=lambda x: x * x, rules=[lambda g, out, x: 2 * g * x])
    x = Value(3.0)
    op(x).backward()
    assert x.grad == 6.0 and op(x)._op == "é²"
    with pytest.raises(TypeError, match="short printable"):
        primitive("bad\nname", floats=abs, rules=[lambda g, out, x: g])


def test_a_replaced_product_is_followed_by_the_operator_and_put_back(registry: None) -> None:
    """Value's * keeps its primitive's forward at hand: a replacement remakes it, and so does
    putting the original back."""
    doubled = [lambda g, out, a, b: 2.0 * g * b, lambda g, out, a, b: 2.0 * g * a]
    primitive("*", floats=lambda a, b: a * b, arrays=np.multiply, rules=doubled, replace=True)
    x = Value(3.0)
    (x * 2.0).backward()
    assert x.grad == 4.0
    define(ops.MUL, replace=True)
    x = Value(3.0)
    (2.0 * x).backward()
    assert x.grad == 2.0


@pytest.mark.parametrize("shape", [(5, 7), (100, 100)], ids=["small", "big: the bit mask"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_where_is_numpys_selection_bit_for_bit(shape: tuple[int, int], dtype: Any) -> None:
    """where(c, 0.0, g), relu's and clamp's rule, is np.where exactly: inf and NaN pass where
    kept, 0 (+0.0) where not, -0.0 kept as it is."""
    rng = np.random.default_rng(0)
    g = rng.normal(size=shape).astype(dtype)
    g.flat[:3] = [np.inf, np.nan, -0.0]
    c = rng.random(shape) < 0.5
    c.flat[:3] = [True, False, False]
    for args in [(c, 0.0, g), (c, g, 0.0), (c, 0, g), (c, -0.0, g), (c[:1], 0.0, g)]:
        ours, numpys = where(*args), np.where(*args)
        assert ours.dtype == numpys.dtype and ours.shape == numpys.shape
        bits = f"u{ours.dtype.itemsize}"
        np.testing.assert_array_equal(ours.view(bits), numpys.view(bits))
