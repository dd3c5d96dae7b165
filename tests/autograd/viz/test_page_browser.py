"""The step page in a real browser: headless Chromium, driven by Selenium (the ``browser``
fixture of tests/conftest.py, which skips with the reason when something it needs is missing):
stepping, links to steps, the keys and play, editing an input, big and wide graphs, the notebook cell."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from viz_helpers import (
    by,
    counter,
    edit,
    keys,
    no_errors,
    numbers,
    open_page,
    python_numbers,
    same,
    sentence,
    shown_error,
)

import nn
from autograd import Tensor, Value
from autograd.viz import backward_page, write_backward_html

By = pytest.importorskip("selenium.webdriver.common.by").By
Keys = pytest.importorskip("selenium.webdriver.common.keys").Keys

# --- stepping ---------------------------------------------------------------------------------


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


# --- editing ----------------------------------------------------------------------------------


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


# --- big and wide graphs ----------------------------------------------------------------------


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


# --- in a notebook, and as pictures -----------------------------------------------------------


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


def test_the_live_page_replaces_the_static_picture_where_scripts_run(browser: Any, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    cell = backward_page(3 * x**2 + 2)._repr_html_()
    shown = {
        "live": cell,  # Jupyter, VS Code: scripts run
        "sanitized": re.sub(r"<script[\s\S]*?</script>|<iframe[\s\S]*?</iframe>", "", cell),  # GitHub
        "untrusted": re.sub(r"<script[\s\S]*?</script>", "", cell),  # scripts removed, the iframe kept
    }
    for how, body in shown.items():
        path = tmp_path / f"{how}.html"
        path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
        open_page(browser, path)
        still = browser.find_elements(By.CSS_SELECTOR, ".scratchgrad-static svg")
        frames = [f for f in browser.find_elements(By.TAG_NAME, "iframe") if f.is_displayed()]
        if how == "live":
            assert still == [] and len(frames) == 1, how
        else:
            assert frames == [] and len(still) == 1 and still[0].is_displayed(), how
            assert "grad 12" in still[0].text and "data 14" in still[0].text


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
