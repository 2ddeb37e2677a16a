"""Headless Chromium (Debian's, via Playwright), one per test session.

A plugin of the root conftest, so every folder whose tests drive a page (the
browser tests, the fault tests' busy page) shares the one session browser:
Playwright's sync API cannot start a second instance while one is running.
Playwright cannot download its own browsers here, so it drives
/usr/bin/chromium (scripts/ensure-chromium.sh installs it). Outside CI a
missing chromium skips these tests; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live import AXE_JS, PROJECT_ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
VENDOR_CSS = PROJECT_ROOT / "api/static/vendor/nhsuk/nhsuk-frontend.min.css"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def frontend_built() -> None:
    """The NHS.UK assets and axe-core, built by scripts/build-frontend.sh (idempotent)."""
    if VENDOR_CSS.exists() and AXE_JS.exists():
        return
    result = subprocess.run(
        ["scripts/build-frontend.sh"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        _unavailable(f"scripts/build-frontend.sh failed: {result.stderr[-2000:]}")


@pytest.fixture(scope="session")
def browser(frontend_built: None) -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test: its own sessionStorage and clipboard."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
