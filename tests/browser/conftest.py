"""Browser tests: Debian's Chromium (never a downloaded browser) driven by
Playwright's sync API beside Django's live server, at a phone viewport.

Without /usr/bin/chromium the tests are skipped with a reason, except under
CI=true, where a missing browser fails the run. Screenshots go to
``test-artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("XUEFA_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    for item in items:
        if "browser" in item.keywords and not CI:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"))


@pytest.fixture(scope="module", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop in the test thread; Django refuses
    ORM calls from such a thread unless told it is safe, which it is here (the
    loop only waits on the browser). Set for the browser test modules only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    if not CHROMIUM.exists():
        pytest.fail(f"CI needs Chromium at {CHROMIUM} for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized browser context (its own cookies and storage) on the live server."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def desk(browser, live_server):
    """A desktop-sized context for the HR pages."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def shoot():
    """Save a full-page screenshot as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Rules the pages must never break; everything at serious or critical impact fails too.
AXE_ALWAYS = {"label", "color-contrast", "button-name", "link-name", "image-alt", "html-has-lang", "document-title"}


@pytest.fixture
def axe():
    """Run axe-core in the page; fail on the always-rules and on serious or critical findings."""
    if not AXE.exists():
        message = f"axe-core not installed at {AXE}: run `npm ci` (make install does)"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    source = AXE.read_text()

    def check(page, name: str) -> None:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
            if v["id"] in AXE_ALWAYS or v["impact"] in {"serious", "critical"}
        ]
        assert problems == [], f"accessibility of {name}"

    return check
