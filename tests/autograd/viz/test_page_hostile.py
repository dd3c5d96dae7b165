"""The step page (`backward_page`) against careless and hostile input: labels and names that look
like markup, numbers at the edges of floating point, inputs edited to where an op is undefined,
odd roots, graph sizes at the node budget, bad paths and arguments, and the page's own controls.

Each test guards behaviour that holds today. The browser tests skip themselves (with the reason)
when Chromium, chromedriver, Selenium or Graphviz's dot is missing.
"""

from __future__ import annotations

import html
import math
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import autograd
import nn
from autograd import Tensor, Value, engine, primitive
from autograd.ops import SIGMOID
from autograd.viz import backward_page, write_backward_html

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")

# Labels a careless or hostile user might give: markup, script ends, quotes, attributes.
MARKUP = [
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=2</script>",
    '<img src=x onerror="window.__pwned=3">',
    '"><img src=x onerror=window.__pwned=4>',
    "'; window.__pwned=5; '",
    "<!--",
    "&lt;b&gt;",
]
# Characters that must never reach the page raw: they would reorder or hide text.
INVISIBLE = ["a\x00b", "a\x1bb", "\u202eevil\u202c", "\u2066x\u2069", "a\u2028b", "\ud800"]


@pytest.fixture
def registry() -> Iterator[None]:
    """Primitives a test defines are forgotten after it (every page writes out every primitive)."""
    reg = sys.modules["autograd.primitive"]._REGISTRY
    saved = dict(reg)
    try:
        yield
    finally:
        reg.clear()
        reg.update(saved)


def neuron(
    a: float = 1.5, b: float = -0.5, *, label_x: str = "x", label_y: str = "y", out: str = "out"
) -> Value:
    x, y = Value(a, label=label_x), Value(b, label=label_y)
    z = (x * y + x).tanh()
    z.label = out
    return z


def chain(k: int) -> Value:
    y = Value(0.1, label="x")
    for _ in range(k):
        y = y.tanh()
    return y


# --- the document itself (no browser) --------------------------------------------------------------


@needs_dot
@pytest.mark.parametrize("label", MARKUP)
def test_markup_in_labels_stays_text(label: str) -> None:
    page = backward_page(neuron(label_x=label, out=label)).html
    if "<" in label:
        assert label not in page  # only its escaped forms are written
    plain = backward_page(neuron(label_x="x", out="out")).html
    assert len(re.findall(r"<script\b", page)) == len(re.findall(r"<script\b", plain))  # nothing injected
    assert "<img" not in page
    assert page.count("</script>") == plain.count("</script>")


@needs_dot
@pytest.mark.parametrize("label", INVISIBLE)
def test_control_and_bidi_characters_are_written_as_escapes(label: str) -> None:
    page = backward_page(neuron(label_x=label)).html
    raw = [c for c in label if not c.isalnum()]
    assert raw and not any(c in page for c in raw)


@needs_dot
def test_the_jupyter_iframe_holds_the_whole_document_escaped() -> None:
    page = backward_page(neuron(label_x='"></iframe><script>alert(1)</script>', out="</iframe>"))
    cell = page._repr_html_()
    assert cell.count("<iframe") == 1 and cell.count("</iframe>") == 1 and "<script" not in cell
    srcdoc = re.fullmatch(
        r'<iframe srcdoc="([^"]*)" title="([^"]*)" sandbox="allow-scripts"[^>]*></iframe>', cell
    )
    assert srcdoc is not None
    assert html.unescape(srcdoc[1]) == page.html
    assert html.unescape(srcdoc[2]) == page.title


@needs_dot
def test_the_node_budget_at_its_edge() -> None:
    assert backward_page(chain(74)).steps == 150  # 149 nodes drawn: fits the default 150
    with pytest.raises(
        ValueError, match=r"^backward_page: the graph has 151 nodes to draw, more than max_nodes=150"
    ):
        backward_page(chain(75))
    assert backward_page(chain(75), max_nodes=151).steps == 152


