"""The step page in a real browser: headless Chromium, driven by Selenium (the ``browser``
fixture of conftest.py, which skips with the reason when something it needs is missing)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import autograd
import nn
from autograd import Value, engine, ops
from autograd.primitive import Primitive
from autograd.viz import backward_page, write_backward_html

By = pytest.importorskip("selenium.webdriver.common.by").By
Keys = pytest.importorskip("selenium.webdriver.common.keys").Keys


def open_page(driver: Any, path: Path, step: int | None = None) -> None:
    driver.get(path.resolve().as_uri() + (f"#step={step}" if step else ""))
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def sentence(driver: Any) -> Any:
    return driver.find_element(By.ID, "sentence")


def numbers(driver: Any) -> dict[int, tuple[float, float]]:
    """Each value's data and gradient as the page holds them (full precision), by node index."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#picture g.node.value')).map("
        "g => [g.id, g.getAttribute('data-data'), g.getAttribute('data-grad')]);"
    )
    return {int(i[1:]): (float(d), float(g)) for i, d, g in rows}


# --- stepping ---------------------------------------------------------------------------------------


def test_forward_then_backward_with_keys_buttons_and_links(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    page = write_backward_html(3 * x**2 + 2, tmp_path / "steps.html")
    open_page(browser, page)
    counter = browser.find_element(By.ID, "counter")
    assert counter.text == "Step 1 of 8"
    assert sentence(browser).get_attribute("data-step") == "1"
    assert sentence(browser).text.startswith("The inputs: x = 2.")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert sentence(browser).text == "x² = 2² = 4"
    assert browser.find_element(By.ID, "phase").text == "forward pass"
    x_box = browser.find_element(By.ID, "v0")
    assert "grad ?" in x_box.text and "data 2" in x_box.text  # a gradient shows once it is final
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert sentence(browser).text == "L = 3·x² + 2 = 12 + 2 = 14"
    body.send_keys(Keys.END)
    assert counter.text == "Step 8 of 8" and sentence(browser).get_attribute("data-step") == "8"
    assert sentence(browser).text == (
        "dL/dx = 12: x feeds x², whose local derivative ∂(x²)/∂x = 2x = 4; by the chain rule "
        "dL/dx = dL/d(x²) · ∂(x²)/∂x = 3 · 4 = 12."
    )
    assert "grad 12" in x_box.text
    assert browser.find_element(By.CSS_SELECTOR, ".edge-label").text == "∂(x²)/∂x = 2x = 4"
    assert [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#sofar li")] == [
        "dL/dL = 1",
        "dL/d(3·x²) = 1",
        "dL/d(x²) = 3",
        "dL/dx = 12",
    ]
    assert browser.find_element(By.ID, "next").get_attribute("disabled") is not None
    browser.find_element(By.ID, "prev").click()
    assert sentence(browser).get_attribute("data-step") == "7"
    assert browser.current_url.endswith("#step=7")
    open_page(browser, page, step=5)  # a link to a step opens it
    assert sentence(browser).get_attribute("data-step") == "5" and sentence(browser).text.startswith(
        "dL/dL = 1"
    )
    browser.find_element(By.ID, "play").click()
    assert browser.find_element(By.ID, "play").text.endswith("Pause")
    browser.find_element(By.ID, "play").click()
    assert browser.find_element(By.ID, "play").text.endswith("Play")


def test_the_hooks_name_every_value(browser: Any, tmp_path: Path) -> None:
    x, w, b = Value(0.5, label="x"), Value(-2.0, label="w"), Value(1.0, label="b")
    n = x * w + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    page = backward_page(o).save(tmp_path / "neuron.html")
    open_page(browser, page, step=9)
    names = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-node]')).map(g => g.getAttribute('data-node'));"
    )
    assert sorted(names) == sorted(["x", "w", "b", "x·w", "n", "o"])
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".edge-label")]
    assert "do/dx = -2" in sentence(browser).text and labels == ["∂(x·w)/∂x = w = -2"]
    assert [
        i.get_attribute("data-leaf") for i in browser.find_elements(By.CSS_SELECTOR, "input[data-leaf]")
    ] == [
        "b",
        "w",
        "x",
    ]


# --- live editing -------------------------------------------------------------------------------------


def every_primitive(x: float, y: float, z: float) -> Value:
    """A graph that uses every built-in primitive with a float forward, and the composites."""
    X, Y, Z = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    a = X * Y + Z
    b = a.exp() / (1 + Y**2)
    c = (Z.log() + X.abs().sqrt()) * b.tanh()
    e = (X - Y).relu() + (a * 0.5).sigmoid() + Y.erf() + Z**X
    f = autograd.maximum(X, Y) - autograd.minimum(Y, Z) * X.gelu()
    L = c + e + f
    L.label = "L"
    return L


def test_the_graph_uses_every_scalar_primitive() -> None:
    built_in = {v.name for v in vars(ops).values() if isinstance(v, Primitive) and v.floats}
    used = {n._op.primitive.name for n in engine.toposort([every_primitive(0.7, -1.3, 2.1)]) if n._prev}
    assert built_in <= used


def edit(driver: Any, values: dict[str, float | str]) -> None:
    """Put each value into its leaf's input at once, as a paste does (typing 1e999 would pass
    through 1e99 on the way)."""
    for name, value in values.items():
        field = driver.find_element(By.CSS_SELECTOR, f'input[data-leaf="{name}"]')
        driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
            field,
            str(value),
        )


