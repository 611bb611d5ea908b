"""The sending side: sign and POST a message to the portal over HTTP (urllib, no extra package).

    from gkt_protocol import client
    answer = client.push("http://127.0.0.1:5001", secret, publication)
    if answer.ok: ...                      # 200: stored; answer.data["url"] is the public URL
    elif answer.retryable: ...             # portal down, 5xx, 429: try again later
    else: ...                              # 4xx: the message itself is wrong; answer.message says why

Never raises for an HTTP answer; a network failure or timeout comes back as status 0.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from .payload import Publication, Withdrawal
from .signing import sign

PUSH_PATH = "/api/push"
WITHDRAW_PATH = "/api/withdraw"
CATALOGUE_PATH = "/api/catalogue"  # issue 15: the standard catalogue (gkt_protocol/catalogue.py)
APPLICATION_STATUS_PATH = "/api/applications/status"  # an online application's status and reply
DEFAULT_TIMEOUT = 15.0
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int  # HTTP status, or 0 when the portal could not be reached
    data: dict = field(default_factory=dict)
    error: str = ""  # network error text when status == 0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status >= 500 or self.status in (408, 429)

    @property
    def message(self) -> str:
        if self.status == 0:
            return f"无法连接门户网站：{self.error}"
        return str(self.data.get("message") or self.data.get("error") or f"HTTP {self.status}")


def send(base_url: str, path: str, secret: str | bytes, message: dict, timeout: float = DEFAULT_TIMEOUT,
         now: datetime | None = None) -> Answer:
    """POST `message` as JSON to base_url + path, signed."""
    url = base_url.rstrip("/") + path
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = sign(secret, "POST", urlsplit(url).path, body, now or datetime.now(UTC))
    headers["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return Answer(response.status, _json(response.read(MAX_ANSWER_BYTES)))
    except urllib.error.HTTPError as exc:
        with exc:
            return Answer(exc.code, _json(exc.read(MAX_ANSWER_BYTES)))
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        return Answer(0, {}, str(getattr(exc, "reason", exc)))


def push(base_url: str, secret: str | bytes, publication: Publication | dict, **kw) -> Answer:
    message = publication.to_json() if isinstance(publication, Publication) else publication
    return send(base_url, PUSH_PATH, secret, message, **kw)


def withdraw(base_url: str, secret: str | bytes, withdrawal: Withdrawal | dict, **kw) -> Answer:
    message = withdrawal.to_json() if isinstance(withdrawal, Withdrawal) else withdrawal
    return send(base_url, WITHDRAW_PATH, secret, message, **kw)


def publish_catalogue(base_url: str, secret: str | bytes, catalogue, **kw) -> Answer:
    message = catalogue if isinstance(catalogue, dict) else catalogue.to_json()
    return send(base_url, CATALOGUE_PATH, secret, message, **kw)


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw.decode("utf-8"))
        return data if isinstance(data, dict) else {}
    except (UnicodeDecodeError, ValueError):
        return {}