@needs_dot
def test_bad_arguments_are_refused_by_name() -> None:
    x = Value(2.0, label="x")
    L = 3 * x
    for bad in (True, 2.5, 1, None, "150"):
        with pytest.raises(ValueError, match=r"^backward_page: max_nodes must be a whole number"):
            backward_page(L, max_nodes=bad)  # type: ignore[arg-type]
    for rankdir in ("lr", "", None):
        with pytest.raises(ValueError, match=r"^backward_page: rankdir must be one of"):
            backward_page(L, rankdir=rankdir)  # type: ignore[arg-type]
    for root in (None, 3.0, [x], "x"):
        with pytest.raises(TypeError, match=r"^backward_page: root must be a Value or Tensor"):
            backward_page(root)
    with pytest.raises(ValueError, match=r"^backward_page: root has shape \(2,\).*\.sum\(\)"):
        backward_page(Tensor([1.0, 2.0], requires_grad=True) * 3)
    with pytest.raises(ValueError, match=r"^backward_page: root does not require grad"):
        backward_page(Tensor([1.0]) * 3)
    with pytest.raises(TimeoutError, match=r"^backward_page: Graphviz's dot did not finish"):
        backward_page(chain(40), timeout=1e-6)


@needs_dot
def test_bad_paths_are_named_before_anything_is_written(tmp_path: Path) -> None:
    page = backward_page(neuron())
    with pytest.raises(IsADirectoryError, match=r"BackwardPage\.save: cannot write .* it is a folder"):
        page.save(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"BackwardPage\.save: cannot write .* does not exist"):
        page.save(tmp_path / "missing" / "steps.html")
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match=r"BackwardPage\.save: .* is not a folder"):
        page.save(tmp_path / "file" / "steps.html")
    with pytest.raises(ValueError, match=r"^BackwardPage\.save: path is empty"):
        page.save("")
    with pytest.raises(TypeError, match=r"^BackwardPage\.save: path must be a str"):
        page.save(None)  # type: ignore[arg-type]
    # write_backward_html checks the path first: a bad folder, not dot's time limit, is reported.
    with pytest.raises(FileNotFoundError, match=r"^.*write_backward_html: cannot write"):
        write_backward_html(neuron(), tmp_path / "missing" / "steps.html", timeout=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@needs_dot
def test_the_page_leaves_grads_alone() -> None:
    x = Value(2.0, label="x")
    L = (x * x).tanh()
    x.grad = 7.0
    backward_page(L)
    assert x.grad == 7.0 and L.grad == 0.0


@needs_dot
def test_tensor_roots_of_one_element_step_but_are_not_live() -> None:
    A = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = Tensor([1.0, -2.0], requires_grad=True)
    for root in [
        (A * b + 1.0).tanh().sum(),
        (Tensor([2.0], requires_grad=True) ** 2).sum(),
        Tensor(2.0, requires_grad=True).exp() * 3,
    ]:
        page = backward_page(root)
        assert page.steps >= 4 and "data-leaf=" not in page.html
        assert '"live": false' in page.html


@needs_dot
def test_a_primitive_without_javascript_makes_a_page_that_is_not_live(registry: None) -> None:
    softplus = primitive(
        "hostile-softplus-nojs",
        floats=lambda x: math.log1p(math.exp(-abs(x))) + max(x, 0.0),
        rules=[lambda g, out, x: g * SIGMOID(x)],
    )
    page = backward_page(softplus(Value(0.3, label="x")) * 2)
    assert "data-leaf=" not in page.html and '"live": false' in page.html


# --- in the browser -----------------------------------------------------------------------------------


def by() -> Any:
    return pytest.importorskip("selenium.webdriver.common.by").By


def keys() -> Any:
    return pytest.importorskip("selenium.webdriver.common.keys").Keys


def open_page(driver: Any, path: Path, hash: str = "") -> None:
    driver.get("about:blank")  # a new hash on the same file would not reload it
    driver.get(path.resolve().as_uri() + hash)
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def no_errors(driver: Any) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def numbers(driver: Any) -> dict[int, tuple[float, float]]:
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#picture g.node.value')).map("
        "g => [g.id, g.getAttribute('data-data'), g.getAttribute('data-grad')]);"
    )
    return {int(i[1:]): (float(d), float(g)) for i, d, g in rows}


def edit(driver: Any, values: dict[str, str]) -> None:
    """Put each text into the input of the leaf of that name, as a paste does."""
    for name, text in values.items():
        field = driver.execute_script(
            "return Array.from(document.querySelectorAll('input[data-leaf]'))"
            ".find(i => i.getAttribute('data-leaf') === arguments[0]);",
            name,
        )
        assert field is not None, name
        driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", field, text
        )


