"""The dashboard, the document page and the document search."""

from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ...authz import login_required, public
from ...policy import can_edit
from ...services import audit, drafting, files, issuing, queues
from ...services.documents import get_document
from ...workflow import STAGES, allowed_actions, queue_stages_for, work_queue_stages_for
from ..approval.context import dashboard_extras, document_extras
from ..review.forms import DecisionForm

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    stages = queue_stages_for(current_user.roles)
    work = work_queue_stages_for(current_user.roles)
    return render_template("main/index.html", queue_stages=stages, work_stages=work, STAGES=STAGES,
                           **dashboard_extras(current_user))


@bp.route("/documents/<int:doc_id>")
@login_required
def document(doc_id: int):
    doc = get_document(doc_id, current_user)
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
        files=files.files_of(doc.id),
        file_kinds=files.FILE_KINDS,
        **document_extras(doc, current_user),
    )


@bp.route("/documents/<int:doc_id>/preview")
@login_required
def preview(doc_id: int):
    """The GB/T 9704 layout as HTML: a fragment for HTMX, a page otherwise."""
    doc = get_document(doc_id, current_user)
    html = issuing.preview_html(doc)
    if request.htmx:
        return render_template("main/_preview.html", preview=html, doc=doc)
    return render_template("main/preview.html", preview=html, doc=doc)


@bp.route("/assets/gongwen-preview.css")
@public
def preview_css():
    """The layout preview's stylesheet, from the generator that owns it (one source)."""
    from ...docgen import PREVIEW_CSS

    resp = Response(PREVIEW_CSS, mimetype="text/css")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.route("/documents/<int:doc_id>/files/<int:file_id>")
@login_required
def download(doc_id: int, file_id: int):
    doc = get_document(doc_id, current_user)
    stored = next((f for f in files.files_of(doc.id) if f.id == file_id), None)
    if stored is None:
        abort(404)
    data = stored.data
    return Response(data, mimetype=stored.content_type, headers={
        "Content-Disposition": f"attachment; filename=document-{doc.id}.docx; filename*=UTF-8''{quote(stored.filename)}",
        "Content-Length": str(len(data)),
        "X-Content-SHA256": stored.sha256,
    })


@bp.route("/documents")
@login_required
def documents():
    q = (request.args.get("q") or "").strip()[:100]
    docs = queues.search_visible(current_user, q)
    return render_template("main/documents.html", docs=docs, q=q)
