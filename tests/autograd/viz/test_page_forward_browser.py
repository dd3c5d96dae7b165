"""The forward-mode step page in a real browser (the ``browser`` fixture of tests/conftest.py):
stepping through values and tangents, links to steps, editing an input recomputes every value and
tangent as Python's jvp does at the new point (1e-12) on a graph using every primitive, bad input,
a jvp= rule the browser's rules disagree with, the notebook cell, and screenshots."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from viz_helpers import (
    by,
    counter,
    edit,
    every_primitive,
    keys,
    no_errors,
    open_page,
    quadratic,
    same,
    sentence,
    shown_error,
)

from autograd import Value, primitive
from autograd.viz import backward_page, write_backward_html
from autograd.viz.graph import GraphView
from autograd.viz.steps import number_text
from autograd.viz.tangents import engine_tangents

Pairs = dict[int, tuple[float, float]]


def shown(driver: Any) -> Pairs:
    """Each value's data and tangent as the page holds them (full precision), by node index."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#picture g.node.value')).map(g => [g.id, "
        "g.getAttribute('data-data'), g.getAttribute('data-tangent'), g.getAttribute('data-grad')]);"
    )
    assert all(grad is None for *_, grad in rows)  # forward mode finds no gradients
    return {int(i[1:]): (float(d), float(t)) for i, d, t, _ in rows}


def by_jvp(build: Callable[..., Value], wrt: str, *leaves: float) -> Pairs:
    """Each value's data and its tangent by Python's forward mode (autograd.func.jvp)."""
    g = GraphView(build(*leaves), root_name="L")
    x = next(n for n in g.order if not n._prev and n.label == wrt)
    total = engine_tangents(g, x)
    return {i: (n.data, total.get(n, 0.0)) for i, n in enumerate(g.order)}


def assert_matches(driver: Any, expected: Pairs) -> None:
    got = shown(driver)
    assert got.keys() == expected.keys()
    for i, (data, tangent) in expected.items():
        assert same(got[i][0], data) and same(got[i][1], tangent), (i, got[i], (data, tangent))


def test_values_and_tangents_step_by_step(browser: Any, tmp_path: Path) -> None:
    x, L = quadratic()
    page = write_backward_html(L, tmp_path / "forward.html", mode="forward", wrt=x)
    open_page(browser, page)
    assert counter(browser) == "Step 1 of 4" and browser.find_element(by().ID, "phase").text == "forward mode"
    assert sentence(browser).text.startswith("The inputs: x = 2. Forward mode computes each value")
    box = {i: browser.find_element(by().ID, f"v{i}") for i in range(4)}
    assert "tangent 1" in box[0].text and "data ?" in box[1].text and "tangent ?" in box[1].text
    assert "wrt" in box[0].get_attribute("class").split()
    browser.find_element(by().TAG_NAME, "body").send_keys(keys().ARROW_RIGHT)
    assert sentence(browser).text == "x² = 2² = 4; d(x²)/dx = 2x · dx/dx = 4 · 1 = 4"
    assert browser.find_element(by().CSS_SELECTOR, ".edge-label").text == "∂(x²)/∂x = 2x = 4"
    assert "tangent 4" in box[1].text and "tangent ?" in box[2].text
    assert shown(browser) == {0: (2.0, 1.0), 1: (4.0, 4.0), 2: (12.0, 12.0), 3: (14.0, 12.0)}
    browser.find_element(by().TAG_NAME, "body").send_keys(keys().END)
    assert counter(browser) == "Step 4 of 4" and browser.current_url.endswith("#step=4")
    assert sentence(browser).get_attribute("data-step") == "4"
    assert [li.text for li in browser.find_elements(by().CSS_SELECTOR, "#sofar li")] == [
        "dx/dx = 1",
        "d(x²)/dx = 4",
        "d(3·x²)/dx = 12",
        "dL/dx = 12",
    ]
    assert browser.find_element(by().ID, "sofar-title").text == "Tangents so far"
    edit(browser, {"x": "3"})  # every value, tangent and number in the sentence follows
    assert shown_error(browser) is None
    assert shown(browser) == {0: (3.0, 1.0), 1: (9.0, 6.0), 2: (27.0, 18.0), 3: (29.0, 18.0)}
    assert sentence(browser).text == "L = 3·x² + 2 = 27 + 2 = 29; dL/dx = 1 · d(3·x²)/dx = 1 · 18 = 18"
    assert "tangent 18" in box[3].text
    browser.find_element(by().ID, "reset").click()
    assert shown(browser)[3] == (14.0, 12.0)
    open_page(browser, page, step=2)  # a link to a step opens it
    assert sentence(browser).get_attribute("data-step") == "2" and "d(x²)/dx" in sentence(browser).text
    no_errors(browser)


def test_editing_recomputes_what_jvp_computes_on_every_primitive(browser: Any, tmp_path: Path) -> None:
    start = (0.7, -1.3, 2.1)
    L = every_primitive(*start)
    points = {
        "x": [(0.3, 0.9, 1.7), (-1.2, 0.4, 3.0), (2.5, -0.05, 0.2)],
        "y": [(1e-3, -4.0, 40.0)],
        "z": [start],
    }
    for wrt, edits in points.items():
        x = next(n for n in GraphView(L).order if n.label == wrt)
        page = backward_page(L, mode="forward", wrt=x).save(tmp_path / f"every-{wrt}.html")
        open_page(browser, page, step=999)
        assert shown(browser) == by_jvp(every_primitive, wrt, *start)  # Python's numbers, exactly
        for leaves in edits:
            edit(browser, dict(zip("xyz", map(repr, leaves))))
            assert shown_error(browser) is None
            expected = by_jvp(every_primitive, wrt, *leaves)
            assert_matches(browser, expected)
            assert sentence(browser).text.endswith(f"= {number_text(expected[max(expected)][1])}")
        no_errors(browser)


def test_the_neuron_by_its_weight_and_a_bad_input(browser: Any, tmp_path: Path) -> None:
    def neuron(x1: float, w1: float) -> Value:
        n = Value(x1, label="x1") * Value(w1, label="w1") + Value(0.5, label="b")
        n.label = "n"
        o = n.tanh()
        o.label = "o"
        return o

    o = neuron(2.0, -0.3)
    w1 = next(n for n in GraphView(o).order if n.label == "w1")
    page = backward_page(o, mode="forward", wrt=w1).save(tmp_path / "neuron.html")
    open_page(browser, page, step=4)
    offered = [
        i.get_attribute("data-leaf") for i in browser.find_elements(by().CSS_SELECTOR, "input[data-leaf]")
    ]
    assert offered == ["b", "w1", "x1"]
    edit(browser, {"w1": "0.7", "x1": "-1.5"})
    assert_matches(browser, by_jvp(neuron, "w1", -1.5, 0.7))
    assert shown(browser)[max(shown(browser))][1] == pytest.approx(
        -1.5 * (1 - math.tanh(-0.55) ** 2), rel=1e-12
    )
    before = shown(browser)
    edit(browser, {"w1": "abc"})
    assert shown_error(browser) == 'w1: "abc" is not a finite number' and shown(browser) == before
    x = Value(2.0, label="x")
    page = backward_page((x.log() * 3) ** 2, mode="forward", wrt=x).save(tmp_path / "log.html")
    open_page(browser, page, step=4)
    edit(browser, {"x": "-1"})
    assert "log: input must be positive" in (shown_error(browser) or "")
    assert shown(browser)[max(shown(browser))] == pytest.approx((9 * math.log(2) ** 2, 18 * math.log(2) / 2))


def test_a_jvp_rule_the_browser_disagrees_with_turns_editing_off(
    browser: Any, tmp_path: Path, registry: None
) -> None:
    cube = primitive(  # its jvp= is wrong: Python's tangent is not what its rules give
        "wrong-cube",
        floats=lambda a: a**3,
        rules=[lambda g, out, a: g * 3 * a * a],
        jvp=lambda tangents, out, a: 2 * a * a * tangents[0],
        js="a * a * a",
    )
    x = Value(2.0, label="x")
    page = backward_page(cube(x) * 2, mode="forward", wrt=x).save(tmp_path / "wrong.html")
    open_page(browser, page, step=3)
    assert "Editing is off: in the browser wrong-cube(x) = 8 with tangent 12, in Python 8 and 8" in (
        shown_error(browser) or ""
    )
    assert browser.find_element(by().CSS_SELECTOR, 'input[data-leaf="x"]').get_attribute("disabled")
    assert shown(browser)[2] == (16.0, 16.0)  # Python's numbers stay


def test_inline_in_jupyter_and_screenshots(browser: Any, tmp_path: Path) -> None:
    """The notebook cell runs the page in its iframe; the screenshots (kept in pytest's tmp
    folder) are real PNGs of the page to look at."""
    x, L = quadratic()
    cell = tmp_path / "cell.html"
    cell.write_text(
        f"<!DOCTYPE html><html><body>{backward_page(L, mode='forward', wrt=x)._repr_html_()}</body></html>",
        encoding="utf-8",
    )
    open_page(browser, cell)
    browser.switch_to.frame(browser.find_element(by().TAG_NAME, "iframe"))
    try:
        browser.find_element(by().ID, "next").click()
        edit(browser, {"x": "3"})
        browser.find_element(by().TAG_NAME, "body").send_keys(keys().END)
        assert sentence(browser).text.endswith("dL/dx = 1 · d(3·x²)/dx = 1 · 18 = 18")
        shot = tmp_path / "forward.png"
        assert browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000 and shot.read_bytes().startswith(b"\x89PNG")
    finally:
        browser.switch_to.default_content()
