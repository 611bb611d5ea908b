"""HMAC-SHA256 signing of a push or withdraw request.

A signed request carries three headers:

    X-GKT-Timestamp: 1772674200            (Unix seconds, UTC, decimal)
    X-GKT-Nonce:     9f86d081884c7d659a2feaa0c55ad015  (32 lowercase hex characters, random)
    X-GKT-Signature: <64 lowercase hex>    HMAC-SHA256(secret, message)

where the signed message is the bytes

    b"GKT1\n" + timestamp + b"\n" + nonce + b"\n" + METHOD + b"\n" + path + b"\n" + body

(METHOD upper-case, path without scheme, host or query string, body exactly as sent).

The receiver refuses, in this order: missing or malformed headers (401), a timestamp more
than `MAX_SKEW_SECONDS` (5 minutes) away from its own clock (401), a wrong signature
(401, compared in constant time), and a signature it has already accepted (403, replay).
It remembers accepted signatures until they could no longer pass the skew check, so the
replay store stays small (`ReplayGuard`).  A retry from the sender's outbox is a new
request — new timestamp, new nonce — and is accepted; the payload's 索引号 and version make
it idempotent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

HEADER_TIMESTAMP = "X-GKT-Timestamp"
HEADER_NONCE = "X-GKT-Nonce"
HEADER_SIGNATURE = "X-GKT-Signature"
MAX_SKEW_SECONDS = 300
# The shared secret both sides use when none is configured (development only: the portal
# refuses to start in production with it; the intranet should do the same).
DEVELOPMENT_SECRET = "dev-only-portal-push-secret-change-me"
SCHEME = b"GKT1"

_TIMESTAMP = re.compile(r"\d{1,12}")
_NONCE = re.compile(r"[0-9a-f]{32}")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")


class SignatureError(Exception):
    """A request the receiver must refuse; `code` is stable, `message` is for people (Chinese)."""

    def __init__(self, code: str, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class ReplayGuard(Protocol):
    def remember(self, signature: str, expires_at: datetime) -> bool:
        """Record `signature` until `expires_at`; return False when it was already recorded.

        Must be atomic: of two concurrent calls with the same signature, one gets False."""


class MemoryReplayGuard:
    """An in-process ReplayGuard (tests, single-process tools).  The portal keeps its own in its database."""

    def __init__(self) -> None:
        self._seen: dict[str, datetime] = {}

    def remember(self, signature: str, expires_at: datetime) -> bool:
        now = expires_at - timedelta(seconds=2 * MAX_SKEW_SECONDS)
        self._seen = {s: t for s, t in self._seen.items() if t > now}
        if signature in self._seen:
            return False
        self._seen[signature] = expires_at
        return True


def _key(secret: str | bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    if len(key) < 16:
        raise ValueError("the push secret must be at least 16 bytes")
    return key


def message(timestamp: str, nonce: str, method: str, path: str, body: bytes) -> bytes:
    """The exact bytes that are signed."""
    return b"\n".join([SCHEME, timestamp.encode(), nonce.encode(), method.upper().encode(), path.encode(), body])


def signature_for(secret: str | bytes, timestamp: str, nonce: str, method: str, path: str, body: bytes) -> str:
    return hmac.new(_key(secret), message(timestamp, nonce, method, path, body), hashlib.sha256).hexdigest()


def sign(secret: str | bytes, method: str, path: str, body: bytes, now: datetime,
         nonce: str | None = None) -> dict[str, str]:
    """The three headers for a request sent at `now` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("sign() needs a timezone-aware datetime")
    timestamp = str(int(now.timestamp()))
    nonce = nonce or secrets.token_hex(16)
    return {
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature_for(secret, timestamp, nonce, method, path, body),
    }


@dataclass(frozen=True)
class Verified:
    signature: str
    sent_at: datetime


def verify(secret: str | bytes, method: str, path: str, body: bytes, headers, now: datetime,
           guard: ReplayGuard | None, max_skew: int = MAX_SKEW_SECONDS) -> Verified:
    """Check a received request; raise SignatureError, or return what was verified.

    `headers` is any mapping with case-insensitive .get (Werkzeug's Headers) or a plain dict
    with the exact header names.  With `guard=None` the replay check is skipped (the caller
    must then do it)."""
    timestamp = (headers.get(HEADER_TIMESTAMP) or "").strip()
    nonce = (headers.get(HEADER_NONCE) or "").strip()
    given = (headers.get(HEADER_SIGNATURE) or "").strip().lower()
    if not (timestamp and nonce and given):
        raise SignatureError("unsigned", "请求缺少签名头（X-GKT-Timestamp、X-GKT-Nonce、X-GKT-Signature）。")
    if not (_TIMESTAMP.fullmatch(timestamp) and _NONCE.fullmatch(nonce) and _SIGNATURE.fullmatch(given)):
        raise SignatureError("malformed_signature", "签名头格式不正确。")
    sent_at = datetime.fromtimestamp(int(timestamp), UTC)
    if abs((now - sent_at).total_seconds()) > max_skew:
        raise SignatureError("stale", f"请求时间戳与服务器时间相差超过 {max_skew // 60} 分钟，已拒绝（请核对时钟）。")
    expected = signature_for(secret, timestamp, nonce, method, path, body)
    if not hmac.compare_digest(expected, given):
        raise SignatureError("bad_signature", "签名校验失败：密钥不符或请求内容被改动。")
    if guard is not None and not guard.remember(given, sent_at + timedelta(seconds=max_skew)):
        raise SignatureError("replayed", "该请求已经处理过（重放），已拒绝。", status=403)
    return Verified(given, sent_at)
