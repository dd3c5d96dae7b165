"""Rules traced into JavaScript (autograd/viz/trace.py): the step page recomputes a graph in the
browser from the primitives' own definitions, and gets what Python gets, on every primitive and
on random graphs; a primitive of yours with ``js=`` is live, one without is not, only the
primitives a graph uses are written, and JavaScript that disagrees with Python turns editing off."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
from viz_helpers import (
    assert_matches_python,
    by,
    edit,
    every_primitive,
    keys,
    no_errors,
    numbers,
    open_page,
    python_numbers,
    sentence,
    shown_error,
    values_and_grads,
)

import autograd
from autograd import Value, engine, ops, primitive
from autograd.ops import SIGMOID
from autograd.primitive import Primitive
from autograd.viz import backward_page

# --- every primitive --------------------------------------------------------------------------


def test_the_graph_uses_every_scalar_primitive() -> None:
    built_in = {v.name for v in vars(ops).values() if isinstance(v, Primitive) and v.floats}
    used = {n._op.primitive.name for n in engine.toposort([every_primitive(0.7, -1.3, 2.1)]) if n._prev}
    assert built_in <= used


@pytest.mark.parametrize("leaves", [(0.3, 0.9, 1.7), (-1.2, 0.4, 3.0), (2.5, -0.05, 0.2), (1e-3, -4.0, 40.0)])
def test_editing_an_input_recomputes_what_python_computes(
    browser: Any, tmp_path: Path, leaves: tuple[float, float, float]
) -> None:
    page = backward_page(every_primitive(0.7, -1.3, 2.1)).save(tmp_path / "every.html")
    open_page(browser, page)
    browser.find_element(by().TAG_NAME, "body").send_keys(keys().END)
    edit(browser, dict(zip("xyz", leaves)))
    assert browser.find_element(by().ID, "error").get_attribute("hidden") is not None
    L = every_primitive(*leaves)
    L.backward()
    expected = {i: (n.data, n.grad) for i, n in enumerate(engine.toposort([L]))}
    shown = numbers(browser)
    assert shown.keys() == expected.keys()
    for i, (data, grad) in expected.items():
        assert shown[i][0] == pytest.approx(data, rel=1e-12, abs=1e-12), i
        assert shown[i][1] == pytest.approx(grad, rel=1e-12, abs=1e-12), i
    # The sentence is recomputed too, in the format Python writes.
    x_grad = next(
        g
        for i, (d, g) in expected.items()
        if browser.find_element(by().ID, f"v{i}").get_attribute("data-node") == "x"
    )
    assert sentence(browser).text.startswith("dL/d")
    assert any(
        f"grad {fmt(x_grad)}" in g.text
        for g in browser.find_elements(by().CSS_SELECTOR, "#picture g.node.value")
    )


def fmt(x: float) -> str:
    from autograd.viz.steps import number_text

    return number_text(x)


# --- random graphs ----------------------------------------------------------------------------

# A small random-graph generator over the Value ops: the page recomputes what Python computes.

UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "gelu", "erf", "abs", "sqrt", "neg"]

BINARY = ["+", "-", "*", "/", "**k", "**v", "max", "min", "k+", "k-", "k*", "k/", "k**"]


def random_recipe(rng: random.Random, leaves: int, ops: int) -> list[tuple[Any, ...]]:
    recipe: list[tuple[Any, ...]] = []
    for _ in range(ops):
        n = leaves + len(recipe)
        if rng.random() < 0.4:
            recipe.append((rng.choice(UNARY), rng.randrange(n)))
        else:
            k = rng.choice([2, 3, -1, 2.0, 3.0, 0.5, -2.0, 1.5])
            recipe.append((rng.choice(BINARY), rng.randrange(n), rng.randrange(n), k))
    return recipe


def binary(op: str, a: Value, b: Value, k: float) -> Value:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    if op == "**k":
        return a ** (k if float(k).is_integer() else 2)
    if op == "**v":
        return a**b
    if op == "max":
        return autograd.maximum(a, b)
    if op == "min":
        return autograd.minimum(a, b)
    if op == "k+":
        return k + a
    if op == "k-":
        return k - a
    if op == "k*":
        return k * a
    if op == "k/":
        return k / a
    return abs(k) ** a  # k**


def build_recipe(recipe: list[tuple[Any, ...]], leaves: list[float]) -> Value:
    vs = [Value(v, label=f"x{i}") for i, v in enumerate(leaves)]
    used: set[int] = set()
    for r in recipe:
        op, a = r[0], vs[r[1]]
        used.add(r[1])
        if op in UNARY:
            vs.append(-a if op == "neg" else getattr(a, op)())
            continue
        b, k = vs[r[2]], r[3]
        if op in ("+", "-", "*", "/", "**v", "max", "min"):
            used.add(r[2])
        vs.append(binary(op, a, b, k))
    sinks = [v for i, v in enumerate(vs) if i not in used and v._prev]
    root = sinks[0]
    for s in sinks[1:]:
        root = root + s * 0.5
    root.label = "L"
    return root


def python_or_error(
    recipe: list[tuple[Any, ...]], leaves: list[float]
) -> dict[int, tuple[float, float]] | None:
    try:
        L = build_recipe(recipe, leaves)
        L.backward()
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return values_and_grads(L)


@pytest.mark.parametrize("seed", range(4))
def test_random_graphs_recompute_what_python_computes(browser: Any, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for g in range(6):
        n = rng.randint(1, 3)
        recipe = random_recipe(rng, n, rng.randint(1, 8))
        start = [round(rng.uniform(0.2, 2.5), 3) for _ in range(n)]
        if python_or_error(recipe, start) is None:
            continue
        page = backward_page(build_recipe(recipe, start)).save(tmp_path / f"random{g}.html")
        open_page(browser, page, "#step=999")
        assert_matches_python(browser, python_or_error(recipe, start) or {})
        offered = set(
            browser.execute_script(
                "return Array.from(document.querySelectorAll('input[data-leaf]'))"
                ".map(i => i.getAttribute('data-leaf'));"
            )
        )
        for _ in range(3):
            leaves = [
                rng.choice([round(rng.uniform(-3, 3), 4), 0.0, -0.0, 1.0, -1.0, 1e-8, 700.0])
                for _ in range(n)
            ]
            edit(browser, {f"x{i}": repr(v) for i, v in enumerate(leaves) if f"x{i}" in offered})
            expected = python_or_error(recipe, leaves)
            if expected is None:  # Python refuses: so does the page
                assert shown_error(browser) is not None, (recipe, leaves)
            else:
                assert shown_error(browser) is None, (recipe, leaves, shown_error(browser))
                assert_matches_python(browser, expected)
                checked += 1
        no_errors(browser)
    assert checked >= 3


# --- your primitives --------------------------------------------------------------------------


def test_a_primitive_of_yours_with_javascript_is_live(browser: Any, tmp_path: Path, registry: None) -> None:
    softplus = primitive(
        "hostile-softplus",
        floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
        rules=[lambda g, out, x: g * SIGMOID(x)],
        derivatives=["σ({a})"],
        js="Math.log1p(Math.exp(-Math.abs(a))) + Math.max(a, 0)",
    )
    squared = primitive(  # its rule calls the other primitive
        "hostile-softplus-squared",
        floats=lambda a: softplus.floats(a) ** 2,
        rules=[lambda g, out, a: g * 2 * softplus(a) * SIGMOID(a)],
        js="Math.pow(F['hostile-softplus'](a), 2)",
    )

    def build(x: float) -> Value:
        v = Value(x, label="x")
        return squared(v) + softplus(v) * 2

    page = backward_page(build(0.3)).save(tmp_path / "mine.html")
    open_page(browser, page, "#step=99")
    for x in ("1.7", "-0.4", "30"):
        edit(browser, {"x": x})
        assert shown_error(browser) is None
        assert_matches_python(browser, python_numbers(build, float(x)))
    no_errors(browser)


def test_only_the_primitives_a_graph_uses_are_written(browser: Any, tmp_path: Path, registry: None) -> None:
    primitive(
        "</script><script>window.__pwned=1</script>",
        floats=lambda a: 2 * a,
        rules=[lambda g, o, a: 2 * g],
        js="a*2",
    )
    primitive("broken", floats=lambda a: 2 * a, rules=[lambda g, o, a: 2 * g], js="a +* ")
    x = Value(2.0, label="x")
    page = backward_page(x * 3).save(tmp_path / "plain.html")
    text = page.read_text()
    assert "__pwned" not in text and "broken" not in text
    open_page(browser, page, "#step=3")
    assert browser.execute_script("return window.__pwned === undefined;")


def test_a_js_that_disagrees_with_python_turns_editing_off(
    browser: Any, tmp_path: Path, registry: None
) -> None:
    wrong = primitive("plus_one", floats=lambda a: a + 1, rules=[lambda g, o, a: g], js="a + 2")
    broken = primitive("twice", floats=lambda a: 2 * a - 2, rules=[lambda g, o, a: 2 * g], js="a +* ")
    for op, why in [(wrong, "see the js= of plus_one"), (broken, "twice: its JavaScript did not load")]:
        x = Value(3.0, label="x")
        page = backward_page(op(x) * 2).save(tmp_path / f"{op.name}.html")
        browser.get(page.resolve().as_uri() + "#step=5")
        browser.get_log("browser")  # the broken script's syntax error is expected here
        assert why in (shown_error(browser) or "")
        assert browser.find_element(by().CSS_SELECTOR, 'input[data-leaf="x"]').get_attribute("disabled")
        assert numbers(browser)[1][0] == 4.0  # Python's numbers stay: plus_one(3) = twice(3) - 2 = 4
