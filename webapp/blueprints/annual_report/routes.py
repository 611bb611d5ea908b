"""The annual report's pages: the year's report with its tables (every computed number a link
to the records it counts), the hand entries, the text sections, the .docx, and the step that
turns it into an ordinary 公文 draft for the chain."""

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ... import annual_report as rules
from ... import clock
from ...authz import roles_required
from ...services import annual_report as reports
from ...services.errors import Conflict, Forbidden, Invalid
from ...workflow import Role
from .forms import HAND_CELLS, DraftForm, EntriesForm, OpenForm, TextForm, field_name

bp = Blueprint("annual_report", __name__, url_prefix="/annual-report")
viewers = roles_required(Role.OFFICE, Role.LEADER, Role.DISCLOSURE_HEAD)
office = roles_required(Role.OFFICE)


@bp.route("/")
@viewers
def index():
    this_year = clock.agency_today().year
    years = list(range(this_year, max(reports.MIN_YEAR, this_year - 5) - 1, -1))
    return render_template("annual_report/index.html", statuses=[reports.report_status(y) for y in years],
                           open_form=OpenForm(formdata=None))


def _entries_form(v, formdata=None):
    form = EntriesForm(formdata=formdata)
    if formdata is None:
        form.version.data = v.report.version if v.report else 0
        form.makes_rules.data = v.makes_rules
        for cell, entry in v.entries.items():
            f = getattr(form, field_name(cell), None)
            if f is not None:
                f.data = entry.value
    return form


def _text_form(v, formdata=None):
    if formdata is not None:
        return TextForm(formdata=formdata)
    r = v.report
    return TextForm(formdata=None, version=r.version if r else 0, recipients=r.recipients if r else "",
                    overview_html=r.overview_html if r else "", problems_html=r.problems_html if r else "",
                    other_html=r.other_html if r else "")


def _page(year: int, *, entries_form=None, text_form=None, problems=(), status=200):
    v = reports.view(year)
    doc_status = reports.report_status(year)
    return render_template(
        "annual_report/report.html", v=v, rules=rules, status=doc_status,
        t2=rules.table2_grid(v.figures, v.makes_rules), t3=rules.table3_grid(v.figures),
        t4=rules.table4_grid(v.figures), entries_form=entries_form or _entries_form(v),
        text_form=text_form or _text_form(v), open_form=OpenForm(formdata=None),
        draft_form=DraftForm(formdata=None, version=v.report.version if v.report else 0),
        problems=list(problems), may_edit=reports.may_edit(current_user), hand_cells=HAND_CELLS,
        field_name=field_name, computed_keys=set(rules.computed_cells()),
        adjustable=rules.ADJUSTABLE,
    ), status


@bp.route("/<int:year>")
@viewers
def report(year: int):
    reports.check_year(year)
    return _page(year)


@bp.route("/<int:year>/open", methods=["POST"])
@office
def open_report(year: int):
    reports.check_year(year)
    form = OpenForm()
    if not form.validate_on_submit():
        return _page(year, problems=form.labelled_errors(), status=400)
    reports.open_report(year, current_user)
    flash(f"已开始编写{year}年度报告，文字部分已按本年数据预填。", "ok")
    return redirect(url_for("annual_report.report", year=year))


def _place(form, problems: list[str]) -> None:
    """Each message next to the field of the cell it names (and all of them at the top)."""
    for f in form:
        if f.name.startswith("t"):
            name = f.label.text
            f.errors = [p for p in problems if p.startswith(name + "：")]


@bp.route("/<int:year>/entries", methods=["POST"])
@office
def entries(year: int):
    reports.check_year(year)
    form = EntriesForm()
    if not form.validate_on_submit():
        return _page(year, entries_form=form, problems=form.labelled_errors(), status=422)
    try:
        reports.save_entries(year, current_user, form.values(), bool(form.makes_rules.data), form.version.data)
    except (Invalid, Conflict) as exc:
        problems = exc.problems or [exc.message]
        _place(form, problems)
        return _page(year, entries_form=form, problems=[exc.message, *problems] if exc.problems else problems,
                     status=exc.status)
    flash("已保存手工填报的数字。", "ok")
    return redirect(url_for("annual_report.report", year=year) + "#entries")


@bp.route("/<int:year>/text", methods=["POST"])
@office
def text(year: int):
    reports.check_year(year)
    form = TextForm()
    if not form.validate_on_submit():
        return _page(year, text_form=form, problems=form.labelled_errors(), status=422)
    try:
        reports.save_text(year, current_user, form.overview_html.data or "", form.problems_html.data or "",
                          form.other_html.data or "", form.recipients.data or "", form.version.data)
    except (Invalid, Conflict) as exc:
        return _page(year, text_form=form, problems=exc.problems or [exc.message], status=exc.status)
    flash("已保存文字部分。", "ok")
    return redirect(url_for("annual_report.report", year=year) + "#text")


@bp.route("/<int:year>/draft", methods=["POST"])
@office
def draft(year: int):
    reports.check_year(year)
    form = DraftForm()
    if not form.validate_on_submit():
        return _page(year, problems=form.labelled_errors(), status=422)
    try:
        doc = reports.make_draft(year, current_user, form.version.data)
    except (Invalid, Conflict, Forbidden) as exc:
        return _page(year, problems=[exc.message, *exc.problems], status=exc.status)
    flash("已生成年度报告公文草稿：请核对后提交审核（办公室审核、领导签发后印发并发布）。", "ok")
    return redirect(url_for("main.document", doc_id=doc.id))


@bp.route("/<int:year>/cell/<cell>")
@viewers
def cell(year: int, cell: str):
    reports.check_year(year)
    found = reports.records(year, cell)
    v = reports.view(year)
    entry = v.entries.get(cell)
    return render_template("annual_report/cell.html", year=year, found=found, value=v.figures.get(cell, 0),
                           entry=entry, limit=reports.LIST_LIMIT, reports=reports)


@bp.route("/<int:year>/report.docx")
@viewers
def download(year: int):
    reports.check_year(year)
    filename, data = reports.docx_of(year)
    from urllib.parse import quote

    return Response(data, mimetype=reports.DOCX, headers={
        "Content-Disposition": f"attachment; filename=\"annual-report-{year}.docx\"; filename*=UTF-8''{quote(filename)}"})
