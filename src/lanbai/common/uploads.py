"""The upload size limit, enforced while Django reads the request body (before anything is stored).

:class:`SizeLimitedUploadHandler` is the first of ``FILE_UPLOAD_HANDLERS``: it counts each file's
bytes as they arrive and stops the body (``StopUpload``, the rest is not read) as soon as one passes
``LANBAI_MAX_UPLOAD_BYTES`` (50 MB), so the memory / temporary-file handlers behind it never hold
more than the limit.  It cannot answer itself (the CSRF check may be what reads the body), so it
leaves an :class:`UploadTooLarge` (413) on the request; :func:`upload_refusal` gives it to the view,
which keeps a refused-upload record without the bytes and answers 413.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .exceptions import ApplicationError

MAX_UPLOAD_BYTES_DEFAULT = 50_000_000
# the request attribute that carries a refusal from the handler to the view (not a declared
# attribute of HttpRequest, hence setattr/getattr)
_REFUSED_ATTR = "lanbai_upload_refused"


def max_upload_bytes() -> int:
    return int(getattr(settings, "LANBAI_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES_DEFAULT))


class UploadTooLarge(ApplicationError):
    """A file over the upload limit (HTTP 413); ``extra``: filename, size seen, limit."""

    status_code = 413

    def __init__(self, *, filename: str, size_seen: int, limit: int):
        mb = limit // 1_000_000
        super().__init__(
            f"文件“{filename}”超过 {mb} MB 上限，已拒绝，未保存 / file larger than {mb} MB, refused, "
            "nothing stored",
            extra={"filename": filename, "size_seen": size_seen, "limit": limit},
        )
        self.filename, self.size_seen, self.limit = filename, size_seen, limit


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops the body at the first file that passes the limit (see the module docstring)."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.seen = getattr(self, "seen", 0) + len(raw_data)
        limit = max_upload_bytes()
        if self.seen > limit:
            error = UploadTooLarge(filename=self.file_name or "", size_seen=self.seen, limit=limit)
            if self.request is not None:  # the view reads it back (upload_refusal)
                setattr(self.request, _REFUSED_ATTR, error)
            raise StopUpload(connection_reset=True)  # the rest of the body is not read
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def upload_refusal(request) -> UploadTooLarge | None:
    """The size refusal met while reading ``request``'s body (reads the body if not read yet), or None."""
    _ = request.FILES  # parse the body now if nothing has
    return getattr(request, _REFUSED_ATTR, None)
