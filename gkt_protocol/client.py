"""The sending side: sign and POST a message to the portal over HTTP (urllib, no extra package).

    from gkt_protocol import client
    answer = client.push("http://127.0.0.1:5001", secret, publication)
    if answer.ok: ...                      # 200: stored; answer.data["url"] is the public URL
    elif answer.retryable: ...             # portal down, 5xx, 429: try again later
    else: ...                              # 4xx: the message itself is wrong; answer.message says why

Never raises for an HTTP answer; a network failure or timeout comes back as status 0.

`Sender` does the same over one kept-alive HTTP/1.1 connection (for a worker sending many
messages: no TCP set-up per message).  When a kept connection turns out to have been closed
by the server, the message is signed afresh and sent once more on a new connection — never
the same signature twice, which the portal would refuse as a replay; the portal is idempotent
by 索引号 and version, so a message that did arrive the first time changes nothing the second.
"""

from __future__ import annotations

import http.client
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


class Sender:
    """Signs and POSTs messages to one portal over a kept-alive connection.  Not thread-safe:
    one Sender per thread."""

    def __init__(self, base_url: str, secret: str | bytes, timeout: float = DEFAULT_TIMEOUT) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.prefix = parts.path
        self.secret, self.timeout = secret, timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            self._conn = cls(self.host, self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, path: str, message: dict, now: datetime | None = None) -> Answer:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        full_path = self.prefix + path
        for attempt in (1, 2):
            reused = self._conn is not None
            conn = self._connection()
            headers = sign(self.secret, "POST", full_path, body, now or datetime.now(UTC))
            headers["Content-Type"] = "application/json; charset=utf-8"
            try:
                conn.request("POST", full_path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read(MAX_ANSWER_BYTES + 1)
                if len(data) > MAX_ANSWER_BYTES or response.will_close:
                    self.close()  # an answer not read to its end cannot be followed on this connection
                return Answer(response.status, _json(data[:MAX_ANSWER_BYTES]))
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if reused and attempt == 1:  # the server had closed the idle connection: once more, freshly signed
                    continue
                return Answer(0, {}, str(exc) or type(exc).__name__)
            except (OSError, http.client.HTTPException) as exc:  # refused, timeout, malformed answer
                self.close()
                return Answer(0, {}, str(exc) or type(exc).__name__)
        raise AssertionError("unreachable")

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
