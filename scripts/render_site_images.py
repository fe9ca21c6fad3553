"""Screenshot the resource center site into docs/images/site-*.png.

Builds the bundled career path's site through the public API into a temporary
folder and has headless Chromium photograph the index (its career path map) and
one role page, on a desktop and at a phone's 375 px, from ``file://`` (the site
needs no web server). Each run uses a fresh browser profile, so nothing of the
machine's own browser shows.

Needs Chromium (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import trackerkit

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "images"
BROWSERS = ("chromium", "chromium-browser")


@dataclass(frozen=True)
class Shot:
    """One picture: which page, at what window size, into which file."""

    page: str
    width: int
    height: int
    name: str


SHOTS = (
    Shot("index.html", 1100, 1000, "site-index.png"),
    Shot("roles/psr-ii-site-lead.html", 1100, 1300, "site-role.png"),
    Shot("roles/psr-ii-site-lead.html", 375, 1000, "site-role-phone.png"),
)


def photograph(browser: str, page: Path, shot: Shot, target: Path, profile: Path) -> None:
    command = [
        browser,
        "--headless=new",
        "--no-sandbox",  # run as root in containers; the page is our own, from a local file
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
        f"--window-size={shot.width},{shot.height}",
        f"--screenshot={target}",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not target.is_file():
        message = f"Chromium could not photograph {shot.page}: {done.stderr.strip()[-500:]}"
        raise RuntimeError(message)


def render(out_dir: Path) -> list[str]:
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        raise RuntimeError("Chromium is not installed; apt-get install chromium")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="trackerkit-site-images-") as work:
        site = Path(work) / "site"
        trackerkit.build_site(trackerkit.load_catalog(), site)
        for shot in SHOTS:
            photograph(browser, site / shot.page, shot, out_dir / shot.name, Path(work) / "profile")
    return [shot.name for shot in SHOTS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=OUTPUT, help="the pictures folder (default: docs/images)"
    )
    args = parser.parse_args(argv)
    try:
        written = render(args.out)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"render_site_images: {error}", file=sys.stderr)
        return 1
    for name in written:
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
