"""Receiving: the raw bytes kept exactly as received, committed before anything is parsed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from ..choices import Channel, UploadOutcome
from ..models import Upload
from . import copy

MAX_UPLOAD_BYTES = 50_000_000


def channel_for(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return {".csv": Channel.CSV, ".json": Channel.API}.get(suffix, Channel.XLSX)


def upload_receive(*, user, filename: str, content: bytes, channel: str | None = None) -> Upload:
    """Keep the raw bytes (hash, size, uploader, time) in their own committed transaction.

    Nothing is lost even if parsing crashes; the caller must not hold a transaction that a later
    refusal could roll back (:func:`lanbai.collection.intake.import_records` receives first).
    """
    if not isinstance(content, bytes | bytearray | memoryview):
        raise TypeError("content must be bytes")
    content = bytes(content)
    big = copy.is_postgresql() and len(content) > 1_000_000
    with transaction.atomic():
        upload = Upload.objects.create(
            filename=Path(filename).name[:255],
            channel=channel or channel_for(filename),
            content=b"" if big else content,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            uploaded_by=user if user is not None and user.is_authenticated else None,
        )
        if big:  # a binary parameter, not a hex literal twice the size
            copy.write_bytes(Upload, upload.pk, "content", content)
            upload.content = content
        return upload


def earlier_accepted(upload: Upload) -> Upload | None:
    """The first accepted upload of the same bytes (this one is then a duplicate)."""
    return (
        Upload.objects.filter(sha256=upload.sha256, outcome=UploadOutcome.ACCEPTED)
        .exclude(pk=upload.pk)
        .order_by("uploaded_at")
        .first()
    )
