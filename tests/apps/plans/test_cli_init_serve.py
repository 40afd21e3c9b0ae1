"""The README's first command end to end: ``lanbai init`` (twice) and ``lanbai serve`` answering on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

LANBAI = [sys.executable, "-m", "lanbai.cli.main"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sqlite_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LANBAI_DATA_DIR"] = str(tmp_path / "var")
    Path(env["LANBAI_DATA_DIR"]).mkdir()
    return env


@pytest.mark.slow
def test_init_twice_then_serve_lists_zones_and_indicators(sqlite_env):
    first = subprocess.run([*LANBAI, "init"], env=sqlite_env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "新增 / added org_unit lzxq" in first.stdout
    second = subprocess.run([*LANBAI, "init"], env=sqlite_env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "未作任何更改" in second.stdout and "added" not in second.stdout
    assert "clusters: +43" in first.stdout and "clusters: +0 ~0" in second.stdout

    port = free_port()
    server = subprocess.Popen([*LANBAI, "serve", "--port", str(port)], env=sqlite_env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        html = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:  # noqa: S310
                    html = resp.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"server exited: {server.stdout.read()}")
                time.sleep(0.3)
        assert html is not None, "server did not answer within 60 s"
        for name in ("兰州新区", "兰州高新区", "兰州经济区", "白银高新区", "地区生产总值", "万人发明专利拥有量"):
            assert name in html
    finally:
        server.terminate()
        server.wait(timeout=20)