def shown_error(driver: Any) -> str | None:
    e = driver.find_element(by().ID, "error")
    return None if e.get_attribute("hidden") is not None else e.text


def counter(driver: Any) -> str:
    return driver.find_element(by().ID, "counter").get_attribute("textContent")


def same(a: float, b: float) -> bool:
    """Equal to 1e-12, relative (or absolute, near 0: the page's erf is within an ulp or two of
    math.erf, which shows only where gradients cancel to 0), NaN equal to NaN, infinities exact."""
    if a == b or (math.isnan(a) and math.isnan(b)):
        return True
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1.0)


def values_and_grads(L: Value) -> dict[int, tuple[float, float]]:
    """Each node's data and gradient by its place in the order the page numbers them."""
    nodes: list[Any] = engine.toposort([L])
    return {i: (n.data, n.grad) for i, n in enumerate(nodes)}


def python_numbers(build: Callable[..., Value], *leaves: float) -> dict[int, tuple[float, float]]:
    L = build(*leaves)
    L.backward()
    return values_and_grads(L)


def assert_matches_python(driver: Any, expected: dict[int, tuple[float, float]]) -> None:
    shown = numbers(driver)
    assert shown.keys() == expected.keys()
    for i, (data, grad) in expected.items():
        assert same(shown[i][0], data) and same(shown[i][1], grad), (i, shown[i], (data, grad))


@pytest.mark.parametrize("label", MARKUP)
def test_markup_labels_run_nothing_and_the_page_still_works(browser: Any, tmp_path: Path, label: str) -> None:
    page = backward_page(neuron(label_x=label)).save(tmp_path / "markup.html")
    open_page(browser, page, "#step=9")
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('img, #picture script').length") == 0
    assert counter(browser) == "Step 9 of 9"
    leaf = browser.find_element(by().CSS_SELECTOR, 'input[data-index="0"]')
    assert leaf.get_attribute("data-leaf") == label  # the attribute holds the label as text
    assert label in browser.find_element(by().CSS_SELECTOR, ".inputs").text
    edit(browser, {label: "2"})
    assert shown_error(browser) is None
    assert_matches_python(browser, python_numbers(lambda a: neuron(a, label_x=label), 2.0))
    no_errors(browser)


def test_the_iframe_keeps_markup_labels_inside_it(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label='"></iframe><script>window.__pwned="parent"</script><iframe x="')
    y = Value(1.0, label="</textarea>&quot;'")
    L = (x * y).tanh()
    L.label = "&#34;><script>window.__pwned=1</script>"
    cell = tmp_path / "cell.html"
    cell.write_text(
        f"<!DOCTYPE html><html><body>{backward_page(L)._repr_html_()}</body></html>", encoding="utf-8"
    )
    open_page(browser, cell)
    assert browser.execute_script("return window.__pwned === undefined")
    assert len(browser.find_elements(by().TAG_NAME, "iframe")) == 1
    browser.switch_to.frame(browser.find_element(by().TAG_NAME, "iframe"))
    try:
        assert browser.execute_script("return window.__pwned === undefined")
        browser.find_element(by().ID, "next").click()  # a click gives the frame the keyboard
        browser.find_element(by().TAG_NAME, "body").send_keys(keys().END)
        assert counter(browser) == "Step 7 of 7"
    finally:
        browser.switch_to.default_content()


DOMAIN = [  # (graph of x and y, the edit, what the page says, the Python error it agrees with)
    (lambda x, y: x.log() * y, {"x": "-1"}, "log: input must be positive", ValueError),
    (lambda x, y: x.log() * y, {"x": "0"}, "log: input must be positive", ValueError),
    (lambda x, y: x.sqrt() + y, {"x": "-4"}, "sqrt: input must be >= 0", ValueError),
    (
        lambda x, y: x**-1 + y,
        {"x": "0"},
        "pow: 0 cannot be raised to the negative power -1",
        ZeroDivisionError,
    ),
    (
        lambda x, y: x**-2 * y,
        {"x": "0"},
        "pow: 0 cannot be raised to the negative power -2",
        ZeroDivisionError,
    ),
    (lambda x, y: x**0.5 + y, {"x": "-4"}, "is not a real number", ValueError),
    (lambda x, y: x**y, {"x": "-2"}, "a Value exponent needs a base >= 0", ValueError),
    (lambda x, y: x / y, {"y": "0"}, "negative power -1 (a division by zero)", ZeroDivisionError),
    (lambda x, y: x * y, {"x": "1e999"}, 'x: "1e999" is not a finite number', None),
    (lambda x, y: x * y, {"x": "abc"}, 'x: "abc" is not a finite number', None),
    (lambda x, y: x * y, {"x": "0x10"}, 'x: "0x10" is not a finite number', None),
    (lambda x, y: x * y, {"x": "2,5"}, 'x: "2,5" is not a finite number', None),
]


