"""Call a WSGI app as a server calls it: a copy of an environ prepared once per URL (with the
client's cookies, if any), the body iterated and closed.  No test client: no EnvironBuilder per
request, no response wrapper, no cookie jar — the work a server such as gunicorn does not pay
either.  Used by the benches that measure a page "direct" beside the test client."""

from __future__ import annotations

import io


class Direct:
    class Answer:
        __slots__ = ("status_code", "body")

    def __init__(self, app, cookie: str = "", environ_base: dict | None = None) -> None:
        self.app = app
        self.cookie = cookie  # an HTTP Cookie header's value, sent with every request
        self.environ_base = environ_base or {}  # e.g. the client's address and User-Agent
        self.environs: dict[str, dict] = {}
        self._status = ""

    @classmethod
    def from_client(cls, app, client) -> Direct:
        """A caller that sends the cookies a logged-in test client holds (its session), from the
        same address and User-Agent (Flask-Login's "strong" session protection checks both)."""
        jar = getattr(client, "_cookies", {}) or {}
        return cls(app, "; ".join(f"{c.key}={c.value}" for c in jar.values()), dict(client.environ_base))

    def _start(self, status: str, headers: list, exc_info=None) -> None:  # noqa: ARG002
        self._status = status

    def get(self, url: str) -> Direct.Answer:
        env = self.environs.get(url)
        if env is None:
            from werkzeug.test import EnvironBuilder

            path, _, query = url.partition("?")
            headers = {"Cookie": self.cookie} if self.cookie else {}
            env = self.environs[url] = EnvironBuilder(path=path, query_string=query, headers=headers,
                                                      environ_base=self.environ_base,
                                                      base_url="http://localhost/").get_environ()
        environ = dict(env)
        environ["wsgi.input"] = io.BytesIO()
        body = self.app(environ, self._start)
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        answer = Direct.Answer()
        answer.status_code, answer.body = int(self._status[:3]), data
        return answer
