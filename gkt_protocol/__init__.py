"""The wire between the intranet and the public portal: one tiny, pure package.

Both sides import it; neither imports the other.  It holds

- `signing`  — HMAC-SHA256 request signing, clock-skew and replay checks;
- `payload`  — the push and withdraw messages as validated dataclasses (bounded sizes);
- `taxonomy` — the State Council 主题分类 first-level classes the payload is checked against;
- `client`   — a small urllib client the intranet's outbox worker calls.

No Flask, no SQLAlchemy, no models.  The full format is documented in docs/portal.md.
"""

from .payload import (
    CLEANUP_LABELS,
    PROTOCOL_VERSION,
    VALIDITY_LABELS,
    Cleanup,
    DocxFile,
    Interpretation,
    PayloadError,
    Publication,
    Withdrawal,
    parse_publication,
    parse_withdrawal,
)
from .signing import (
    DEVELOPMENT_SECRET,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    MAX_SKEW_SECONDS,
    MemoryReplayGuard,
    ReplayGuard,
    SignatureError,
    sign,
    verify,
)

__all__ = [
    "DEVELOPMENT_SECRET",
    "HEADER_NONCE", "HEADER_SIGNATURE", "HEADER_TIMESTAMP", "MAX_SKEW_SECONDS", "PROTOCOL_VERSION",
    "CLEANUP_LABELS", "VALIDITY_LABELS", "Cleanup", "DocxFile", "Interpretation", "MemoryReplayGuard", "PayloadError", "Publication", "ReplayGuard",
    "SignatureError", "Withdrawal", "parse_publication", "parse_withdrawal", "sign", "verify",
]