@pytest.mark.parametrize("case", range(len(DOMAIN)))
def test_an_undefined_edit_names_the_problem_and_keeps_the_numbers(
    browser: Any, tmp_path: Path, case: int
) -> None:
    build, change, says, python_error = DOMAIN[case]
    L = build(Value(2.0, label="x"), Value(1.5, label="y"))
    page = backward_page(L).save(tmp_path / "domain.html")
    open_page(browser, page, "#step=99")
    before = numbers(browser)
    edit(browser, change)
    error = shown_error(browser)
    assert error is not None and says in error
    assert numbers(browser) == before
    no_errors(browser)
    if python_error is not None:  # Python refuses the same numbers
        leaves = {"x": 2.0, "y": 1.5, **{k: float(v) for k, v in change.items()}}
        with pytest.raises(python_error):
            build(Value(leaves["x"]), Value(leaves["y"])).backward()
    browser.find_element(by().ID, "reset").click()
    assert shown_error(browser) is None and numbers(browser) == before


EDGES = [  # graphs and edits at the edges of floating point that Python computes without error
    (lambda x, y: x.exp() * y, {"x": "1000"}),
    (lambda x, y: x**400 * y, {"x": "10"}),
    (lambda x, y: x * x * y, {"x": "1e200"}),
    (lambda x, y: (x * y).tanh(), {"x": "1e300", "y": "1e300"}),
    (lambda x, y: (x * y).sigmoid(), {"x": "-800"}),
    (lambda x, y: x.sqrt() + y, {"x": "0"}),
    (lambda x, y: x**y, {"x": "0", "y": "0"}),
    (lambda x, y: x * y, {"x": "1e-320"}),
    (lambda x, y: (x * y).abs(), {"x": "-0"}),
    (lambda x, y: autograd.maximum(x, y) + autograd.minimum(x, y), {"x": "1.5"}),
    (lambda x, y: (x - y).relu(), {"x": "1.5"}),
    (lambda x, y: (x * y).gelu(), {"x": "-40"}),
    (lambda x, y: x**401 * y, {"x": "-10"}),
]


@pytest.mark.parametrize("case", range(len(EDGES)))
def test_edits_at_the_edges_of_floating_point_match_python(browser: Any, tmp_path: Path, case: int) -> None:
    build, change = EDGES[case]
    page = backward_page(build(Value(2.0, label="x"), Value(1.5, label="y"))).save(tmp_path / "edge.html")
    open_page(browser, page, "#step=99")
    edit(browser, change)
    assert shown_error(browser) is None
    leaves = {"x": 2.0, "y": 1.5, **{k: float(v) for k, v in change.items()}}
    assert_matches_python(
        browser,
        python_numbers(
            lambda a, b: build(Value(a, label="x"), Value(b, label="y")), leaves["x"], leaves["y"]
        ),
    )
    no_errors(browser)


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


