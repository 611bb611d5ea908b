"""The standard catalogue (标准目录, issue 15): the tree, items and their versions, spreadsheets
in and out (admin and office); a document's 目录事项 and the mismatch confirmation (office)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...authz import roles_required
from ...catalogue import MAX_FILE_BYTES
from ...services import catalogue, catalogue_portal
from ...services.documents import get_document
from ...services.errors import Forbidden, Invalid
from ...workflow import Role, Stage
from ..forms import EmptyForm
from .forms import ChannelForm, DocumentItemForm, ImportForm, ItemForm, MismatchForm

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
keepers = roles_required(Role.ADMIN, Role.OFFICE)


@bp.route("/")
@roles_required()
def index():
    return render_template("catalogue/index.html", tree=catalogue.tree(),
                           can_keep=bool(current_user.roles & {Role.ADMIN, Role.OFFICE}),
                           portal=catalogue_portal.state(), publish_form=EmptyForm())


@bp.route("/publish", methods=["POST"])
@keepers
def publish():
    """Send the whole catalogue to the portal (through the outbox), as a new version."""
    if not EmptyForm().validate_on_submit():
        raise Invalid("目录未发布。", ["表单已过期，请刷新页面后重试。"])
    published = catalogue_portal.publish(current_user)
    flash(f"已提交发布标准目录（第 {published.version} 版，{published.item_count} 项），将推送至政府网站。", "ok")
    return redirect(url_for("catalogue.index"))


def _item_page(form: ItemForm, item=None, parent=None, problems=None, status=200):
    return render_template("catalogue/item_form.html", form=form, item=item, parent=parent,
                           problems=problems or []), status


def _parent(value: str | None):
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        abort(404)
    return catalogue.get_item(int(value))


@bp.route("/new", methods=["GET", "POST"])
@keepers
def new_item():
    parent = _parent(request.args.get("parent"))
    form = ItemForm()
    if form.validate_on_submit():
        try:
            item = catalogue.save_item(current_user, form.values(), parent_id=parent.id if parent else None)
        except Invalid as exc:
            return _item_page(form, None, parent, exc.problems, 422)
        flash(f"已添加目录事项“{item.name}”。", "ok")
        return redirect(url_for("catalogue.index") + f"#item-{item.id}")
    return _item_page(form, None, parent, status=422 if form.errors else 200)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@keepers
def edit_item(item_id: int):
    item = catalogue.get_item(item_id)
    form = ItemForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            catalogue.save_item(current_user, form.values(), item_id=item.id)
        except Invalid as exc:
            return _item_page(form, item, item.parent, exc.problems, 422)
        flash(f"已保存目录事项“{item.name}”（第 {item.version} 版）。", "ok")
        return redirect(url_for("catalogue.index") + f"#item-{item.id}")
    return _item_page(form, item, item.parent, status=422 if form.errors else 200)


@bp.route("/<int:item_id>/history")
@roles_required()
def history(item_id: int):
    item = catalogue.get_item(item_id)
    return render_template("catalogue/history.html", item=item, changes=catalogue.history(item.id),
                           labels=catalogue.ELEMENT_LABELS)


@bp.route("/import", methods=["GET", "POST"])
@keepers
def import_sheet():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            return render_template("catalogue/import.html", form=form, problems=["请选择要导入的 .xlsx 文件。"]), 422
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            pending, diff = catalogue.preview_import(current_user, upload.filename, data)
        except Invalid as exc:
            return render_template("catalogue/import.html", form=form, message=exc.message,
                                   problems=exc.problems), 422
        return redirect(url_for("catalogue.import_preview", import_id=pending.id))
    return render_template("catalogue/import.html", form=form, problems=[]), 422 if form.errors else 200


@bp.route("/import/<int:import_id>")
@keepers
def import_preview(import_id: int):
    pending, diff = catalogue.pending_import(import_id, current_user)
    return render_template("catalogue/preview.html", pending=pending, diff=diff, form=EmptyForm())


@bp.route("/import/<int:import_id>/apply", methods=["POST"])
@keepers
def apply_import(import_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        diff = catalogue.apply_import(current_user, import_id)
    except Invalid as exc:
        flash(exc.message, "danger")
        return redirect(url_for("catalogue.import_sheet"))
    flash(f"已导入：新增 {len(diff.added)} 项，修改 {len(diff.changed)} 项，停用 {len(diff.retired)} 项。", "ok")
    return redirect(url_for("catalogue.index"))


@bp.route("/export.xlsx")
@roles_required()
def export():
    return Response(catalogue.export_xlsx(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename*=UTF-8''%E6%A0%87%E5%87%86%E7%9B%AE%E5%BD%95.xlsx"})


# --------------------------------------------------------------------------- a document's 目录事项

def _office_document(doc_id: int):
    doc = get_document(doc_id, current_user)
    if doc.stage != Stage.OFFICE_REVIEW.value:
        raise Forbidden("只有在办公室审核阶段才能修改目录事项或确认不一致。")
    if doc.drafter_id == current_user.id:
        raise Forbidden("不能审核自己起草的文件。")
    return doc


@bp.route("/documents/<int:doc_id>/item", methods=["POST"])
@roles_required(Role.OFFICE)
def document_item(doc_id: int):
    doc = _office_document(doc_id)
    form = DocumentItemForm()
    if not form.validate_on_submit():
        raise Invalid("目录事项未修改。", [e for errs in form.errors.values() for e in errs] or ["表单已过期，请刷新页面后重试。"])
    raw = form.catalogue_item_id.data or ""
    item_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    catalogue.set_document_item(doc, current_user, item_id, form.version.data)
    flash("已修改目录事项。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id))


@bp.route("/documents/<int:doc_id>/mismatch", methods=["POST"])
@roles_required(Role.OFFICE)
def confirm_mismatch(doc_id: int):
    doc = _office_document(doc_id)
    form = MismatchForm()
    if not form.validate_on_submit():
        raise Invalid("未确认。", [e for errs in form.errors.values() for e in errs] or ["表单已过期，请刷新页面后重试。"])
    catalogue.confirm_mismatch(doc, current_user, form.reason.data or "", form.version.data)
    flash("已记录确认理由。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id))


@bp.route("/documents/<int:doc_id>/channels", methods=["POST"])
@roles_required(Role.PUBLISHER)
def record_channel(doc_id: int):
    doc = get_document(doc_id, current_user)
    form = ChannelForm()
    if not form.validate_on_submit():
        raise Invalid("发布渠道未登记。", [e for errs in form.errors.values() for e in errs]
                      or ["表单已过期，请刷新页面后重试。"])
    catalogue.record_channel(doc, current_user, catalogue.ChannelInput(
        form.channel.data or "", form.start_date.data, form.end_date.data, form.place.data or "",
        form.account.data or "", form.link.data or "", form.note.data or ""))
    flash(f"已登记在“{form.channel.data}”的发布。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id) + "#catalogue-item")
