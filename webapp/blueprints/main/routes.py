"""The dashboard, the document page and the document search."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from ...authz import login_required
from ...policy import can_edit
from ...services import audit, drafting, queues
from ...workflow import STAGES, allowed_actions, queue_stages_for
from ..review.forms import DecisionForm

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    stages = queue_stages_for(current_user.roles)
    return render_template("main/index.html", queue_stages=stages, STAGES=STAGES)


@bp.route("/documents/<int:doc_id>")
@login_required
def document(doc_id: int):
    doc = drafting.load_document(doc_id, current_user)
    actions = allowed_actions(doc.facts(), current_user.facts())
    return render_template(
        "main/document.html",
        doc=doc,
        actions=actions,
        editable=can_edit(current_user, doc),
        missing=drafting.submission_problems(doc) if can_edit(current_user, doc) else [],
        timeline=audit.document_timeline(doc.id),
        decision_form=DecisionForm(version=doc.version),
        info=STAGES[doc.stage_enum],
    )


@bp.route("/documents")
@login_required
def documents():
    q = (request.args.get("q") or "").strip()[:100]
    docs = queues.search_visible(current_user, q)
    return render_template("main/documents.html", docs=docs, q=q)


@bp.route("/nav/counts")
@login_required
def nav_counts():
    """The navigation counters alone, for an HTMX refresh."""
    return render_template("main/_nav.html", oob=True)
