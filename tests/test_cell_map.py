"""The cell map in the docs is generated from the current tracker layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cell_map_is_generated_from_the_current_layout() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_cell_map.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
