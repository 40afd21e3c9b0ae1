"""Secure by default: no start with the development key, `check --deploy` clean in production
settings, API docs without a CDN, login throttling (issue 13 items 5–6)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

LANBAI = [str(Path(sys.executable).with_name("lanbai"))]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by tests/browser/conftest.py when browser tests ran first.
    dropped = ("DATABASE_URL", "LANBAI_SECRET_KEY", "LANBAI_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["LANBAI_DATA_DIR"] = str(tmp_path / "var")
    Path(env["LANBAI_DATA_DIR"]).mkdir(exist_ok=True)
    env.update(extra)
    return env


def test_serve_refuses_the_development_key(tmp_path):
    run = subprocess.run([*LANBAI, "serve", "--port", "1"], env=_env(tmp_path), capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2
    assert "拒绝启动" in run.stderr and "LANBAI_SECRET_KEY" in run.stderr


def test_key_file_written_by_init_is_used_and_private(tmp_path):
    from lanbai.config.secret import DEV_SECRET_KEY, ensure_key_file, insecure_start_refusal, secret_key

    data = tmp_path / "data"
    path = ensure_key_file(data)
    assert path is not None and path.stat().st_mode & 0o777 == 0o600
    key = secret_key(data)
    assert key != DEV_SECRET_KEY and len(key) >= 50
    assert ensure_key_file(data) is None and secret_key(data) == key  # idempotent
    assert insecure_start_refusal(key, debug=False) is None
    assert insecure_start_refusal(DEV_SECRET_KEY, debug=True) is None
    assert insecure_start_refusal(DEV_SECRET_KEY, debug=False)


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = _env(tmp_path, LANBAI_HTTPS="1", LANBAI_SECRET_KEY=secrets.token_urlsafe(64),
               LANBAI_ALLOWED_HOSTS="lanbai.example.org", DJANGO_SETTINGS_MODULE="lanbai.config.settings")
    run = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


@pytest.mark.django_db
def test_api_docs_served_from_own_static_files(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("docs_reader", password="x" * 12))
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in html


@pytest.mark.django_db
def test_login_locked_after_repeated_wrong_passwords(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("guessed", password="right-password-1")
    for _ in range(4):
        resp = client.post("/accounts/login/", {"username": "guessed", "password": "wrong"})
        assert resp.status_code == 200 and "用户名或密码错误" in resp.content.decode()
    fifth = client.post("/accounts/login/", {"username": "guessed", "password": "wrong"})
    assert fifth.status_code == 429  # the fifth failure locks (AXES_FAILURE_LIMIT = 5)
    resp = client.post("/accounts/login/", {"username": "guessed", "password": "right-password-1"})
    assert resp.status_code == 429
    assert "登录已暂时锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    other = client.post("/accounts/login/", {"username": "other", "password": "wrong"})
    assert other.status_code == 200  # the lock is per username and address, not global


@pytest.mark.django_db
def test_openapi_schema_generates_without_errors():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/collection/reports/" in schema["paths"] and "/api/plans/org-units/" in schema["paths"]
    assert GENERATOR_STATS._error_cache == {}, list(GENERATOR_STATS._error_cache)
    assert GENERATOR_STATS._warn_cache == {}, list(GENERATOR_STATS._warn_cache)
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values() if "operationId" in op]
    assert len(ids) == len(set(ids)) and "submission_list_get" in ids
    body = schema["paths"]["/api/collection/reports/"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/ReportSubmitJsonInput")
