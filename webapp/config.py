"""Settings, read from the environment only, with safe defaults for the embedded run."""

from __future__ import annotations

import os

DEFAULT_SECRET_KEY = "dev-only-secret-change-me"


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    APP_ENV = os.environ.get("APP_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means "an SQLite file in the instance folder", filled in by create_app.
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )
    # A ping before every checkout costs a round trip per request; recycling connections
    # every half hour covers server restarts well enough for an intranet (set DB_POOL_PRE_PING=1 to ping).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": os.environ.get("DB_POOL_PRE_PING", "0") == "1",
                                 "pool_recycle": 1800}
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:5001")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    SESSION_COOKIE_NAME = "gkt_session"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Largest request body accepted (rich-text body + attachments descriptions).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 25 * 1024 * 1024))
    # Largest cleaned body (characters) a document may have.
    MAX_BODY_CHARS = int(os.environ.get("MAX_BODY_CHARS", 2_000_000))

    # Login throttling: after this many failures, refuse for LOCKOUT_MINUTES.
    LOGIN_MAX_FAILURES = 5
    LOCKOUT_MINUTES = 15

    # Argon2id cost (memory in KiB); the defaults follow RFC 9106's second recommendation.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", 3))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", 65536))
    ARGON2_PARALLELISM = 4

    QUEUE_PAGE_SIZE = 25
