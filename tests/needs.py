"""Tests that need a program from outside Python: skipped with the reason locally, failed in CI.

LibreOffice (tests/libreoffice.py) and the browser (tests/browser.py) both go through
``require``, so the two kinds of test treat a missing program the same way.
"""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    """True when the CI variable is set (to anything but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require(reason: str | None, what: str) -> None:
    """Skip the calling test with ``reason`` when it is not None, or fail it in CI.

    ``what`` names the tests, as the failure says: "CI must not skip {what}".
    """
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI is set, and CI must not skip {what})")
    pytest.skip(reason)
