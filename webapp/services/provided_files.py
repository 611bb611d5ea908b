"""What of the documents a reply provides reaches the applicant (read side, issue 9): each
document's public copy and the copies of its 附件, what still waits for an eye check, and whether
an online reply fits what the portal accepts.  Shared by the chain's checks (applications), the
status message (applications_portal) and the review (applications_provided), so none of them
imports another for it."""

from __future__ import annotations

from sqlalchemy import select

from gkt_protocol.payload import APPLICATION_MAX_FILES, APPLICATION_MAX_FILES_BYTES

from ..extensions import db
from ..models import ApplicationFile, ApplicationProvided, ApplicationProvidedAttachment


def provided_of(app_id: int) -> list[ApplicationProvided]:
    return list(db.session.execute(select(ApplicationProvided).where(ApplicationProvided.application_id == app_id)
                                   .order_by(ApplicationProvided.id)).scalars())


def attachments_of(provided_id: int) -> list[ApplicationProvidedAttachment]:
    return list(db.session.execute(select(ApplicationProvidedAttachment).where(
        ApplicationProvidedAttachment.provided_id == provided_id)
        .order_by(ApplicationProvidedAttachment.position, ApplicationProvidedAttachment.id)).scalars())


def files_with_reply(p: ApplicationProvided) -> list[ApplicationFile]:
    """What of a provided document reaches the applicant: its public copy, then the copies of its
    附件 (none of a withheld one); empty while its review is not confirmed."""
    if p.public_file_id is None:
        return []
    out = [db.session.get(ApplicationFile, p.public_file_id)]
    out += [db.session.get(ApplicationFile, a.public_file_id) for a in attachments_of(p.id) if a.public_file_id]
    return out


def unchecked(p: ApplicationProvided) -> list[str]:
    """The attachments still waiting for the reviewer's eye check."""
    return [a.filename for a in attachments_of(p.id) if a.needs_eye_check and a.eye_decision is None]


def reply_size_problems(app_id: int) -> list[str]:
    """The files an online reply carries must fit what the portal accepts (gkt_protocol's limits)."""
    sent = [f for p in provided_of(app_id) for f in files_with_reply(p)]
    total = sum(f.size for f in sent)
    out = []
    if len(sent) > APPLICATION_MAX_FILES:
        out.append(f"提供的文件及附件共 {len(sent)} 个，政府网站一次答复最多接收 {APPLICATION_MAX_FILES} 个，请减少提供的文件。")
    if total > APPLICATION_MAX_FILES_BYTES:
        out.append(f"提供的文件及附件合计 {total / 1048576:.1f} MB，超过政府网站一次答复可接收的 "
                   f"{APPLICATION_MAX_FILES_BYTES // 1048576} MB，请减少提供的文件。")
    return out
