"""What the approval adds to other blueprints' pages (the document page, the dashboard):
assembled here from the services, so those views each add one line."""

from __future__ import annotations

from ...models import Document, User
from ...services import countersign, opinions, secrecy
from ...workflow import may_change_countersign


def document_extras(doc: Document, user: User) -> dict:
    """The 处理单, the opinion choices of the decision form and the 会签 panel."""
    return dict(
        record=opinions.processing_record(doc.id),
        opinion_choices=opinions.choices_for(doc, user),
        countersigns=countersign.listed(doc),
        countersign_headless=countersign.without_head(doc),
        countersign_candidates=countersign.may_be_added(doc),
        may_change_countersign=may_change_countersign(doc.facts(), user.facts()),
    )


def dashboard_extras(user: User) -> dict:
    """The drafter's documents the secrecy office took out of this system (涉及国家秘密)."""
    return {"classified": secrecy.classified_of(user)}