@pytest.mark.parametrize("leaves", [(0.3, 0.9, 1.7), (-1.2, 0.4, 3.0), (2.5, -0.05, 0.2), (1e-3, -4.0, 40.0)])
def test_editing_an_input_recomputes_what_python_computes(
    browser: Any, tmp_path: Path, leaves: tuple[float, float, float]
) -> None:
    page = backward_page(every_primitive(0.7, -1.3, 2.1)).save(tmp_path / "every.html")
    open_page(browser, page)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
    edit(browser, dict(zip("xyz", leaves)))
    assert browser.find_element(By.ID, "error").get_attribute("hidden") is not None
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
        if browser.find_element(By.ID, f"v{i}").get_attribute("data-node") == "x"
    )
    assert sentence(browser).text.startswith("dL/d")
    assert any(
        f"grad {fmt(x_grad)}" in g.text
        for g in browser.find_elements(By.CSS_SELECTOR, "#picture g.node.value")
    )


def fmt(x: float) -> str:
    from autograd.viz.steps import number_text

    return number_text(x)


def test_a_bad_input_names_the_problem_and_keeps_the_numbers(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    L = (x.log() * 3) ** 2
    page = backward_page(L).save(tmp_path / "log.html")
    open_page(browser, page, step=4)
    before = numbers(browser)
    for text, why in [
        ("abc", 'x: "abc" is not a finite number'),
        ("", 'x: "" is not a finite number'),
        ("1e999", 'x: "1e999" is not a finite number'),
        ("-1", "log: input must be positive"),
    ]:
        edit(browser, {"x": text})
        error = browser.find_element(By.ID, "error")
        assert error.is_displayed() and why in error.text
        assert numbers(browser) == before
    browser.find_element(By.ID, "reset").click()
    assert not browser.find_element(By.ID, "error").is_displayed()
    edit(browser, {"x": "4"})
    assert numbers(browser)[0] == (4.0, pytest.approx(2 * 3 * math.log(4) * 3 / 4, rel=1e-12))


# --- big and wide graphs --------------------------------------------------------------------------------


def test_a_wide_graph_scrolls_instead_of_shrinking(browser: Any, tmp_path: Path) -> None:
    x = Value(0.1, label="x")
    y = x
    for _ in range(20):
        y = (y * 1.1 + 0.01).tanh()
    page = backward_page(y).save(tmp_path / "wide.html")
    open_page(browser, page)
    text_px = browser.execute_script(
        "return document.querySelector('#picture g.node.value text').getBoundingClientRect().height;"
    )
    picture = browser.find_element(By.ID, "picture")
    assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth;", picture)
    assert text_px >= 11  # 11 pt type at the smallest scale, 0.8: readable; the rest scrolls and pans


def test_an_mlp_collapses_into_modules_that_open_on_click(browser: Any, tmp_path: Path) -> None:
    nn.manual_seed(0)
    model = nn.MLP(2, [8, 8, 1])
    loss = (model([Value(0.5, label="x0"), Value(-1.0, label="x1")]) - 1.0) ** 2
    page = backward_page(loss, module=model).save(tmp_path / "mlp.html")
    open_page(browser, page)
    assert not browser.find_element(By.CSS_SELECTOR, ".controls").is_displayed()
    boxes = browser.find_elements(By.CSS_SELECTOR, "#picture g[id^='b'].node")
    assert len(boxes) >= 3 and all("‖grad‖" in b.text for b in boxes)
    assert not any(d.is_displayed() for d in browser.find_elements(By.CSS_SELECTOR, ".detail"))
    boxes[0].click()
    shown = [d for d in browser.find_elements(By.CSS_SELECTOR, ".detail") if d.is_displayed()]
    assert len(shown) == 1 and "grad" in shown[0].text
    before = boxes[-1].text
    edit(browser, {"x0": "2"})
    assert boxes[-1].text != before  # the boxes' numbers follow the inputs


def test_inline_in_jupyter_the_page_runs_in_its_iframe(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    cell = tmp_path / "cell.html"
    cell.write_text(f"<!DOCTYPE html><html><body>{backward_page(3 * x**2 + 2)._repr_html_()}</body></html>")
    open_page(browser, cell)
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    try:
        browser.find_element(By.ID, "next").click()
        assert sentence(browser).get_attribute("data-step") == "2"
        edit(browser, {"x": "3"})
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
        assert "dL/dx = 18" in sentence(browser).text
    finally:
        browser.switch_to.default_content()
    assert html.escape("<!DOCTYPE html>") in cell.read_text()


def test_screenshots_of_the_page(browser: Any, tmp_path: Path) -> None:
    """Pictures to look at (kept in pytest's tmp folder): each is a real PNG of the page."""
    x = Value(2.0, label="x")
    page = backward_page(3 * x**2 + 2).save(tmp_path / "steps.html")
    shots: list[tuple[str, Callable[[], None]]] = [
        ("forward", lambda: open_page(browser, page, step=3)),
        ("backward", lambda: open_page(browser, page, step=8)),
        ("edited", lambda: edit(browser, {"x": "-1.5"})),
    ]
    for name, act in shots:
        act()
        shot = tmp_path / f"{name}.png"
        assert browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000 and shot.read_bytes().startswith(b"\x89PNG")
