"""The secret key: from ``LANBAI_SECRET_KEY``, else the key file ``lanbai init`` writes in the data
directory, else the built-in development key — with which the server refuses to start unless
``LANBAI_DEBUG=1`` (secure by default: a forgotten setting fails loudly, it does not run insecurely)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused by `lanbai serve` unless debugging
KEY_FILE = "secret_key"


def secret_key(data_dir: Path) -> str:
    """The key in force (see the module docstring)."""
    env = os.environ.get("LANBAI_SECRET_KEY", "").strip()
    if env:
        return env
    path = data_dir / KEY_FILE
    if path.is_file():
        text = path.read_text(encoding="ascii").strip()
        if text:
            return text
    return DEV_SECRET_KEY


def ensure_key_file(data_dir: Path) -> Path | None:
    """Write a random key file (mode 0600) in ``data_dir`` if there is none and none is set; its path if written."""
    if os.environ.get("LANBAI_SECRET_KEY", "").strip():
        return None
    path = data_dir / KEY_FILE
    if path.is_file() and path.read_text(encoding="ascii").strip():
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(64))
    return path


def insecure_start_refusal(key: str, *, debug: bool) -> str | None:
    """Why the server must not start with ``key`` (None when it may)."""
    if key == DEV_SECRET_KEY and not debug:
        return (
            "拒绝启动：正在使用内置的开发密钥。请设置 LANBAI_SECRET_KEY，或先运行 lanbai init 生成密钥文件；"
            "仅在开发时可设置 LANBAI_DEBUG=1。 / refusing to start with the built-in development secret key: set "
            "LANBAI_SECRET_KEY or run `lanbai init` (which writes a key file); LANBAI_DEBUG=1 only for development."
        )
    return None
