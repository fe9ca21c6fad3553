"""``python -m trackerkit`` runs the command line."""

from trackerkit.cli import main

raise SystemExit(main())
