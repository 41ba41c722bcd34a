"""Where the limits count: RATELIMIT_STORAGE_URI, else REDIS_URL (shared by every node), else each process's
memory; and a shared store that stops answering neither stops the site nor the limits (each process counts for
itself meanwhile, with a warning in the log)."""

import logging
import socket

import pytest

from registry.config import rate_limit_storage, read_environment
from registry.extensions import limiter
from tests.multinode.nodes import UNREACHABLE_REDIS as UNREACHABLE


@pytest.mark.parametrize(("settings", "storage"), [
    ({}, "memory://"),
    ({"REDIS_URL": "redis://redis.interne:6379/0"}, "redis://redis.interne:6379/0"),
    ({"REDIS_URL": "redis://redis.interne:6379/0", "RATELIMIT_STORAGE_URI": "redis://autre:6379/3"},
     "redis://autre:6379/3"),
    ({"REDIS_URL": "redis://redis.interne:6379/0", "RATELIMIT_STORAGE_URI": "memory://"}, "memory://"),
])
def test_the_limits_count_in_the_store_named_else_in_redis_url(settings, storage):
    config = {"RATELIMIT_STORAGE_URI": None, "REDIS_URL": None, **settings}
    rate_limit_storage(config)
    assert config["RATELIMIT_STORAGE_URI"] == storage
    shared = storage.startswith("redis")
    assert config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", False) is shared
    assert ("RATELIMIT_STORAGE_OPTIONS" in config) is shared


@pytest.fixture(autouse=True)
def no_storage_from_the_environment(monkeypatch):
    for key in ("RATELIMIT_STORAGE_URI", "REDIS_URL"):
        monkeypatch.delenv(key, raising=False)


def test_redis_url_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://redis.interne:6379/0")
    assert read_environment()["REDIS_URL"] == "redis://redis.interne:6379/0"


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "redis://redis.interne:6379/0"}])
def test_the_application_counts_its_limits_in_redis_url(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://redis.interne:6379/0"


@pytest.fixture
def limiter_state():
    """The limiter is one object per process: what a test that breaks its store changes is put back after it."""
    saved = {name: getattr(limiter, name) for name in ("_storage_dead", "_in_memory_fallback_enabled",
                                                       "_swallow_errors")}
    options = dict(limiter._storage_options)
    yield
    for name, value in saved.items():
        setattr(limiter, name, value)
    limiter._storage_options.clear()
    limiter._storage_options.update(options)


@pytest.fixture
def silent_redis():
    """A Redis address that takes connections and never answers (a server hung, or a host gone behind a firewall
    that drops packets)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/14"


@pytest.fixture(params=["refused", "silent"])
def app_config(request):
    url = UNREACHABLE if request.param == "refused" else request.getfixturevalue("silent_redis")
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": url, "LOGIN_RATE_LIMIT": "3 per minute"}


def test_an_unreachable_redis_neither_stops_the_logins_nor_their_limit(limiter_state, client, caplog):
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        answers = [client.post("/connexion", data={"email": "x@example.fr", "password": "faux"}).status_code
                   for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # counted in this process's memory meanwhile
    assert client.get("/connexion").status_code == 200
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any("Rate limit storage unreachable" in message for message in warnings), warnings
