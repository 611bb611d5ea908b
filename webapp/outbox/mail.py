"""E-mail through SMTP, sent by the outbox worker (issue 12: reminders).

An e-mail is an outbox message of kind "email" (no document), written in the same transaction
as the reminder it carries, so it exists exactly when the reminder does and survives restarts.
`send` speaks SMTP to `SMTP_URL` and answers like the portal client (`gkt_protocol.client.Answer`)
so the worker records it the same way: accepted → sent; a temporary refusal (4xx), no server or
no `SMTP_URL` → retried with backoff; a permanent refusal (5xx) → failed.

SMTP_URL: ``smtp://[user[:password]@]host[:port][?starttls=1]`` or ``smtps://…`` (TLS from the
start).  Each e-mail carries a Message-ID made from its outbox id: should a worker die between
the server's acceptance and recording it, the one repeat has the same Message-ID, which mail
systems use to drop a duplicate.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from gkt_protocol.client import Answer

EMAIL = "email"
DEFAULT_FROM = "gongkaitong@localhost"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str = ""
    password: str = ""
    starttls: bool = False
    tls: bool = False


class BadSmtpUrl(ValueError):
    pass


def parse_smtp_url(url: str) -> SmtpSettings:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise BadSmtpUrl("SMTP_URL 应形如 smtp://用户名:密码@主机:端口?starttls=1")
    query = parse_qs(parts.query)
    tls = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if tls else 25)
    except ValueError as exc:
        raise BadSmtpUrl("SMTP_URL 的端口无效") from exc
    return SmtpSettings(parts.hostname, port, unquote(parts.username or ""), unquote(parts.password or ""),
                        query.get("starttls", ["0"])[0] in ("1", "true", "yes"), tls)


def email_body(to: str, subject: str, text: str) -> dict:
    return {"to": to, "subject": subject, "text": text}


def build(body: dict, message_id: int, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = body["to"]
    msg["Subject"] = body["subject"]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = f"<outbox-{message_id}@{sender.rpartition('@')[2] or 'localhost'}>"
    msg.set_content(body["text"])
    return msg


def send(body: dict, message_id: int, smtp_url: str, sender: str = DEFAULT_FROM, timeout: float = 15) -> Answer:
    if not smtp_url:
        return Answer(503, {"message": "未配置 SMTP_URL，邮件暂存待发。"})
    try:
        cfg = parse_smtp_url(smtp_url)
    except BadSmtpUrl as exc:
        return Answer(503, {"message": str(exc)})
    msg = build(body, message_id, sender or DEFAULT_FROM)
    try:
        cls = smtplib.SMTP_SSL if cfg.tls else smtplib.SMTP
        with cls(cfg.host, cfg.port, timeout=timeout) as smtp:
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.user:
                smtp.login(cfg.user, cfg.password)
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        return _refused(code, reply)
    except smtplib.SMTPResponseException as exc:
        return _refused(exc.smtp_code, exc.smtp_error)
    except (OSError, smtplib.SMTPException) as exc:  # TimeoutError is an OSError
        return Answer(503, {"message": f"无法连接邮件服务器：{exc}"})
    return Answer(200, {"message": "邮件服务器已接收"})


def _refused(code: int, reply: bytes | str) -> Answer:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    if 400 <= code < 500:  # try again later
        return Answer(503, {"message": f"邮件服务器暂时拒绝（{code}）：{text}"})
    return Answer(422, {"message": f"邮件服务器拒绝（{code}）：{text}"})
