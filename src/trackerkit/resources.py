"""Where the bundled schemas and roles live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """The bundled ``schemas`` or ``roles`` folder.

    A wheel carries them inside the package; a source checkout (an editable
    install, or running from ``src/``) keeps them at the repository's top.
    """
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    message = f"the bundled '{name}' folder is missing; reinstall trackerkit"
    raise FileNotFoundError(message)
