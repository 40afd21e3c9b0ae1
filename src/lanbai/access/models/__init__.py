"""Models of the access app."""

from .scopes import UserScope as UserScope

__all__ = ["UserScope"]
