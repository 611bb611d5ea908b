"""The two endpoints the intranet calls: POST /api/push and POST /api/withdraw.

Authenticated by the HMAC signature of gkt_protocol.signing (no cookies, so no CSRF token:
a browser cannot produce the signature).  Answers are JSON, errors included:
401 unsigned / bad signature / stale timestamp, 403 replay, 400 malformed payload,
404 unknown 索引号 (withdraw), 409 stale version, 413 too large.
"""

from __future__ import annotations

import json

from flask import Blueprint, current_app, jsonify, request, url_for

from gkt_protocol import PayloadError, SignatureError, parse_publication, parse_withdrawal, verify

from .clock import utcnow
from .services import PortalError
from .services.publishing import receive_publication, receive_withdrawal
from .services.replay import DatabaseReplayGuard

api = Blueprint("api", __name__, url_prefix="/api")


def _signed_json():
    """The verified request body as decoded JSON, or PortalError."""
    body = request.get_data(cache=True)
    try:
        verify(current_app.config["PORTAL_PUSH_SECRET"], request.method, request.script_root + request.path, body,
               request.headers, utcnow(), DatabaseReplayGuard())
    except SignatureError as exc:
        raise PortalError(exc.status, exc.code, exc.message)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PortalError(400, "malformed_json", "请求体不是有效的 UTF-8 JSON。")


def _public_url(endpoint: str, index_no: str) -> str:
    code, serial = index_no.split("/", 1)
    path = url_for(endpoint, code=code, serial=serial)
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/") or request.host_url.rstrip("/")
    return base + path


@api.post("/push")
def push():
    try:
        publication = parse_publication(_signed_json())
    except PayloadError as exc:
        raise PortalError(400, "invalid_payload", "推送内容不符合接口规范，未作任何修改。", exc.problems)
    receipt = receive_publication(publication)
    return jsonify(
        ok=True, index_no=receipt.index_no, version=receipt.version, created=receipt.created, status=receipt.status,
        url=_public_url("public.policy", receipt.index_no),
        interpretation_url=_public_url("public.interpretation", receipt.index_no) if receipt.has_interpretation else None,
    )


@api.post("/withdraw")
def withdraw():
    try:
        withdrawal = parse_withdrawal(_signed_json())
    except PayloadError as exc:
        raise PortalError(400, "invalid_payload", "撤回请求不符合接口规范，未作任何修改。", exc.problems)
    receipt = receive_withdrawal(withdrawal)
    return jsonify(ok=True, index_no=receipt.index_no, version=receipt.version, status=receipt.status,
                   url=_public_url("public.policy", receipt.index_no))
