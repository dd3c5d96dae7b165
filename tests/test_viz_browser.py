"""The step-by-step page in a real browser: headless Chromium, driven by Selenium.

Skips itself (with the reason) when Chromium, chromedriver, Selenium or Graphviz's dot is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograd import Value
from autograd.viz import write_backward_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
    pytest.mark.skipif(not Path(CHROMEDRIVER).exists(), reason="chromedriver is not installed"),
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed"),
]

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",  # fresh: nothing from earlier runs
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def visible_sentence(driver: object) -> str:
    from selenium.webdriver.common.by import By

    shown = [s for s in driver.find_elements(By.CSS_SELECTOR, ".step") if s.is_displayed()]  # type: ignore[attr-defined]
    assert len(shown) == 1, "exactly one step is shown at a time"
    return shown[0].find_element(By.CSS_SELECTOR, ".sentence").text


def test_arrow_keys_walk_to_the_last_step(browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    x = Value(2.0, label="x")
    page = write_backward_html(3 * x**2 + 2, tmp_path / "steps.html")
    driver = browser
    driver.get(page.resolve().as_uri())  # type: ignore[attr-defined]
    counter = driver.find_element(By.ID, "counter")  # type: ignore[attr-defined]
    assert counter.text == "Step 1 of 4"
    assert visible_sentence(driver).startswith("dL/dL = 1")
    assert "dL/dx = 12" not in visible_sentence(driver)

    body = driver.find_element(By.TAG_NAME, "body")  # type: ignore[attr-defined]
    for _ in range(3):
        body.send_keys(Keys.ARROW_RIGHT)
    assert counter.text == "Step 4 of 4"
    sentence = visible_sentence(driver)
    assert sentence.startswith("dL/dx = 12")
    assert "3 · 2x = 3 · 4 = 12" in sentence
    slider = driver.find_element(By.ID, "slider")  # type: ignore[attr-defined]
    assert slider.get_attribute("value") == "4"
    assert driver.find_element(By.ID, "next").get_attribute("disabled") is not None  # type: ignore[attr-defined]
    # The picture beside the sentence is the rendered SVG of this step.
    shown = [s for s in driver.find_elements(By.CSS_SELECTOR, ".step") if s.is_displayed()]  # type: ignore[attr-defined]
    assert "grad 12.0000" in shown[0].find_element(By.TAG_NAME, "svg").text

    body.send_keys(Keys.ARROW_RIGHT)  # past the end: stays on the last step
    assert counter.text == "Step 4 of 4"
    driver.find_element(By.ID, "prev").click()  # type: ignore[attr-defined]
    assert visible_sentence(driver).startswith("dL/d(x²) = 3")
    body.send_keys(Keys.END)
    assert visible_sentence(driver).startswith("dL/dx = 12")

    shot = tmp_path / "steps.png"
    assert driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000 and shot.read_bytes().startswith(b"\x89PNG")