def test_step_links_out_of_range_are_clamped(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    page = write_backward_html(3 * x**2 + 2, tmp_path / "steps.html")
    for hash, step in [
        ("#step=0", 1),
        ("#step=99999", 8),
        ("#step=99999999999999999999999", 8),
        ("#step=abc", 1),
        ("#step=-1", 1),
        ("#step=", 1),
        ("#step=3.7", 3),
        ("#foo&step=4", 4),
    ]:
        open_page(browser, page, hash)
        assert counter(browser) == f"Step {step} of 8", hash
        assert browser.current_url.endswith(f"#step={step}")


def test_keys_typed_into_an_input_edit_it_and_do_not_step(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    page = write_backward_html(3 * x**2 + 2, tmp_path / "steps.html")
    open_page(browser, page, "#step=3")
    field = browser.find_element(by().CSS_SELECTOR, 'input[data-leaf="x"]')
    field.click()
    field.send_keys(keys().END, keys().ARROW_LEFT, keys().ARROW_RIGHT, keys().HOME, keys().ARROW_DOWN, " ")
    assert counter(browser) == "Step 3 of 8"
    assert browser.find_element(by().ID, "play").text.endswith("Play")  # space typed, not play
    field.send_keys(keys().END, keys().BACKSPACE * 4, "3")
    assert shown_error(browser) is None and numbers(browser)[0] == (3.0, 18.0)
    no_errors(browser)


def test_play_at_the_last_step_starts_again_from_the_first(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    page = write_backward_html(3 * x**2 + 2, tmp_path / "steps.html")
    open_page(browser, page, "#step=8")
    play = browser.find_element(by().ID, "play")
    play.click()
    try:
        assert counter(browser) == "Step 1 of 8" and play.text.endswith("Pause")
    finally:
        play.click()
    assert play.text.endswith("Play")


def test_a_broadcasting_tensor_page_steps_without_inputs(browser: Any, tmp_path: Path) -> None:
    A = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = Tensor([1.0, -2.0], requires_grad=True)
    page = backward_page((A * b + 1.0).tanh().sum()).save(tmp_path / "tensor.html")
    open_page(browser, page)
    assert browser.find_elements(by().CSS_SELECTOR, "input[data-leaf]") == []
    browser.find_element(by().TAG_NAME, "body").send_keys(keys().END)
    assert counter(browser) == "Step 11 of 11"
    assert "summed over the broadcast axes" in browser.find_element(by().ID, "sentence").text
    no_errors(browser)


def test_modules_with_markup_names_open_as_text(browser: Any, tmp_path: Path) -> None:
    rng = random.Random(0)
    xs = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(3)]
    names: dict[str, Value] = {}
    outs = []
    hostile = ["<img src=x onerror=window['__pwned']=1>", "\"><svg onload=window['__pwned']=2>", "{d:0}"]
    for k, name in enumerate(hostile * 3):
        ws = [Value(rng.uniform(-1, 1)) for _ in xs]
        for j, w in enumerate(ws):
            names[f"{name}{k}.w.{j}"] = w
        s = Value(0.1)
        names[f"{name}{k}.b"] = s
        for w, x in zip(ws, xs):
            s = s + w * x
        outs.append(s.tanh())
    L = outs[0]
    for o in outs[1:]:
        L = L + o
    page = backward_page(L, names=names, max_nodes=60).save(tmp_path / "modules.html")
    open_page(browser, page)
    boxes = browser.find_elements(by().CSS_SELECTOR, "#picture g[id^='b'].node")
    assert len(boxes) == 9
    titles = []
    for box in boxes:
        box.click()
        shown = [d for d in browser.find_elements(by().CSS_SELECTOR, ".detail") if d.is_displayed()]
        assert len(shown) == 1
        titles.append(shown[0].find_element(by().TAG_NAME, "h2").text.removesuffix("close").strip())
    assert sorted(titles) == sorted(f"{name}{k}" for k, name in enumerate(hostile * 3))
    assert browser.execute_script(
        "return window.__pwned === undefined && !document.querySelector('img, main svg svg[onload]')"
    )
    no_errors(browser)


def test_an_mlp_collapses_and_its_data_inputs_stay_live(browser: Any, tmp_path: Path) -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [8, 8, 1])

    def loss(a: float, b: float) -> Value:
        return (model([Value(a, label="x0"), Value(b, label="x1")]) - 1.0) ** 2

    page = backward_page(loss(0.5, -1.0), module=model).save(tmp_path / "mlp.html")
    open_page(browser, page)
    offered = browser.execute_script(
        "return Array.from(document.querySelectorAll('input[data-leaf]'))"
        ".map(i => i.getAttribute('data-leaf'));"
    )
    assert sorted(offered) == ["x0", "x1"]  # not the 113 parameters
    body = browser.find_element(by().TAG_NAME, "body")
    body.send_keys(keys().ARROW_RIGHT, keys().END, " ")
    assert counter(browser) == "Step 1 of 1"
    edit(browser, {"x0": "2"})
    assert shown_error(browser) is None
    expected = python_numbers(loss, 2.0, -1.0)
    shown = numbers(browser)
    assert shown and set(shown) <= set(expected)  # the values drawn outside the boxes
    for i, (data, grad) in shown.items():
        assert same(data, expected[i][0]) and same(grad, expected[i][1]), i
    no_errors(browser)


# --- found by the attack, fixed -----------------------------------------------------------------------

SLOTS = ["{d:0}", "{l:1:0}", "{d:999}", "{g:2}x", "{{v:0:0}}", "}{"]


@needs_dot
@pytest.mark.parametrize("label", SLOTS)
def test_a_label_that_looks_like_a_slot_reads_as_itself(label: str) -> None:
    from autograd.viz import backward_steps

    L = neuron(label_x=label)
    sentences = [s.sentence for s in backward_steps(L)]
    assert any(f"d({label})" in s or f"d{label}" in s for s in sentences)
    page = backward_page(L, names={f"{label}.w": Value(1.0)})
    assert page.steps == 9


@pytest.mark.parametrize("label", SLOTS)
def test_a_label_that_looks_like_a_slot_keeps_the_page_working(
    browser: Any, tmp_path: Path, label: str
) -> None:
    page = backward_page(neuron(label_x=label)).save(tmp_path / "slot.html")
    open_page(browser, page, "#step=9")
    no_errors(browser)
    assert counter(browser) == "Step 9 of 9"
    assert label in browser.find_element(by().ID, "sentence").text


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


@needs_dot
def test_an_unlabelled_leaf_is_a_constant_not_an_input() -> None:
    x = Value(2.0, label="x")
    page = backward_page(Value(3.0) * x + 1).html
    assert 'data-leaf="x"' in page and 'data-leaf="3"' not in page
    assert "The inputs: x = 2." in page


def test_reset_brings_back_a_nan_start(browser: Any, tmp_path: Path) -> None:
    x, y = Value(math.nan, label="x"), Value(2.0, label="y")
    page = backward_page(x * y + y).save(tmp_path / "nan.html")
    open_page(browser, page, "#step=4")
    before = numbers(browser)
    edit(browser, {"x": "1"})
    assert numbers(browser) != before
    browser.find_element(by().ID, "reset").click()
    assert shown_error(browser) is None
    after = numbers(browser)
    assert all(same(a[0], b[0]) and same(a[1], b[1]) for a, b in zip(after.values(), before.values()))


def test_exact_ties_round_to_even_as_python(browser: Any, tmp_path: Path) -> None:
    from autograd.viz.steps import number_text

    x = Value(1.0, label="x")
    page = backward_page(x * 2).save(tmp_path / "ties.html")
    open_page(browser, page, "#step=4")
    for v in [100.25, 1.0625, 1234.5, -100.25, 0.00012345, 2.5e-7, 100.35]:
        edit(browser, {"x": repr(v / 2)})
        shown = browser.find_element(by().ID, "v1").text
        assert f"data {number_text(v)}" in shown, (v, shown)


@needs_dot
def test_arguments_are_named_by_the_function_called() -> None:
    x = Value(2.0, label="x")
    for timeout in (math.nan, math.inf, "5", 0, -1, True):
        with pytest.raises(ValueError, match="^backward_page: timeout must be"):
            backward_page(x * 3, timeout=timeout)  # type: ignore[arg-type]
    for names in ("x", [("a", x, 1)], {"a": [x]}):
        with pytest.raises(TypeError, match="^backward_page: names"):
            backward_page(x * 3, names=names)  # type: ignore[arg-type]
    for name in ("..w", "...", ".w"):  # empty module parts once recursed forever
        assert backward_page(x * 3, names={name: x}).steps == 4


@needs_dot
def test_too_big_even_in_boxes_says_so() -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [4, 1])
    loss = model([Value(1.0, label="a"), Value(2.0, label="b")])
    with pytest.raises(ValueError, match="even with a box per module; raise max_nodes"):
        backward_page(loss, module=model, max_nodes=2)


@needs_dot
def test_zero_width_and_bidi_marks_are_written_as_escapes() -> None:
    for mark in ("\u200b", "\u200e", "\u200f", "\ufeff", "\u061c"):
        page = backward_page(neuron(label_x=f"a{mark}b")).html
        assert mark not in page
