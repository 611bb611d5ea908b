"""Settings, read from the environment only, with safe defaults for the embedded run."""

from __future__ import annotations

import os


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    APP_ENV = os.environ.get("APP_ENV", "development")
    # Unset: outside production, a random key generated once into the instance folder
    # (webapp/secret_key.py); in production the app refuses to start without it.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    # None means "an SQLite file in the instance folder", filled in by create_app.
    SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else None
    )
    # A ping before every checkout costs a round trip per request; recycling connections
    # every half hour covers server restarts well enough for an intranet (set DB_POOL_PRE_PING=1 to ping).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": os.environ.get("DB_POOL_PRE_PING", "0") == "1",
                                 "pool_recycle": 1800}
    # PostgreSQL: one plan per prepared statement (webapp/postgres.py); "auto" is PostgreSQL's default.
    DB_PLAN_CACHE_MODE = os.environ.get("DB_PLAN_CACHE_MODE", "force_generic_plan")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    SESSION_COOKIE_NAME = "gkt_session"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Largest request body accepted (rich-text body + attachments descriptions).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 25 * 1024 * 1024))

    # Login throttle (OWASP ASVS 2.2), counted per source address so that nobody elsewhere can
    # lock a user out: at most LOGIN_MAX_FAILURES wrong passwords for one account from one
    # address, and LOGIN_MAX_FAILURES_PER_ADDRESS for all accounts together from one address,
    # within LOGIN_WINDOW_MINUTES; past either, that address waits until the window moves on.
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 30))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", 15))
    # Behind a reverse proxy (nginx), how many proxies' X-Forwarded-For entries to trust for the
    # client's address; 0 (direct) uses the connection's address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))

    # Argon2id cost (memory in KiB); the defaults follow RFC 9106's second recommendation.
    ARGON2_TIME_COST = int(os.environ.get("ARGON2_TIME_COST", 3))
    ARGON2_MEMORY_COST = int(os.environ.get("ARGON2_MEMORY_COST", 65536))
    ARGON2_PARALLELISM = 4

    QUEUE_PAGE_SIZE = 25

    # The public portal (issue 8): where the outbox worker pushes, and the HMAC secret it shares
    # with the portal.  Unset outside production: generated once into instance/portal_push_secret.
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:5001")
    PORTAL_PUSH_SECRET = os.environ.get("PORTAL_PUSH_SECRET") or None
    OUTBOX_TIMEOUT = float(os.environ.get("OUTBOX_TIMEOUT", 15))
    OUTBOX_BASE_BACKOFF = float(os.environ.get("OUTBOX_BASE_BACKOFF", 2))
    OUTBOX_MAX_BACKOFF = float(os.environ.get("OUTBOX_MAX_BACKOFF", 600))

    # Reminders by e-mail (issue 12): smtp://[user[:password]@]host[:port][?starttls=1] or smtps://…;
    # unset: reminders are shown in the app only.  SMTP_FROM: the sender address.
    SMTP_URL = os.environ.get("SMTP_URL", "")
    SMTP_FROM = os.environ.get("SMTP_FROM", "gongkaitong@localhost")
