"""Abstract base models shared by the apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A model that records when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TextJSONField(models.JSONField):
    """A ``JSONField`` kept on PostgreSQL as ``json`` (the text as written) instead of ``jsonb``.

    For write-once documents that SQL never looks inside (a report version's values): PostgreSQL
    stores ``json`` after only checking its syntax, where ``jsonb`` parses it into a binary tree —
    COPY of 10,000 report versions measured 110 ms as ``jsonb`` and 80 ms as ``json`` — and reads it
    back without re-serialising.  The price: no ``jsonb`` operators or indexes (containment, key
    existence), and no equality in SQL; key lookups (``->``) still work.  Other databases: as
    ``JSONField``.
    """

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        if value is not None and not isinstance(value, str):  # psycopg decodes ``json`` itself
            return value
        return super().from_db_value(value, expression, connection)
