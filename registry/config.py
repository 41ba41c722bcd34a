"""Configuration layers: defaults here, then ``instance/config.py``, then the environment, then test config."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables read on top of the defaults and instance/config.py (docs/interface.md, "Configuration").
ENV_KEYS = ("DATABASE_URL", "SECRET_KEY", "STORAGE_DIR", "DOCUMENT_STORE", "CONVENTION_TEMPLATES_DIR", "MAX_UPLOAD_MB",
            "RATELIMIT_STORAGE_URI", "LOGIN_RATE_LIMIT", "CALENDAR_RATE_LIMIT", "SIGNATURE_TRUST_ROOTS",
            "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "HELD_IMPORTS_MAX_MB", "PDF_CONVERSIONS",
            "PDF_QUEUE_SECONDS", "PRODUCTION", "PROXY_FIX", "SESSION_COOKIE_SECURE", "ALLOW_GENERATED_SECRET_KEY",
            "BASE_URL", "REMINDER_DELAYS_DAYS", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME",
            "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "API_TOKEN_DAYS", "PASSWORD_LINK_HOURS",
            "RENDER_TIMEOUT_SECONDS", "RENDER_MEMORY_MB", "REDIS_URL", "JOB_QUEUE", "WORKER_REMINDERS_AT",
            "COMPLIANCE_WARMUP")
INT_KEYS = {"MAX_UPLOAD_MB", "HELD_IMPORTS_MAX_MB", "PDF_CONVERSIONS", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS",
            "MAIL_PORT", "PROXY_FIX", "API_TOKEN_DAYS", "PASSWORD_LINK_HOURS",
            "RENDER_TIMEOUT_SECONDS", "RENDER_MEMORY_MB"}
#: Read as yes/no: 1, true, oui, yes (any case) are yes.
BOOL_KEYS = {"MAIL_USE_TLS", "PRODUCTION", "SESSION_COOKIE_SECURE", "ALLOW_GENERATED_SECRET_KEY", "COMPLIANCE_WARMUP"}


def default_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'registry.sqlite3'}",
        "STORAGE_DIR": str(instance / "storage"),
        # Where documents, uploads held for a confirmation and PDF previews live: "filesystem" (STORAGE_DIR and
        # instance/, one node) or "database" (the application's database, shared by several nodes).
        "DOCUMENT_STORE": "filesystem",
        "CONVENTION_TEMPLATES_DIR": str(PROJECT_ROOT / "convention_templates"),
        # The user guide the « Aide » menu serves (Markdown and its images/).
        "GUIDE_DIR": str(PROJECT_ROOT / "docs" / "guide"),
        "MAX_UPLOAD_MB": 25,
        # PDF previews of drafts: LibreOffice processes at a time on the machine, and how long a request waits for one.
        "PDF_CONVERSIONS": 2,
        "PDF_QUEUE_SECONDS": 30,
        # What the uploads waiting for a confirmation (stock imports) may weigh together on the server.
        "HELD_IMPORTS_MAX_MB": 2048,
        # PEM bundle of the certificates trusted for electronic signatures; none: signatures are checked for
        # integrity and reported « certificat non vérifié ».
        "SIGNATURE_TRUST_ROOTS": None,
        # Login attempts accepted per client address (Flask-Limiter syntax).
        "LOGIN_RATE_LIMIT": "10 per minute",
        # Calendar feed requests accepted per client address (clients poll every few minutes to hours).
        "CALENDAR_RATE_LIMIT": "30 per minute",
        # Where the limits count (memory://: each process for itself); REDIS_URL when unset (finalise()).
        "RATELIMIT_STORAGE_URI": None,
        # The Redis server the nodes share (redis://host:6379/0), for the limits and the job queue.
        "REDIS_URL": None,
        "RATELIMIT_HEADERS_ENABLED": False,
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        # `make serve`: secure cookies, HSTS, a SECRET_KEY of the operator's (docs/deploiement.md).
        "PRODUCTION": False,
        # How many reverse proxies stand before the application (their X-Forwarded-* headers are trusted).
        "PROXY_FIX": 0,
        "SESSION_COOKIE_HTTPONLY": True,
        # A signed-in session ends after this long without a request, and this long after the login (0: never).
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # The cookie is written when the session changes (every page records its last activity), never for a
        # style sheet or an icon: a browser's late icon request would otherwise put back a cookie just replaced.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # A template's render (a draft, a trial render at upload) runs in a child process stopped past these.
        "RENDER_TIMEOUT_SECONDS": 20,
        "RENDER_MEMORY_MB": 512,
        # How long a new API token is valid, and a one-time password link an administrator makes.
        "API_TOKEN_DAYS": 365,
        "PASSWORD_LINK_HOURS": 72,
        "WTF_CSRF_TIME_LIMIT": None,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BOOTSTRAP_BTN_STYLE": "primary",
        # flask-smorest: the OpenAPI document lives under the API prefix.
        "API_TITLE": "Registre des hôpitaux de proximité",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "PAGE_SIZE": 25,
        "API_MAX_PER_PAGE": 200,
        # Reminders by e-mail (docs/reminders.md): the address the links in the mails start with (scheme, host and
        # any path prefix, e.g. https://hdp.ars-bfc.fr), required to send; the delays before each deadline.
        "BASE_URL": None,
        "REMINDER_DELAYS_DAYS": "180,90,30",
        "MAIL_SERVER": "localhost",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": None,
        # The job queue (docs/deploiement.md): redis://host:6379/0 sends slow work (bundles, PDF previews) to the
        # worker (`flask --app wsgi worker`); empty, it runs in the request. The queue's name on that Redis.
        "REDIS_URL": None,
        "JOB_QUEUE": "registre",
        # "HH:MM" (Paris): the worker sends the daily reminders at that time, instead of a cron running `remind`.
        "WORKER_REMINDERS_AT": None,
    }


def read_environment() -> dict:
    values = {}
    for key in ENV_KEYS:
        if key in os.environ and os.environ[key] != "":
            value = os.environ[key]
            if key in INT_KEYS:
                value = int(value)
            elif key in BOOL_KEYS:
                value = value.strip().lower() in ("1", "true", "oui", "yes")
            values[key] = value
    return values


def persistent_secret_key(instance_path: str) -> str:
    """A secret generated once and kept in instance/ so sessions survive restarts; never committed."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def finalise(config: dict) -> None:
    """Derive the settings that depend on others."""
    url = config["DATABASE_URL"]
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    config["DATABASE_URL"] = url
    config["SQLALCHEMY_DATABASE_URI"] = url
    if config.get("DOCUMENT_STORE") not in ("filesystem", "database"):
        raise RuntimeError(f"DOCUMENT_STORE vaut « {config.get('DOCUMENT_STORE')} » : choisissez filesystem (par "
                           "défaut) ou database (docs/deploiement.md).")
    config["MAX_CONTENT_LENGTH"] = int(config["MAX_UPLOAD_MB"]) * 1024 * 1024
    if url.startswith("postgresql"):  # a connection dropped by a restart or failover is replaced, not a 500
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if config.get("PRODUCTION") and os.environ.get("SESSION_COOKIE_SECURE", "") == "":
        config["SESSION_COOKIE_SECURE"] = True  # Flask's default is False; only the environment may say so
    rate_limit_storage(config)
    if config.get("SESSION_MAX_HOURS"):  # the cookie itself does not outlive the longest session
        config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=int(config["SESSION_MAX_HOURS"]))


def rate_limit_storage(config: dict) -> None:
    """The limits count in RATELIMIT_STORAGE_URI, else in REDIS_URL (shared by every node), else in each process.

    A shared store that stops answering must not stop the site: Flask-Limiter then counts in the process's memory
    (each node for itself, a warning in the log) and goes back to the store once it answers again."""
    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"
    if config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://", "redis+")):
        config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
        config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
        # each try to reach a silent store waits this long, not the operating system's minutes
        config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
