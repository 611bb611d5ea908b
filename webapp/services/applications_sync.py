"""The online applications' exchange with the portal, over gkt_protocol's signed HTTP (the
portal never reads the intranet): pull new applications and register them (channel 互联网,
received the day the intranet confirms them, Art. 31), then acknowledge; push each online
application's status, and its reply letter once replied, until the portal confirms the version.

State-based and idempotent: an application registered twice is refused by its unique
`portal_ref`, a status is resent until `portal_pushed_version` reaches the application's
version, and the portal ignores a version older than the one it holds.  Run by
`flask applications sync` (beside the outbox worker).  Only the applicant's own status and
reply go back, never anyone else's data.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy import select, update

from gkt_protocol import client

from .. import clock
from ..applications_flow import AppStage, Channel
from ..extensions import db
from ..models import Application
from . import applications
from .errors import Invalid

PULL_PATH, ACK_PATH, STATUS_PATH = "/api/applications/pull", "/api/applications/ack", "/api/applications/status"
PORTAL_LABELS = {
    AppStage.HANDLING: "已受理，正在办理", AppStage.CORRECTION: "需要补正，请按补正告知书补充申请内容",
    AppStage.CONSULTING: "已受理，正在征求意见", AppStage.FEE: "待缴纳信息处理费",
    AppStage.REPLY_REVIEW: "已受理，正在办理", AppStage.REPLIED: "已答复",
}


@dataclass
class SyncResult:
    pulled: int = 0
    refused: int = 0
    pushed: int = 0
    errors: list[str] | None = None


def pull(base_url: str, secret: str) -> SyncResult:
    result = SyncResult(errors=[])
    answer = client.send(base_url, PULL_PATH, secret, {"limit": 50})
    if not answer.ok:
        result.errors.append(answer.message)
        return result
    done = []
    for item in answer.data.get("applications", [])[:100]:
        ref = str(item.get("public_id", ""))[:40]
        if not ref:
            continue
        if db.session.execute(select(Application.id).where(Application.portal_ref == ref)).first():
            done.append(ref)  # registered before; the acknowledgement was lost
            continue
        try:
            applications.register(None, applications.RegisterInput(
                channel=Channel.ONLINE.value, received_on=clock.agency_today(),
                applicant_type=str(item.get("applicant_type", "")), applicant_name=str(item.get("applicant_name", "")),
                description=str(item.get("description", "")), id_doc_type=str(item.get("id_doc_type", "")),
                id_doc_number=str(item.get("id_doc_number", "")), contact_phone=str(item.get("contact_phone", "")),
                contact_address=str(item.get("contact_address", "")), contact_email=str(item.get("contact_email", "")),
                form_wanted=str(item.get("form_wanted", "electronic"))), portal_ref=ref)
        except Invalid as exc:
            result.refused += 1
            result.errors.append(f"{ref}: {'；'.join(exc.problems) or exc.message}")
            continue
        result.pulled += 1
        done.append(ref)
    if done:
        ack = client.send(base_url, ACK_PATH, secret, {"public_ids": done})
        if not ack.ok:
            result.errors.append(ack.message)
    return result


def status_message(app: Application) -> dict:
    message = {"public_id": app.portal_ref, "version": app.version, "status_label": PORTAL_LABELS[app.stage_enum],
               "reference": app.reference, "due_on": app.due_on.isoformat() if app.due_on else None,
               "replied_on": app.replied_on.isoformat() if app.replied_on else None, "reply": None}
    if app.stage_enum is AppStage.REPLIED:
        letter = next((f for f in reversed(applications.files_of(app.id)) if f.kind == "reply"), None)
        if letter is not None:
            message["reply"] = {"filename": letter.filename, "content_b64": base64.b64encode(letter.data).decode()}
    return message


def push_statuses(base_url: str, secret: str, limit: int = 200) -> SyncResult:
    result = SyncResult(errors=[])
    due = db.session.execute(select(Application).where(
        Application.portal_ref.is_not(None), Application.portal_pushed_version < Application.version
    ).order_by(Application.id).limit(limit)).scalars().all()
    for app in due:
        answer = client.send(base_url, STATUS_PATH, secret, status_message(app))
        if not answer.ok:
            result.errors.append(f"{app.reference}: {answer.message}")
            continue
        db.session.execute(update(Application).where(Application.id == app.id)
                           .values(portal_pushed_version=app.version)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        result.pushed += 1
    return result
