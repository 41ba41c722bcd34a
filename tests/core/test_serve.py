"""`make serve`: the application under gunicorn in production mode, as a process (docs/deploiement.md): secure
session cookie, HSTS, pages never cached, client addresses from a trusted proxy; no start without a SECRET_KEY of
the operator's."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _migrate

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(tmp_path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DATABASE_URL")}
    env.update({"PRODUCTION": "1", "STORAGE_DIR": str(tmp_path / "storage"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'registry.sqlite3'}"}, **extra)
    return env


def serve(tmp_path, port, env):
    return subprocess.Popen([str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                             "--forwarded-allow-ips", "127.0.0.1", "wsgi:app"],
                            cwd=Path(__file__).resolve().parents[2], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    deadline = time.monotonic() + 60  # a loaded machine starts gunicorn's worker slowly
    while True:
        try:
            return urllib.request.urlopen(request, timeout=15)
        except (urllib.error.URLError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def database(tmp_path):
    _migrate(f"sqlite:///{tmp_path / 'registry.sqlite3'}", tmp_path)


@pytest.mark.slow
def test_gunicorn_serves_the_login_page_with_production_headers(tmp_path, database):
    port = free_port()
    process = serve(tmp_path, port, environment(tmp_path, SECRET_KEY="une-clé-de-l-opérateur", PROXY_FIX="1"))
    try:
        response = get(f"http://127.0.0.1:{port}/connexion", {"X-Forwarded-Proto": "https"})
        assert response.status == 200 and "Connexion" in response.read().decode()
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert response.headers["Cache-Control"] == "no-store"
        assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_no_start_without_the_operator_s_secret_key(tmp_path, database):
    process = serve(tmp_path, free_port(), environment(tmp_path))
    output, _ = process.communicate(timeout=30)
    assert process.returncode != 0
    assert "SECRET_KEY absente" in output


@pytest.mark.parametrize("app_config", [{"PROXY_FIX": 1, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute"}])
def test_behind_a_proxy_the_login_limit_counts_each_client(app, client):
    """With PROXY_FIX, the address the limiter counts is the client's (X-Forwarded-For), not the proxy's."""
    def attempt(address):
        return client.post("/connexion", data={"email": "x@example.fr", "password": "faux"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert attempt("198.51.100.4") == 200
