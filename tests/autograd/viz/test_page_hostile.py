"""The step page in a browser against careless and hostile input: labels and module names that look
like markup or like the page's own slots, numbers at the edges of floating point, inputs edited to
where an op is undefined. Each test guards behaviour that holds today; they skip themselves (with
the reason) when Chromium, chromedriver, Selenium or Graphviz's dot is missing."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from viz_helpers import (
    MARKUP,
    SLOTS,
    assert_matches_python,
    by,
    counter,
    edit,
    keys,
    neuron,
    no_errors,
    numbers,
    open_page,
    python_numbers,
    shown_error,
)

import autograd
from autograd import Value
from autograd.viz import backward_page

# --- labels and names -------------------------------------------------------------------------


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


@pytest.mark.parametrize("label", SLOTS)
def test_a_label_that_looks_like_a_slot_keeps_the_page_working(
    browser: Any, tmp_path: Path, label: str
) -> None:
    page = backward_page(neuron(label_x=label)).save(tmp_path / "slot.html")
    open_page(browser, page, "#step=9")
    no_errors(browser)
    assert counter(browser) == "Step 9 of 9"
    assert label in browser.find_element(by().ID, "sentence").text


# --- numbers ----------------------------------------------------------------------------------

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
