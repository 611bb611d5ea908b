"""The dashboard, the document page and the document search."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ...authz import login_required, public
from ...policy import can_edit
from ...services import audit, catalogue, drafting, files, issuing, publication, queues, search, transfers
from ...services.documents import get_document
from ...workflow import STAGES, allowed_actions, queue_stages_for, work_queue_stages_for
from ..approval.context import dashboard_extras, document_extras
from ..inputs import BadInput
from ..review.forms import DecisionForm
from .forms import DocumentSearchForm

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
    return render_document(doc)


def render_document(doc, *, decision_form: DecisionForm | None = None, decision_problems: list[str] | None = None,
                    status: int = 200):
    """The document page, assembled in this one place: also after a refused or conflicting
    decision (with what the reviewer typed), so nothing on it goes missing."""
    editable = can_edit(current_user, doc)
    return render_template(
        "main/document.html",
        doc=doc,
        actions=allowed_actions(doc.facts(), current_user.facts()),
        editable=editable,
        missing=drafting.submission_problems(doc) if editable else [],
        timeline=audit.document_timeline(doc.id),
        decision_form=decision_form or DecisionForm(version=doc.version),
        decision_problems=decision_problems or [],
        info=STAGES[doc.stage_enum],
        files=files.files_of(doc.id),
        file_kinds=files.FILE_KINDS,
        publication_facts=publication.for_document(doc),
        catalogue_panel=catalogue.document_panel(doc, current_user),  # issue 15
        transfer_facts=transfers.for_document(doc.id),  # issue 11
        **document_extras(doc, current_user),  # issue 10: 处理单, opinion choices, 会签
    ), status


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
        "Content-Disposition": files.content_disposition(stored),
        "Content-Length": str(len(data)),
        "X-Content-SHA256": stored.sha256,
    })


SEARCH_ARGS = ("q", "stage", "disclosure", "department", "date_field", "date_from", "date_to")


@bp.route("/documents")
@login_required
def documents():
    """Search by 文号, title and body, with filters; the rows alone for an HTMX request."""
    form = DocumentSearchForm(request.args)
    form.department.choices = [("", "全部")] + [(str(d.id), d.name) for d in queues.departments()]
    valid = form.validate()  # an unknown filter value is said next to the filter, not shown as 0 items
    if not valid and request.htmx and request.htmx.target != "main":
        raise BadInput("查询条件无效：" + "".join(form.labelled_errors()))
    page = search.search_documents(current_user, form.to_search(), request.args.get("cursor")) if valid else None
    filters = {k: v for k, v in request.args.items() if k in SEARCH_ARGS and v}
    context = dict(form=form, page=page, filters=filters)
    if request.htmx and request.htmx.target != "main":
        template = "main/_search_more.html" if request.args.get("cursor") else "main/_search_results.html"
        return render_template(template, **context)
    return render_template("main/documents.html", **context), 200 if valid else 400

