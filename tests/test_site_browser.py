"""The resource center in a real browser: headless Chromium, driven by Selenium.

The site is served from a folder two levels down a local web server (as on an intranet)
and opened from ``file://`` (as on a shared drive). Every page is checked with axe-core
for WCAG 2.1 A and AA, every link followed, the tracker downloaded and read back.
"""

from __future__ import annotations

import shutil
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit

import pytest

import browser
from trackerkit import build_site, load_catalog, read_tracker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from selenium.webdriver import Chrome

    from trackerkit import Catalog

FOLDER = "intranet/career-path"
"""Where the site sits on the test web server: not its root, as on most intranets."""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("www")
    build_site(load_catalog(), root / FOLDER)
    return root


@pytest.fixture(scope="module")
def base_url(www: Path) -> Iterator[str]:
    """The site's address on a local web server that serves ``www`` and nothing else."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{FOLDER}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def chrome(downloads: Path) -> Iterator[Chrome]:
    browser.require_browser()
    driver = browser.start(downloads)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def links(driver: Chrome) -> list[str]:
    """Every link and stylesheet of the open page, as absolute addresses (SVG links too)."""
    script = (
        "return Array.from(document.querySelectorAll('a[href], link[href]'))"
        ".map(e => new URL(e.getAttribute('href'), document.baseURI).href);"
    )
    found = driver.execute_script(script)
    assert isinstance(found, list)
    return [str(url) for url in found]


def ids(driver: Chrome) -> set[str]:
    found = driver.execute_script(
        "return Array.from(document.querySelectorAll('[id]')).map(e => e.id);"
    )
    return set(found)


def pages(base_url: str, catalog: Catalog) -> list[str]:
    return [
        base_url + "index.html",
        base_url + "competencies.html",
        *(f"{base_url}roles/{role_id}.html" for role_id in catalog.roles),
    ]


def test_the_map_leads_to_every_role_page(chrome: Chrome, base_url: str, bundled: Catalog) -> None:
    from selenium.webdriver.common.by import By

    for role in bundled.roles.values():
        chrome.get(base_url + "index.html")
        box = chrome.find_element(By.CSS_SELECTOR, f'svg a[href="roles/{role.id}.html"]')
        box.click()
        assert chrome.current_url == f"{base_url}roles/{role.id}.html"
        assert chrome.find_element(By.TAG_NAME, "h1").text == role.long_title


def test_every_link_resolves_and_only_catalogue_addresses_leave_the_site(
    chrome: Chrome, base_url: str, bundled: Catalog
) -> None:
    outside = {role.job_description_url for role in bundled.roles.values()}
    outside |= {course.url for course in bundled.courses.values()}
    seen: dict[str, set[str]] = {}
    to_visit = [base_url + "index.html"]
    targets: set[str] = set()
    while to_visit:
        page = to_visit.pop()
        if page in seen:
            continue
        chrome.get(page)
        seen[page] = ids(chrome)
        for url in links(chrome):
            if url.startswith("data:"):  # the empty icon, which keeps browsers from asking
                continue
            if origin(url) != origin(base_url):
                assert url in outside, f"{page} links to another host: {url}"
                continue
            assert url.startswith(base_url), f"{page} links outside the site's folder: {url}"
            targets.add(url)
            address, _ = urldefrag(url)
            if address.endswith(".html"):
                to_visit.append(address)
    assert set(seen) == set(pages(base_url, bundled))
    for url in sorted(targets):
        address, fragment = urldefrag(url)
        with urllib.request.urlopen(address, timeout=30) as response:  # noqa: S310 - local
            assert response.status == 200, url
        if fragment:
            assert fragment in seen[address], f"{url}: no element has the id {fragment!r}"


def test_a_missing_page_would_be_noticed(base_url: str) -> None:
    """The link check above relies on the server answering 404 for what is not there."""
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base_url + "roles/nobody.html", timeout=30)  # noqa: S310
    caught.value.close()
    assert caught.value.code == 404


def test_no_page_requests_another_host(chrome: Chrome, base_url: str, bundled: Catalog) -> None:
    browser.requested(chrome)  # drain what earlier tests asked for
    for page in pages(base_url, bundled):
        chrome.get(page)
        time.sleep(0.2)  # let late requests (fonts, icons) reach the log
        asked = browser.requested(chrome)
        assert page in asked
        strangers = [url for url in asked if origin(url) != origin(base_url)]
        assert strangers == [], page


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_fits_the_screen_width(
    chrome: Chrome, base_url: str, bundled: Catalog, width: int
) -> None:
    chrome.set_window_size(width, 900)
    try:
        for page in pages(base_url, bundled):
            chrome.get(page)
            inner, scrolled = chrome.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth];"
            )
            assert scrolled <= inner, f"{page} is {scrolled} px wide at {inner} px"
    finally:
        chrome.set_window_size(1280, 1000)


def test_printed_pages_leave_out_the_navigation_and_show_link_addresses(
    chrome: Chrome, base_url: str
) -> None:
    chrome.get(f"{base_url}roles/psr-ii.html")
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        nav, after = chrome.execute_script(
            "return [getComputedStyle(document.querySelector('.masthead nav')).display,"
            " getComputedStyle(document.querySelector('main a[href^=\"http\"]'), '::after')"
            ".content];"
        )
    finally:
        chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert nav == "none"
    assert after.startswith('" (" attr(href)') or "https://" in after


def test_every_page_passes_axe_wcag_21_aa(chrome: Chrome, base_url: str, bundled: Catalog) -> None:
    found = {}
    for page in pages(base_url, bundled):
        chrome.get(page)
        serious = [
            f"{violation['id']} ({violation['impact']}): "
            + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
            for violation in browser.axe_violations(chrome)
            if violation["impact"] in {"serious", "critical"}
        ]
        if serious:
            found[page] = serious
    assert found == {}


def test_axe_finds_a_violation_when_there_is_one(chrome: Chrome, base_url: str) -> None:
    """The check above is only worth something if axe really runs on our pages."""
    chrome.get(base_url + "index.html")
    chrome.execute_script("document.documentElement.removeAttribute('lang');")
    ids_found = {violation["id"] for violation in browser.axe_violations(chrome)}
    assert "html-has-lang" in ids_found


def test_download_gives_the_tracker_read_tracker_reads(
    chrome: Chrome, base_url: str, www: Path, downloads: Path, bundled: Catalog
) -> None:
    from selenium.webdriver.common.by import By

    role = bundled.roles["psr-ii-site-lead"]
    chrome.get(f"{base_url}roles/{role.id}.html")
    link = chrome.find_element(By.LINK_TEXT, "Download the career path tracker")
    link.click()
    file = downloads / f"{role.id}.xlsx"
    deadline = time.monotonic() + 60
    while not file.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert file.is_file(), sorted(path.name for path in downloads.iterdir())
    assert file.read_bytes() == (www / FOLDER / "trackers" / file.name).read_bytes()
    tracker = read_tracker(file)
    assert (tracker.role.id, tracker.errors) == (role.id, ())


def test_the_site_works_from_a_file_url(chrome: Chrome, www: Path, bundled: Catalog) -> None:
    from selenium.webdriver.common.by import By

    index = (www / FOLDER / "index.html").as_uri()
    chrome.get(index)
    browser.requested(chrome)
    chrome.find_element(By.CSS_SELECTOR, 'svg a[href="roles/psr-iii.html"]').click()
    assert chrome.find_element(By.TAG_NAME, "h1").text == bundled.roles["psr-iii"].long_title
    assert all(url.startswith(("file://", "data:")) for url in browser.requested(chrome))
    shown = chrome.execute_script(
        "return getComputedStyle(document.querySelector('.masthead')).display;"
    )
    assert shown == "flex"  # the stylesheet loaded through its relative link


# --- when the browser or axe-core is missing: skip locally, fail in CI --------------------


def test_missing_axe_core_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("AXE_CORE_JS", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")  # the browser is there
    with pytest.raises(pytest.skip.Exception, match="AXE_CORE_JS is not set; apt-get install"):
        browser.require_browser()


def test_missing_chromium_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(browser, "BROWSERS", ("no-such-chromium",))
    with pytest.raises(pytest.fail.Exception, match=r"Chromium is not installed.*CI must not skip"):
        browser.require_browser()


def test_an_old_axe_core_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    old = tmp_path / "axe.min.js"
    old.write_text("/*! axe v3.1.2\n * Copyright (c) 2018 */\n", encoding="utf-8")
    monkeypatch.setenv("AXE_CORE_JS", str(old))
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    assert browser.available() == "AXE_CORE_JS is axe-core 3.1.2, not 4.x"
