"""The online application form (no login), the 查询码 status page and the reply download, and
the signed API the intranet calls to pull applications and push their status back."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from gkt_protocol.payload import ATTACHMENT_TYPES, attachment_extension

from .api import _signed_json
from .attachments import content_disposition
from .services import PortalError, applying

applying_bp = Blueprint("applying", __name__)


def _no_store(body, status: int = 200) -> Response:
    response = current_app.response_class(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_page(form: dict, problems: list[str], status: int = 200) -> Response:
    captcha = applying.new_captcha(current_app.config["PORTAL_PUSH_SECRET"])
    return _no_store(render_template("portal/apply.html", form=form, problems=problems, captcha=captcha,
                                     applicant_types=applying.APPLICANT_TYPES, forms_wanted=applying.FORMS_WANTED,
                                     column="依申请公开"), status)


@applying_bp.get("/yisqgk/")
def apply_form():
    return _form_page({"applicant_type": "person", "form_wanted": "electronic"}, [])


@applying_bp.post("/yisqgk/")
def apply_submit():
    form = {k: request.form.get(k, "") for k in applying.FIELDS}
    problem = applying.check_captcha(current_app.config["PORTAL_PUSH_SECRET"], request.form.get("captcha_token", ""),
                                     request.form.get("captcha_answer", ""))
    problems = applying.problems_of(form) + ([problem] if problem else [])
    if problems:
        return _form_page(form, problems, 422)
    row, code = applying.submit(form)
    return _no_store(render_template("portal/apply_done.html", code=applying.pretty_code(code), column="依申请公开"))


@applying_bp.route("/yisqgk/chaxun", methods=["GET", "POST"])
def status():
    """The status behind a 查询码 (POST, so the code stays out of addresses and logs)."""
    row, problem = None, ""
    if request.method == "POST":
        row = applying.by_code(request.form.get("code", ""))
        if row is None:
            problem = "查询码不正确，请核对后重新输入。"
    return _no_store(render_template("portal/apply_status.html", row=row, problem=problem,
                                     provided=applying.provided_files(row) if row else [],
                                     code=request.form.get("code", "") if row else "", column="依申请公开"),
                     404 if problem else 200)


@applying_bp.post("/yisqgk/dafu")
def reply_download():
    row = applying.by_code(request.form.get("code", ""))
    if row is None or row.reply_docx is None:
        return _no_store(render_template("portal/apply_status.html", row=None, problem="查询码不正确或尚未答复。",
                                         provided=[], code="", column="依申请公开"), 404)
    return Response(row.reply_docx, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename=reply.docx; filename*=UTF-8''{quote(row.reply_filename or '答复.docx')}",
                             "Cache-Control": "no-store"})


@applying_bp.post("/yisqgk/dafu/<int:position>")
def provided_download(position: int):
    """A document the reply provides (its public copy), behind the 查询码 like the reply."""
    row = applying.by_code(request.form.get("code", ""))
    found = next((f for f in applying.provided_files(row) if f.position == position), None) if row else None
    if found is None:
        return _no_store(render_template("portal/apply_status.html", row=None, problem="查询码不正确或没有该文件。",
                                         provided=[], code="", column="依申请公开"), 404)
    ext = attachment_extension(found.filename)  # the type from the name (gkt_protocol's table), never guessed
    mimetype = ATTACHMENT_TYPES.get(ext, ("application/octet-stream", ""))[0]
    return Response(found.data, content_type=mimetype,
                    headers={"Content-Disposition": content_disposition(found.filename, f"document-{position}"),
                             "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@applying_bp.post("/api/applications/pull")
def api_pull():
    data = _signed_json()
    limit = data.get("limit", 50) if isinstance(data, dict) else 50
    return jsonify(ok=True, applications=applying.pending(limit if isinstance(limit, int) else 50))


@applying_bp.post("/api/applications/ack")
def api_ack():
    data = _signed_json()
    if not isinstance(data, dict):
        raise PortalError(400, "invalid_payload", "确认内容不符合接口规范。")
    return jsonify(ok=True, acknowledged=applying.acknowledge(data.get("public_ids")))


@applying_bp.post("/api/applications/status")
def api_status():
    data = _signed_json()
    if not isinstance(data, dict):
        raise PortalError(400, "invalid_payload", "状态内容不符合接口规范。")
    return jsonify(ok=True, status=applying.receive_status(data))
