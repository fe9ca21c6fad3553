"""Shared by the scripts that generate documentation: write the file, or check it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def write_or_check(
    output: Path, render: Callable[[], str], script: str, argv: list[str] | None, about: str
) -> int:
    """Write ``render()`` to ``output``; with --check, exit 1 when the file differs."""
    parser = argparse.ArgumentParser(description=about)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render()
    shown = f"{output.parent.name}/{output.name}"
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{shown} is stale; run scripts/{script}")
            return 1
        return 0
    output.parent.mkdir(exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {shown}")
    return 0
