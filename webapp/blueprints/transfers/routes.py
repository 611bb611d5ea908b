"""Archive staff (issue 11, R9, R10): transfers to the reading room, the archives and the library;
归档 with the DA/T 22 档号.  The admin sets up the destinations and the 全宗号."""

from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from ...authz import roles_required
from ...services import self_review, transfers
from ...services.errors import Conflict, Invalid
from ...services.files import DOCX
from ...workflow import Role
from .forms import (
    ArchiveSettingsForm,
    BatchForm,
    DestinationForm,
    FileRecordForm,
    ReceiptForm,
    SelfReviewDecisionForm,
    SelfReviewResponseForm,
    batch_input,
    parse_picks,
)

bp = Blueprint("transfers", __name__, url_prefix="/transfers")
archivist_only = roles_required(Role.ARCHIVIST)
admin_only = roles_required(Role.ADMIN)


@bp.route("/")
@archivist_only
def dashboard():
    """Per destination: delivered, pending, overdue against its period; recent batches."""
    return render_template("transfers/dashboard.html", summaries=transfers.dashboard(),
                           batches=transfers.recent_batches(limit=20))


def _pending_page(dest, form: BatchForm | None = None, problems: list[str] | None = None, status: int = 200):
    rows = transfers.pending(dest)
    chosen = set(request.form.getlist("select")) if request.method == "POST" else set()
    return render_template("transfers/pending.html", dest=dest, rows=rows, form=form or BatchForm(),
                           withdrawals=transfers.withdrawals_due(dest), problems=problems or [], chosen=chosen,
                           values=request.form if request.method == "POST" else {},
                           batches=transfers.recent_batches(dest.id, limit=10)), status


@bp.route("/destinations/<int:dest_id>")
@archivist_only
def pending(dest_id: int):
    return _pending_page(transfers.get_destination(dest_id))


@bp.route("/destinations/<int:dest_id>/batches", methods=["POST"])
@archivist_only
def create_batch(dest_id: int):
    dest = transfers.get_destination(dest_id)
    form = BatchForm()
    if not form.validate_on_submit():
        return _pending_page(dest, form, [m for msgs in form.errors.values() for m in msgs], 422)
    picks = parse_picks(request.form)
    if isinstance(picks, str):
        return _pending_page(dest, form, [picks], 422)
    try:
        batch = transfers.create_batch(current_user, batch_input(dest.id, form, picks))
    except (Invalid, Conflict) as exc:
        return _pending_page(dest, form, [exc.message, *exc.problems], exc.status)
    flash(f"已生成送交批次 {batch.batch_no}：请下载目录表{'和电子文件包' if batch.medium != 'paper' else ''}，"
          "送交后登记签收回执。", "ok")
    return redirect(url_for("transfers.batch", batch_id=batch.id))


def _batch_page(batch, form: ReceiptForm | None = None, problems: list[str] | None = None, status: int = 200):
    return render_template("transfers/batch.html", batch=batch, files=transfers.batch_files(batch.id),
                           file_labels=transfers.FILE_LABELS, form=form or ReceiptForm(), problems=problems or []), \
        status


@bp.route("/batches/<int:batch_id>")
@archivist_only
def batch(batch_id: int):
    return _batch_page(transfers.get_batch(batch_id))


@bp.route("/batches/<int:batch_id>/receipt", methods=["POST"])
@archivist_only
def receipt(batch_id: int):
    found = transfers.get_batch(batch_id)
    form = ReceiptForm()
    if not form.validate_on_submit():
        return _batch_page(found, form, [], 422)
    filename, data = form.upload()
    try:
        transfers.record_receipt(found.id, current_user, form.delivered_by.data, form.received_by.data,
                                 form.received_on.data, filename, data)
    except Invalid as exc:
        return _batch_page(transfers.get_batch(batch_id), form, [exc.message, *exc.problems], 422)
    flash("签收回执已登记，本批次送交完成。", "ok")
    return redirect(url_for("transfers.batch", batch_id=found.id))


@bp.route("/batches/<int:batch_id>/files/<int:file_id>")
@archivist_only
def download(batch_id: int, file_id: int):
    f = transfers.batch_file(batch_id, file_id)
    return send_file(BytesIO(f.data), mimetype=f.content_type, as_attachment=True, download_name=f.filename)


@bp.route("/documents/<int:doc_id>/file", methods=["POST"])
@archivist_only
def file_record(doc_id: int):
    """归档: the document gets its 档号 (DA/T 22)."""
    form = FileRecordForm()
    if not form.validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    try:
        filing = transfers.file_document(doc_id, current_user, form.retention.data)
    except Invalid as exc:
        flash("".join([exc.message, *exc.problems]), "danger")
    else:
        flash(f"已归档，档号 {filing.archive_code}。", "ok")
    return redirect(url_for("main.document", doc_id=doc_id))


