"""Headless Chromium for the site's tests, driven by Selenium, with axe-core to inject.

The browser is Debian's ``chromium`` with its ``chromium-driver``; axe-core is the npm
package's ``axe.min.js``, found through the AXE_CORE_JS variable (``.ci/run`` installs
it outside the source tree and sets it). Selenium is given both programs' paths, so it
never looks for or downloads a browser of its own.

Use the ``chrome`` fixture. Like LibreOffice's, it skips with the reason locally when
something is missing, and fails instead when CI is set (tests/needs.py).
Install: apt-get install chromium chromium-driver; npm install axe-core@4, then set
AXE_CORE_JS to node_modules/axe-core/axe.min.js.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from needs import require

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

INSTALL_HINT = (
    "apt-get install chromium chromium-driver; npm install axe-core@4 and set AXE_CORE_JS "
    "to its axe.min.js"
)
BROWSERS = ("chromium", "chromium-browser")
AXE_MAJOR = 4


def chromium() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def axe_source() -> Path | None:
    value = os.environ.get("AXE_CORE_JS", "")
    return Path(value) if value else None


def axe_version(source: Path) -> str | None:
    """The version the axe-core build says it is, from its banner (``axe v4.10.2``)."""
    head = source.read_text(encoding="utf-8")[:400]
    found = re.search(r"axe v(\d+\.\d+\.\d+)", head)
    return found[1] if found else None


def available() -> str | None:
    """None when the browser tests can run, else why not."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "Selenium is not installed; pip install '.[test]'"
    if chromium() is None:
        return f"Chromium is not installed; {INSTALL_HINT}"
    if shutil.which("chromedriver") is None:
        return f"chromedriver is not installed; {INSTALL_HINT}"
    source = axe_source()
    if source is None:
        return f"AXE_CORE_JS is not set; {INSTALL_HINT}"
    if not source.is_file():
        return f"AXE_CORE_JS names {source}, which is not a file; {INSTALL_HINT}"
    version = axe_version(source)
    if version is None or int(version.split(".")[0]) != AXE_MAJOR:
        return f"AXE_CORE_JS is axe-core {version or 'of no known version'}, not 4.x"
    return None


def require_browser() -> None:
    """Skip the calling test when the browser or axe-core is missing, or fail it in CI."""
    require(available(), "browser tests")


def start(downloads: Path) -> Chrome:
    """Headless Chromium that saves downloads into ``downloads`` and logs every request."""
    from selenium.webdriver import Chrome, ChromeOptions
    from selenium.webdriver.chrome.service import Service

    options = ChromeOptions()
    options.binary_location = chromium() or ""
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--no-first-run",
        "--disable-background-networking",  # no update or safe-browsing requests of its own
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = Chrome(options=options, service=Service(shutil.which("chromedriver") or ""))
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    return driver


def requested(driver: Chrome) -> list[str]:
    """The address of every request the pages made since the last call (the log drains)."""
    urls = []
    log: list[dict[str, Any]] = driver.get_log("performance")  # type: ignore[no-untyped-call]
    for entry in log:
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(driver: Chrome) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.1 A and AA on the open page."""
    source = axe_source()
    assert source is not None
    driver.execute_script(source.read_text(encoding="utf-8"))
    script = (
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(result => done(result.violations), error => done(String(error)));"
    )
    result = driver.execute_async_script(script, WCAG_21_AA)
    assert isinstance(result, list), result
    return result
