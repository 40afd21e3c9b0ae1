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


def operator():
    """Who the command line acts as: :data:`lanbai.access.policy.OPERATOR`, the server operator (Django set up).

    Every command passes it as ``user`` to the services and selectors it calls, so the access policy
    answers (省创新办's scope) and the services audit the change (docs/architecture.md, Access).
    """
    setup()
    from lanbai.access.policy import OPERATOR

    return OPERATOR
