"""Start Django for CLI commands that need the database (imported lazily by those commands)."""

from __future__ import annotations

import os

_done = False


def setup() -> None:
    """Configure Django once (settings from ``DJANGO_SETTINGS_MODULE`` or lanbai's default)."""
    global _done
    if _done:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanbai.config.settings")
    import django

    django.setup()
    _done = True
