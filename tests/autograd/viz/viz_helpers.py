"""What the viz tests share: the running example, readers of DOT sources and of the step page's
model, and the hands that drive the step page in a browser (the ``browser`` fixture of
tests/conftest.py, which skips with the reason when Chromium, chromedriver or Selenium is missing).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import autograd
from autograd import Value, engine

ROOT = Path(__file__).resolve().parents[3]
SVG = "{http://www.w3.org/2000/svg}"
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
# Labels that look like the slots of the page's sentence templates.
SLOTS = ["{d:0}", "{l:1:0}", "{d:999}", "{g:2}x", "{{v:0:0}}", "}{"]


def quadratic() -> tuple[Value, Value]:
    """L = 3x² + 2 at x = 2: the running example (L = 14, dL/dx = 12)."""
    x = Value(2.0, label="x")
    return x, 3 * x**2 + 2


def neuron(
    a: float = 1.5, b: float = -0.5, *, label_x: str = "x", label_y: str = "y", out: str = "out"
) -> Value:
    x, y = Value(a, label=label_x), Value(b, label=label_y)
    z = (x * y + x).tanh()
    z.label = out
    return z


def every_primitive(x: float | Value, y: float | Value, z: float | Value) -> Value:
    """A graph that uses every built-in primitive with a float forward, and the composites (the
    test that it does is in test_trace.py), from numbers or Values (a jvp's)."""
    X, Y, Z = (v if isinstance(v, Value) else Value(v, label=k) for v, k in zip((x, y, z), "xyz"))
    a = X * Y + Z
    b = a.exp() / (1 + Y**2)
    c = (Z.log() + X.abs().sqrt()) * b.tanh()
    e = (X - Y).relu() + (a * 0.5).sigmoid() + Y.erf() + Z**X
    f = autograd.maximum(X, Y) - autograd.minimum(Y, Z) * X.gelu()
    L = c + e + f
    L.label = "L"
    return L


def chain(k: int) -> Value:
    y = Value(0.1, label="x")
    for _ in range(k):
        y = y.tanh()
    return y


# --- DOT sources and the page's model ---------------------------------------------------------------


def node_lines(source: str, kind: str) -> list[str]:
    """DOT statements defining value (``v``), op (``o``) or module-box (``m_``) nodes."""
    pattern = {"v": r"v\d+", "o": r"o\d+", "m": r"m_[\w.]+"}[kind]
    return [line for line in source.splitlines() if re.match(rf"\s*\"?{pattern}\"? \[", line)]


def op_labels(source: str) -> list[str]:
    """The labels of the op nodes (graphviz quotes a label only when it must)."""
    found = [re.search(r'label=(?:"([^"]*)"|([^\s\]]+))', line) for line in node_lines(source, "o")]
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in found if m]


def page_model(page: str) -> dict[str, Any]:
    """The JSON the page's script reads."""
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found[1])  # type: ignore[no-any-return]


# --- the page in a browser --------------------------------------------------------------------------


def by() -> Any:
    return pytest.importorskip("selenium.webdriver.common.by").By


def keys() -> Any:
    return pytest.importorskip("selenium.webdriver.common.keys").Keys


def open_page(driver: Any, path: Path, step: int | str | None = None) -> None:
    """Open the page at ``path``, at step ``step`` (or with a hash such as ``"#step=abc"``), and
    check that the browser logged no error."""
    hash = f"#step={step}" if isinstance(step, int) else (step or "")
    driver.get("about:blank")  # a new hash on the same file would not reload it
    driver.get(path.resolve().as_uri() + hash)
    no_errors(driver)


def no_errors(driver: Any) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def sentence(driver: Any) -> Any:
    return driver.find_element(by().ID, "sentence")


def numbers(driver: Any) -> dict[int, tuple[float, float]]:
    """Each value's data and gradient as the page holds them (full precision), by node index."""
    rows = driver.execute_script(
        "return Array.from(document.querySelectorAll('#picture g.node.value')).map("
        "g => [g.id, g.getAttribute('data-data'), g.getAttribute('data-grad')]);"
    )
    return {int(i[1:]): (float(d), float(g)) for i, d, g in rows}


def edit(driver: Any, values: dict[str, Any]) -> None:
    """Put each value into the input of the leaf of that name at once, as a paste does (typing
    1e999 would pass through 1e99 on the way)."""
    for name, text in values.items():
        field = driver.execute_script(
            "return Array.from(document.querySelectorAll('input[data-leaf]'))"
            ".find(i => i.getAttribute('data-leaf') === arguments[0]);",
            name,
        )
        assert field is not None, name
        driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
            field,
            str(text),
        )


def shown_error(driver: Any) -> str | None:
    e = driver.find_element(by().ID, "error")
    return None if e.get_attribute("hidden") is not None else e.text


def counter(driver: Any) -> str:
    return driver.find_element(by().ID, "counter").get_attribute("textContent")  # type: ignore[no-any-return]


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
