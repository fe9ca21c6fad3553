"""The installed package's version, looked up once from its metadata: never written by hand."""

from __future__ import annotations

from functools import cache


@cache
def package_version() -> str:
    """What ``pip`` installed; a source tree that was never installed says so."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trackerkit")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"
