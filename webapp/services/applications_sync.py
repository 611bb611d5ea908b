"""Pulling online applications from the portal, over gkt_protocol's signed HTTP (the portal
never reads the intranet): register each (channel 互联网, received the day the intranet
confirms it, Art. 31), then acknowledge.  An application registered twice is refused by its
unique `portal_ref`.  Run by `flask applications sync`.

The way back — status and replies — is the outbox (`applications_portal`): registering and every
move enqueue the status message in their own transaction, and the outbox worker delivers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from gkt_protocol import client

from .. import clock
from ..applications_flow import Channel
from ..extensions import db
from ..models import Application
from . import applications
from .errors import Invalid

PULL_PATH, ACK_PATH = "/api/applications/pull", "/api/applications/ack"


@dataclass
class SyncResult:
    pulled: int = 0
    refused: int = 0
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