# --------------------------------------------------------------------------- the admin's settings

@bp.route("/admin/destinations", methods=["GET", "POST"])
@admin_only
def destinations():
    form = DestinationForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            transfers.save_destination(current_user, None, form.to_input())
        except Invalid as exc:
            problems = exc.problems or [exc.message]
        else:
            flash("送交单位已保存。", "ok")
            return redirect(url_for("transfers.destinations"))
    return render_template("transfers/destinations.html", form=form, problems=problems,
                           rows=transfers.destinations(), settings=transfers.archive_settings()), \
        422 if problems or form.errors else 200


@bp.route("/admin/destinations/<int:dest_id>", methods=["GET", "POST"])
@admin_only
def edit_destination(dest_id: int):
    dest = transfers.get_destination(dest_id)
    form = DestinationForm(obj=dest)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            transfers.save_destination(current_user, dest.id, form.to_input())
        except Invalid as exc:
            problems = exc.problems or [exc.message]
        else:
            flash("送交单位已保存。", "ok")
            return redirect(url_for("transfers.destinations"))
    return render_template("transfers/destination_form.html", form=form, problems=problems, dest=dest), \
        422 if problems or form.errors else 200


@bp.route("/admin/archive-settings", methods=["GET", "POST"])
@admin_only
def archive_settings():
    current = transfers.archive_settings()
    form = ArchiveSettingsForm(obj=current)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            transfers.save_archive_settings(current_user, form.fonds_no.data, form.org_code.data,
                                            form.default_retention.data)
        except Invalid as exc:
            problems = exc.problems or [exc.message]
        else:
            flash("归档设置已保存。", "ok")
            return redirect(url_for("transfers.archive_settings"))
    return render_template("transfers/archive_settings.html", form=form, problems=problems), \
        422 if problems or form.errors else 200


# --------------------------------------------------------------------------- R10: the yearly self-review

def _year() -> int:
    raw = request.args.get("year", "")
    if not raw:
        return self_review.default_year()
    if not raw.isdigit() or len(raw) != 4:
        raise Invalid("年度应为四位数字。")
    return self_review.check_year(int(raw))


def _review_page(year: int, problems: list[str] | None = None, status: int = 200):
    return render_template("transfers/self_review.html", year=year, rows=self_review.review_list(year),
                           form=SelfReviewDecisionForm(), problems=problems or [],
                           may_decide=Role.OFFICE in current_user.roles), status


@bp.route("/self-review")
@roles_required(Role.OFFICE, Role.ARCHIVIST)
def self_review_list():
    return _review_page(_year())


@bp.route("/self-review/<int:doc_id>/decide", methods=["POST"])
@roles_required(Role.OFFICE)
def self_review_decide(doc_id: int):
    year = _year()
    form = SelfReviewDecisionForm()
    if not form.validate_on_submit():
        return _review_page(year, [m for msgs in form.errors.values() for m in msgs], 422)
    try:
        self_review.decide(current_user, year, doc_id, form.decision.data, form.reason.data)
    except Invalid as exc:
        return _review_page(year, [exc.message, *exc.problems], 422)
    flash("复核结论已记录。" if form.decision.data == "keep" else "已转请起草处室确认。", "ok")
    return redirect(url_for("transfers.self_review_list", year=year))


@bp.route("/self-review/summary")
@roles_required(Role.OFFICE, Role.ARCHIVIST)
def self_review_summary():
    year = _year()
    return send_file(BytesIO(self_review.summary_docx(year)), mimetype=DOCX, as_attachment=True,
                     download_name=f"{year}年度依申请公开和不予公开信息复核情况.docx")


@bp.route("/self-review/mine")
@roles_required(Role.DRAFTER)
def self_review_mine():
    return render_template("transfers/self_review_mine.html", reviews=self_review.awaiting(current_user),
                           form=SelfReviewResponseForm())


@bp.route("/self-review/reviews/<int:review_id>/respond", methods=["POST"])
@roles_required(Role.DRAFTER)
def self_review_respond(review_id: int):
    form = SelfReviewResponseForm()
    if not form.validate_on_submit():
        raise Invalid("表单无效，请刷新页面后重试。")
    try:
        self_review.respond(review_id, current_user, form.answer.data == "agree", form.reason.data or "")
    except (Invalid, Conflict) as exc:
        flash("".join([exc.message, *exc.problems]), "danger")
    else:
        flash("已确认：该文件转为主动公开，进入去标识化审查后发布。" if form.answer.data == "agree"
              else "异议已提交办公室。", "ok")
    return redirect(url_for("transfers.self_review_mine"))
