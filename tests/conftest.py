"""Shared fixtures: ``registry`` (a test may define primitives: the registry is put back after
it), and ``browser``, a headless Chromium driven by Selenium, for the step page's tests.

A test that asks for ``browser`` skips itself (with the reason) when Chromium, chromedriver,
Selenium or Graphviz's dot is missing. ``make mutate`` runs the op tests with one derivative rule
changed, named by the environment variable AUTOGRAD_MUTANT (see tests/mutate.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd.primitive import restore, snapshot


def pytest_configure(config: pytest.Config) -> None:
    spec = os.environ.get("AUTOGRAD_MUTANT")
    if spec:
        from mutate import apply

        apply(spec)


@pytest.fixture
def registry() -> Iterator[None]:
    """Primitives a test defines are gone after it."""
    saved = snapshot()
    try:
        yield
    finally:
        restore(saved)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    if not Path(CHROMEDRIVER).exists():
        pytest.skip("chromedriver is not installed")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")  # fresh: nothing from earlier runs
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
        "--window-size=1300,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
