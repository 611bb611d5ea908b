"""Online disclosure applications on the portal (条例 Art. 29; issue 9): the form's checks, a
CAPTCHA that needs no outside service, the 查询码, and the signed exchange with the intranet
(it pulls new applications and pushes their status and reply back).

The CAPTCHA is a short arithmetic question written in Chinese characters, as text: a screen
reader reads it like any other label, and it needs no image, no script and no third party.
Its answer travels signed (HMAC of the answer and an expiry), so the portal keeps no session;
each token is accepted once (`captcha_uses`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from gkt_protocol.payload import APPLICATION_MAX_FILES, APPLICATION_MAX_FILES_BYTES

from ..clock import utcnow
from ..extensions import db
from ..models import CaptchaUse, PortalApplication, PortalApplicationFile
from . import PortalError

DIGITS = "零一二三四五六七八九"
CAPTCHA_MINUTES = 30
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 16
APPLICANT_TYPES = {"person": "自然人", "commercial": "法人或其他组织：商业企业", "research": "法人或其他组织：科研机构",
                   "public_interest": "法人或其他组织：社会公益组织", "legal_service": "法人或其他组织：法律服务机构",
                   "other_org": "法人或其他组织：其他"}
FORMS_WANTED = {"electronic": "电子数据", "paper": "纸质", "viewing": "查阅"}
LIMITS = {"applicant_name": 100, "id_doc_type": 30, "id_doc_number": 50, "contact_phone": 30,
          "contact_email": 100, "contact_address": 200, "description": 2000}
FIELDS = ("applicant_type", "applicant_name", "id_doc_type", "id_doc_number", "contact_phone", "contact_email",
          "contact_address", "description", "form_wanted")
MAX_REPLY_BYTES = 10 * 1024 * 1024
MAX_PROVIDED = APPLICATION_MAX_FILES  # the provided documents' public copies and their 附件
MAX_PULL = 100


# --------------------------------------------------------------------------- CAPTCHA

@dataclass(frozen=True)
class Captcha:
    question: str
    token: str


def new_captcha(secret: str) -> Captcha:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    expires = int((utcnow() + timedelta(minutes=CAPTCHA_MINUTES)).timestamp())
    nonce = secrets.token_hex(8)
    return Captcha(f"{DIGITS[a]}加{DIGITS[b]}等于多少？", f"{expires}.{nonce}.{_captcha_mac(secret, a + b, expires, nonce)}")


def _captcha_mac(secret: str, answer: int, expires: int, nonce: str) -> str:
    return hmac.new(secret.encode(), f"captcha|{answer}|{expires}|{nonce}".encode(), hashlib.sha256).hexdigest()


def check_captcha(secret: str, token: str, answer: str) -> str | None:
    """None when right (and the token is now used up), else the Chinese reason."""
    m = re.fullmatch(r"(\d{1,12})\.([0-9a-f]{16})\.([0-9a-f]{64})", token or "")
    answer = (answer or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if m is None:
        return "验证问题已失效，请回答新的问题。"
    if not re.fullmatch(r"\d{1,2}", answer):
        return "请用数字回答验证问题（如：12）。"
    expires, nonce, mac = int(m[1]), m[2], m[3]
    if expires < utcnow().timestamp():
        return "验证问题已过期，请回答新的问题。"
    if not hmac.compare_digest(mac, _captcha_mac(secret, int(answer), expires, nonce)):
        return "验证问题的答案不正确，请重新计算。"
    db.session.execute(delete(CaptchaUse).where(CaptchaUse.expires_at < utcnow()))
    db.session.add(CaptchaUse(token_hash=hashlib.sha256(token.encode()).hexdigest(),
                              expires_at=datetime.fromtimestamp(expires, utcnow().tzinfo)))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return "该验证问题已使用过，请回答新的问题。"
    return None


# --------------------------------------------------------------------------- submitting

def _code_hash(code: str) -> str:
    return hashlib.sha256(re.sub(r"[\s-]", "", code or "").upper().encode()).hexdigest()


def problems_of(form: dict[str, str]) -> list[str]:
    problems = []
    if form.get("applicant_type") not in APPLICANT_TYPES:
        problems.append("请选择申请人类型。")
    if not form.get("applicant_name", "").strip():
        problems.append("请填写申请人姓名或名称。")
    if not form.get("id_doc_number", "").strip():
        problems.append("请填写身份证明号码（条例第二十九条）。")
    if not (form.get("contact_phone", "").strip() or form.get("contact_email", "").strip()
            or form.get("contact_address", "").strip()):
        problems.append("请至少填写一种联系方式。")
    if not form.get("description", "").strip():
        problems.append("请填写所需政府信息的名称、文号或特征描述。")
    if form.get("form_wanted") not in FORMS_WANTED:
        problems.append("请选择获取信息的方式。")
    for name, limit in LIMITS.items():
        if len(form.get(name, "")) > limit:
            problems.append(f"有内容超过 {limit} 字的限制，请精简。")
            break
    return problems


def submit(form: dict[str, str]) -> tuple[PortalApplication, str]:
    """Store a checked application; returns it and its 查询码 (shown once, only its hash kept)."""
    problems = problems_of(form)
    if problems:
        raise PortalError(422, "invalid_application", "申请未提交。", problems)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    row = PortalApplication(public_id=secrets.token_hex(10), code_hash=_code_hash(code),
                            **{k: form.get(k, "").strip() for k in FIELDS}, updated_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return row, code


def by_code(code: str) -> PortalApplication | None:
    if not code or len(code) > 40:
        return None
    return db.session.execute(
        select(PortalApplication).where(PortalApplication.code_hash == _code_hash(code))
    ).scalar_one_or_none()


def pretty_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


# --------------------------------------------------------------------------- the intranet's side

def pending(limit: int) -> list[dict]:
    """Applications not yet confirmed as registered by the intranet, oldest first."""
    rows = db.session.execute(select(PortalApplication).where(PortalApplication.pulled_at.is_(None))
                              .order_by(PortalApplication.id).limit(max(1, min(limit, MAX_PULL)))).scalars()
    return [{"public_id": r.public_id, "submitted_at": r.submitted_at.isoformat(),
             **{k: getattr(r, k) for k in FIELDS}} for r in rows]


def acknowledge(public_ids: list[str]) -> int:
    if not isinstance(public_ids, list) or len(public_ids) > MAX_PULL or not all(
            isinstance(p, str) and len(p) <= 24 for p in public_ids):
        raise PortalError(400, "invalid_payload", "确认内容不符合接口规范。")
    n = db.session.execute(update(PortalApplication).where(PortalApplication.public_id.in_(public_ids),
                                                           PortalApplication.pulled_at.is_(None))
                           .values(pulled_at=utcnow())).rowcount
    db.session.commit()
    return n


def receive_status(data: dict) -> str:
    """The intranet's status of one application; an older version than the one held changes nothing."""
    try:
        public_id, version, label = str(data["public_id"]), int(data["version"]), str(data["status_label"])[:60]
        reference = str(data.get("reference") or "")[:40]
        due_on = date.fromisoformat(data["due_on"]) if data.get("due_on") else None
        replied_on = date.fromisoformat(data["replied_on"]) if data.get("replied_on") else None
        reply = data.get("reply")
        content = base64.b64decode(reply["content_b64"], validate=True) if reply else None
        filename = str(reply["filename"])[:120] if reply else None
        provided = [(str(f["filename"])[:200], base64.b64decode(f["content_b64"], validate=True))
                    for f in (data.get("provided") or [])[:MAX_PROVIDED + 1]]
    except (KeyError, TypeError, ValueError):
        raise PortalError(400, "invalid_payload", "状态内容不符合接口规范，未作任何修改。") from None
    if len(provided) > MAX_PROVIDED:
        raise PortalError(400, "invalid_payload", f"提供的文件超过 {MAX_PROVIDED} 份，未作任何修改。")
    if (content is not None and len(content) > MAX_REPLY_BYTES) or sum(len(d) for _, d in provided) > APPLICATION_MAX_FILES_BYTES:
        raise PortalError(413, "too_large", "答复文件过大。")
    row = db.session.execute(select(PortalApplication).where(PortalApplication.public_id == public_id)
                             .with_for_update()).scalar_one_or_none()
    if row is None:
        raise PortalError(404, "unknown_application", "没有这件申请。")
    if version <= row.status_version:
        db.session.rollback()
        return "unchanged"
    row.status_version, row.status_label, row.reference = version, label, reference
    row.due_on, row.replied_on, row.updated_at = due_on, replied_on, utcnow()
    if content is not None:
        row.reply_docx, row.reply_filename = content, filename
        db.session.execute(delete(PortalApplicationFile).where(PortalApplicationFile.application_id == row.id))
        for position, (name, blob) in enumerate(provided, 1):
            db.session.add(PortalApplicationFile(application_id=row.id, position=position, filename=name, data=blob))
    db.session.commit()
    return "updated"


def provided_files(row: PortalApplication) -> list[PortalApplicationFile]:
    return list(db.session.execute(select(PortalApplicationFile).where(PortalApplicationFile.application_id == row.id)
                                   .order_by(PortalApplicationFile.position)).scalars())
