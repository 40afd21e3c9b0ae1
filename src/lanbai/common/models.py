"""Abstract base models shared by the apps."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A model that records when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class RawFile(models.Model):
    """A file kept exactly as received: its bytes, SHA-256 and size, who uploaded it and when.

    The one shape of an uploaded document outside the collection intake (whose ``Upload`` also records the
    parse outcome): a measure report's evidence, a 创新券 redemption claim's documents.  Build the row's
    values with :meth:`raw_values`; the bytes are served back unchanged, as an attachment.
    """

    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("原始内容"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @staticmethod
    def raw_values(user: Any, filename: str, content: bytes, default_name: str = "file") -> dict[str, Any]:
        """The stored fields of ``content`` as received (the caller checks emptiness and size first)."""
        return {
            "filename": (filename or default_name)[:255],
            "content": content,
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
            "uploaded_by": user if getattr(user, "is_authenticated", False) else None,
        }


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


class AuditEvent(models.Model):
    """Who changed what, when, from what to what, and why — for every app (written by :func:`audit`).

    The object is named by ``object_type`` (``app_label.model``) and ``object_id``; ``field`` is the
    field that changed (or ``status`` for a workflow step), ``old`` / ``new`` its stored texts.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    field = models.CharField(_("字段"), max_length=60, blank=True)
    old = models.TextField(_("原值"), blank=True)
    new = models.TextField(_("新值"), blank=True)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditevent_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.field}"
