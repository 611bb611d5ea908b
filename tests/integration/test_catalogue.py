"""The standard catalogue (issue 15) over real HTTP and a real database: spreadsheets in and out
(read back with openpyxl), previews and differences before anything is saved, versions, the
deadline from an item's 公开时限, and the office's warning when 公开方式 and attribute disagree."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.conftest import login, post
from tests.helpers import doc, submitted, user
from tests.pubhelpers import ready, set_agency
from webapp import catalogue as rules
from webapp import clock
from webapp.extensions import db
from webapp.models import AuditEvent, CatalogueChange, CatalogueImport, CatalogueItem, Document
from webapp.services import catalogue, publication
from webapp.services.holidays import working_calendar
from webapp.workdays import add_working_days

RELIEF = ("救灾", "灾后救助", "过渡期生活救助", "救助对象、救助标准、救助资金发放情况",
          "《自然灾害救助条例》第十九条", "信息形成或变更之日起20个工作日内", "县级应急管理部门",
          "政府网站、公开栏", "全社会", "主动", "县级、乡级")
WARNING = ("救灾", "备灾管理", "灾害预警信息", "预警级别、影响范围", "《中华人民共和国突发事件应对法》第四十四条",
           "实时", "县级应急管理部门", "政府网站、政务新媒体", "全社会", "主动", "县级")
PUNISH = ("安全生产", "依法行政", "行政处罚结果", "处罚对象、违法事实、处罚依据、处罚结果",
          "《中华人民共和国安全生产法》；《政府信息公开条例》第二十条", "信息形成或变更之日起7个工作日内",
          "县级应急管理部门", "政府网站", "全社会", "主动", "县级")
REQUEST = ("安全生产", "行政管理", "事故调查内部材料", "调查过程材料", "《政府信息公开条例》第十六条",
           "", "县级应急管理部门", "", "特定群体", "依申请", "县级")


def xlsx(*rows, header=rules.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_APP = {}


@pytest.fixture
def cast(app, chain_cast):
    """Requests run outside any app context held by the test (a held one would share `g`, and
    with it a CSRF token, between requests); database steps open their own with `ctx()`."""
    _APP["app"] = app
    with app.app_context():
        set_agency(chain_cast["admin"])
        catalogue.seed_first_level()
    return chain_cast


def ctx():
    return _APP["app"].app_context()


def counts() -> tuple[int, int, int]:
    with ctx():
        n = lambda model: db.session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        return n(CatalogueItem), n(CatalogueChange), n(CatalogueImport)


def upload(client, data: bytes, name: str = "目录.xlsx"):
    return post(client, "/catalogue/import", {"file": (io.BytesIO(data), name)},
                content_type="multipart/form-data")


def item_named(name: str) -> CatalogueItem:
    """The item, loaded with its parent, detached from a context of its own."""
    with ctx():
        item = db.session.execute(select(CatalogueItem).where(CatalogueItem.name == name)).scalar_one()
        _ = item.parent and item.parent.name
        db.session.expunge_all()
        return item


def test_seeded_first_level_items_are_the_seeds_and_nothing_more(cast):
    with ctx():
        tree = catalogue.tree()
        assert [(b.item.domain, b.item.name) for b in tree] == [
            (d, n) for d in sorted(rules.SEED_FIRST_LEVEL) for n in rules.SEED_FIRST_LEVEL[d]]
        assert all(not b.children for b in tree)


def test_a_realistic_spreadsheet_round_trips_through_preview_apply_and_export(app, cast):
    admin = app.test_client()
    login(admin, "admin")
    resp = upload(admin, xlsx(RELIEF, WARNING, PUNISH, REQUEST))
    assert resp.status_code == 302, resp.get_data(as_text=True)[-3000:]
    preview = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "新增二级事项 4 项" in preview and "过渡期生活救助" in preview
    assert counts()[0] == 10  # previewed, nothing applied yet
    resp = post(admin, resp.headers["Location"] + "/apply")
    assert resp.status_code == 302
    assert counts()[0] == 14
    assert item_named("行政处罚结果").parent.name == "依法行政"

    exported = admin.get("/catalogue/export.xlsx")
    assert exported.status_code == 200
    ws = load_workbook(io.BytesIO(exported.data)).active
    rows = [tuple(c or "" for c in r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == rules.HEADERS
    assert sorted(rows[1:]) == sorted([RELIEF, WARNING, PUNISH, REQUEST])
    # the exported file imported again: no differences
    again = upload(admin, exported.data)
    assert "无需导入" in admin.get(again.headers["Location"]).get_data(as_text=True)

    page = admin.get("/catalogue/").get_data(as_text=True)
    assert "按 7 个工作日计算发布期限" in page and "实时（至迟下一个工作日）" in page


def test_malformed_rows_are_reported_by_row_and_column_and_nothing_is_saved(app, cast):
    admin = app.test_client()
    login(admin, "admin")
    bad_mode = list(PUNISH)
    bad_mode[9] = "公开"
    no_name = list(RELIEF)
    no_name[2] = ""
    before = counts()
    resp = upload(admin, xlsx(RELIEF, bad_mode, no_name))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "第 3 行“公开方式”列：须为“主动”或“依申请”。" in html
    assert "第 4 行“二级事项”列：不能为空。" in html
    assert counts() == before  # no item, no version, not even the pending file

    resp = upload(admin, b"not a workbook", "目录.xlsx")
    assert resp.status_code == 422 and "无法读取该文件" in resp.get_data(as_text=True)
    assert counts() == before


def test_a_second_import_shows_the_differences_before_applying_them(app, cast):
    admin = app.test_client()
    login(admin, "admin")
    post(admin, upload(admin, xlsx(RELIEF, PUNISH, REQUEST)).headers["Location"] + "/apply")
    punish_v = item_named("行政处罚结果").version

    changed = list(PUNISH)
    changed[5] = "信息形成或变更之日起5个工作日内"
    resp = upload(admin, xlsx(RELIEF, changed, WARNING))  # REQUEST dropped, WARNING new
    preview = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "新增二级事项 1 项；修改 1 项；停用 1 项；未变 1 项" in preview
    assert "公开时限：“信息形成或变更之日起7个工作日内” → “信息形成或变更之日起5个工作日内”" in preview
    assert "事故调查内部材料" in preview
    assert item_named("行政处罚结果").time_limit.endswith("7个工作日内")  # not yet applied

    post(admin, resp.headers["Location"] + "/apply")
    punish = item_named("行政处罚结果")
    assert punish.time_limit.endswith("5个工作日内") and punish.version == punish_v + 1
    assert not item_named("事故调查内部材料").active
    history = admin.get(f"/catalogue/{punish.id}/history").get_data(as_text=True)
    assert "第 2 版" in history and "导入" in history and "管理员" in history
    with ctx():
        old = catalogue.elements_at(punish.id, punish_v)
        assert old["time_limit"].endswith("7个工作日内")  # the earlier version is kept
        assert db.session.execute(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "import_catalogue")).scalar_one() == 2


def test_applying_is_refused_when_the_catalogue_changed_after_the_preview(app, cast):
    admin = app.test_client()
    login(admin, "admin")
    location = upload(admin, xlsx(RELIEF)).headers["Location"]
    first = item_named("灾后救助")
    resp = post(admin, f"/catalogue/{first.id}/edit", {"name": "灾后救助", "content": "救助信息"})
    assert resp.status_code == 302
    before = counts()
    resp = post(admin, location + "/apply", follow_redirects=True)
    assert "预览之后目录已被修改" in resp.get_data(as_text=True)
    assert counts() == before


def test_editing_an_item_by_hand_is_versioned_and_bad_input_changes_nothing(app, cast):
    office = app.test_client()
    login(office, "office")
    parent = item_named("公共服务")
    resp = post(office, f"/catalogue/new?parent={parent.id}",
                {"name": "安全生产培训考试", "time_limit": "每季度", "mode": "主动", "audience": "全社会"})
    assert resp.status_code == 302
    item = item_named("安全生产培训考试")
    assert (item.domain, item.version, item.rule.kind) == ("安全生产", 1, "quarterly")
    before = counts()
    resp = post(office, f"/catalogue/{item.id}/edit", {"name": "安全生产培训考试", "time_limit": "10日内"})
    assert resp.status_code == 422
    assert "公开时限：公开时限请写成“N 个工作日内”" in resp.get_data(as_text=True)
    assert counts() == before and item_named("安全生产培训考试").version == 1


def test_deadline_comes_from_the_items_time_limit_naming_the_item(app, cast):
    with ctx():
        printed = clock.agency_today()  # 印发 today: never before the leader's approval
        admin = user(cast["admin"])
        punish = catalogue.save_item(admin, row_values(PUNISH), parent_id=first_level("安全生产", "依法行政"))
        relief = catalogue.save_item(admin, row_values(RELIEF), parent_id=first_level("救灾", "灾后救助"))
        seven = ready(cast, print_date=printed, catalogue_item_id=punish.id)
        twenty = ready(cast, print_date=printed, catalogue_item_id=relief.id)
        none = ready(cast, print_date=printed)
        cal = working_calendar()
        d7 = publication.deadline_for(doc(seven), today=printed)
        assert d7.due == add_working_days(printed, 7, cal).due != add_working_days(printed, 20, cal).due
        assert "行政处罚结果" in d7.basis and "7 个工作日" in d7.basis
        d20 = publication.deadline_for(doc(twenty), today=printed)
        assert d20.due == add_working_days(printed, 20, cal).due and "过渡期生活救助" in d20.basis
        plain = publication.deadline_for(doc(none), today=printed)
        assert plain.due == d20.due and plain.basis == ""  # no item: R7's 20 working days
        assert {r.id: r.deadline.due for r in publication.ready_queue()}[seven] == d7.due

    publisher = app.test_client()
    login(publisher, "publisher")
    page = publisher.get(f"/publishing/{seven}/deadline").get_data(as_text=True)
    assert "按目录事项“行政处罚结果”的公开时限" in page


def row_values(row: tuple) -> dict[str, str]:
    return dict(zip([c.attr for c in rules.COLUMNS], row, strict=True))


def first_level(domain: str, name: str) -> int:
    return db.session.execute(select(CatalogueItem.id).where(
        CatalogueItem.domain == domain, CatalogueItem.name == name, CatalogueItem.parent_id.is_(None))).scalar_one()


def _under_active_item(cast, name: str = "行政处罚结果", mode: str = "主动") -> int:
    with ctx():
        return catalogue.save_item(user(cast["admin"]), {"name": name, "mode": mode,
                                                         "time_limit": "信息形成或变更之日起7个工作日内"},
                                   parent_id=first_level("安全生产", "依法行政")).id


def test_the_drafter_picks_the_item_in_the_form(app, cast):
    item_id = _under_active_item(cast)
    drafter = app.test_client()
    login(drafter, "drafter")
    form = drafter.get("/drafting/new").get_data(as_text=True)
    assert "安全生产 · 依法行政 / 行政处罚结果" in form
    resp = post(drafter, "/drafting/new", {"title": "关于某公司行政处罚决定的公告", "doc_type": "通知", "recipients": "各县（市、区）应急管理局",
                                           "catalogue_item_id": str(item_id), "disclosure": "public"})
    assert resp.status_code == 302, re.findall(r"<li>([^<]*)</li>", resp.get_data(as_text=True))
    with ctx():
        d = db.session.execute(select(Document).order_by(Document.id.desc())).scalars().first()
        assert (d.catalogue_item_id, d.catalogue_item_version) == (item_id, 1)
    resp = post(drafter, "/drafting/new", {"title": "另一份", "doc_type": "通知", "recipients": "各县（市、区）应急管理局", "catalogue_item_id": "99999"})
    assert resp.status_code == 422 and "所选目录事项不存在或已停用" in resp.get_data(as_text=True)


def test_mismatch_warning_and_its_recorded_confirmation(app, cast):
    item_id = _under_active_item(cast)
    with ctx():
        d = submitted(cast["drafter"], disclosure="not_public", disclosure_reason="涉及内部管理信息",
                      legal_basis_codes=["art16"], catalogue_item_id=item_id)
        assert catalogue.mismatch(doc(d)) is not None
        version = doc(d).version
    office = app.test_client()
    login(office, "office")
    page = office.get(f"/documents/{d}").get_data(as_text=True)
    assert "公开方式与公开属性不一致" in page and "确认不一致并记录理由" in page

    resp = post(office, f"/catalogue/documents/{d}/mismatch", {"reason": "", "version": str(version)})
    assert resp.status_code == 422 and "请写明理由" in resp.get_data(as_text=True)
    with ctx():
        assert doc(d).catalogue_mismatch_at is None

    reason = "本件为内部管理规定，经研究不予公开"
    resp = post(office, f"/catalogue/documents/{d}/mismatch", {"reason": reason, "version": str(version)})
    assert resp.status_code == 302
    with ctx():
        done = doc(d)
        assert (done.catalogue_mismatch_reason, done.catalogue_mismatch_by_id) == (reason, cast["office"])
        event = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "confirm_catalogue_mismatch")).scalar_one()
        assert (event.document_id, event.comment) == (d, reason)
        version = done.version
    page = office.get(f"/documents/{d}").get_data(as_text=True)
    assert "已由 陈静" in page and "确认不一致并记录理由" not in page

    # the office changes the item at review: a consistent one clears the warning
    request_id = _under_active_item(cast, "内部事务", "依申请")
    resp = post(office, f"/catalogue/documents/{d}/item",
                {"catalogue_item_id": str(request_id), "version": str(version)})
    assert resp.status_code == 302
    with ctx():
        assert doc(d).catalogue_item_id == request_id and catalogue.mismatch(doc(d)) is None
    # the drafter cannot: only the office, at review
    drafter = app.test_client()
    login(drafter, "drafter")
    resp = post(drafter, f"/catalogue/documents/{d}/item", {"catalogue_item_id": "", "version": str(version)})
    assert resp.status_code == 403


def test_a_consistent_document_needs_no_confirmation(app, cast):
    item_id = _under_active_item(cast)
    with ctx():
        d = submitted(cast["drafter"], catalogue_item_id=item_id)
        version = doc(d).version
    office = app.test_client()
    login(office, "office")
    assert "公开方式与公开属性不一致" not in office.get(f"/documents/{d}").get_data(as_text=True)
    resp = post(office, f"/catalogue/documents/{d}/mismatch", {"reason": "无", "version": str(version)})
    assert resp.status_code == 422
    with ctx():
        assert doc(d).catalogue_mismatch_at is None


def test_publication_on_other_channels_is_recorded_and_listed_with_the_portal(app, cast):
    with ctx():
        d = ready(cast)
        publication.publish(d, user(cast["publisher"]), doc(d).version)
    publisher = app.test_client()
    login(publisher, "publisher")
    url = f"/catalogue/documents/{d}/channels"
    resp = post(publisher, url, {"channel": "公开栏", "start_date": "2026-12-01", "place": ""})
    assert resp.status_code == 422 and "公开栏须写明张贴地点" in resp.get_data(as_text=True)
    resp = post(publisher, url, {"channel": "政务新媒体", "start_date": "2026-12-01", "account": "河南应急管理",
                                 "link": "javascript:alert(1)"})
    assert resp.status_code == 422 and "http://" in resp.get_data(as_text=True)
    resp = post(publisher, url, {"channel": "公开栏", "start_date": "2026-12-02", "end_date": "2026-12-01",
                                 "place": "县政务服务中心一楼"})
    assert resp.status_code == 422 and "撤下日期不能早于发布日期" in resp.get_data(as_text=True)

    assert post(publisher, url, {"channel": "公开栏", "start_date": "2026-12-01", "end_date": "2026-12-31",
                                 "place": "县政务服务中心一楼公开栏"}).status_code == 302
    assert post(publisher, url, {"channel": "政务新媒体", "start_date": "2026-12-02", "account": "河南应急管理",
                                 "link": "https://mp.example.cn/s/abc"}).status_code == 302
    page = publisher.get(f"/documents/{d}").get_data(as_text=True)
    table = page[page.index('id="outlets"'):]
    assert table.index("政府网站") < table.index("公开栏") < table.index("政务新媒体")
    assert "县政务服务中心一楼公开栏" in table and "2026年12月31日" in table and "河南应急管理" in table
    with ctx():
        assert [o.channel for o in catalogue.outlets(doc(d))] == ["政府网站", "公开栏", "政务新媒体"]
        assert db.session.execute(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "record_channel")).scalar_one() == 2


def test_channels_are_recorded_only_after_the_portal(app, cast):
    with ctx():
        d = ready(cast)
    publisher = app.test_client()
    login(publisher, "publisher")
    resp = post(publisher, f"/catalogue/documents/{d}/channels",
                {"channel": "公开栏", "start_date": "2026-12-01", "place": "一楼"})
    assert resp.status_code == 422 and "尚未在政府网站发布" in resp.get_data(as_text=True)


def test_documents_keep_the_item_version_they_were_filed_under(app, cast):
    with ctx():
        admin = user(cast["admin"])
        item = catalogue.save_item(admin, row_values(PUNISH), parent_id=first_level("安全生产", "依法行政"))
        d = ready(cast, catalogue_item_id=item.id)
        before = publication.deadline_for(doc(d))
        catalogue.save_item(admin, {**row_values(PUNISH), "time_limit": "信息形成或变更之日起15个工作日内"},
                            item_id=item.id)
        assert db.session.get(CatalogueItem, item.id).version == 2
        after = publication.deadline_for(doc(d))
        assert (doc(d).catalogue_item_version, after.due, after.basis) == (1, before.due, before.basis)
        assert "7 个工作日" in after.basis
        later = ready(cast, catalogue_item_id=item.id)  # filed after the change: the new rule
        assert "15 个工作日" in publication.deadline_for(doc(later)).basis


def test_a_confirmation_is_forgotten_when_the_attribute_changes(app, cast):
    from tests.helpers import act, draft_input
    from webapp.services import drafting
    from webapp.workflow import Action

    item_id = _under_active_item(cast)
    with ctx():
        d = submitted(cast["drafter"], disclosure="not_public", disclosure_reason="内部事务",
                      legal_basis_codes=["art16"], catalogue_item_id=item_id)
        catalogue.confirm_mismatch(doc(d), user(cast["office"]), "经研究不予公开", doc(d).version)
        assert doc(d).catalogue_mismatch_at is not None
        act(d, cast["office"], Action.RETURN, "请再斟酌公开属性")
        drafting.update_draft(d, user(cast["drafter"]), draft_input(catalogue_item_id=item_id), doc(d).version)
        assert doc(d).disclosure == "public"
        assert doc(d).catalogue_mismatch_at is None and doc(d).catalogue_mismatch_reason == ""


def test_an_unconfirmed_mismatch_stops_the_document_at_office_review(app, cast):
    """R-issue 15: the office's confirmation with a reason is required before a document whose
    attribute disagrees with its item's 公开方式 passes office review (and so before signing)."""
    item_id = _under_active_item(cast)
    with ctx():
        d = submitted(cast["drafter"], disclosure="not_public", disclosure_reason="涉及内部管理信息",
                      legal_basis_codes=["art16"], catalogue_item_id=item_id)
        version = doc(d).version
    office = app.test_client()
    login(office, "office")
    page = office.get(f"/documents/{d}").get_data(as_text=True)
    assert "确认前，本文件不能审核通过" in page
    resp = post(office, f"/review/documents/{d}/decide", {"action": "approve", "version": str(version),
                                                          "context": "document", "comment": "同意"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "不能审核通过" in html and "写明理由确认" in html
    assert "同意" in html  # what the reviewer typed is kept
    with ctx():
        assert doc(d).stage == "office_review" and doc(d).version == version
        assert db.session.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.document_id == d, AuditEvent.action == "approve")).scalar_one() == 0
        with pytest.raises(Exception, match="不能审核通过"):
            from tests.helpers import act
            from webapp.workflow import Action

            act(d, cast["office"], Action.APPROVE)

    assert post(office, f"/catalogue/documents/{d}/mismatch",
                {"reason": "内部管理规定，经研究不予公开", "version": str(version)}).status_code == 302
    with ctx():
        version = doc(d).version
    resp = post(office, f"/review/documents/{d}/decide", {"action": "approve", "version": str(version),
                                                          "context": "document"})
    assert resp.status_code == 302
    with ctx():
        assert doc(d).stage == "leader_approval"


def test_the_leader_cannot_sign_when_the_item_changed_to_disagree_after_office_review(app, cast):
    from tests.helpers import act
    from webapp.services.errors import Invalid
    from webapp.workflow import Action

    item_id = _under_active_item(cast, "内部事务", "依申请")
    with ctx():
        d = submitted(cast["drafter"], disclosure="not_public", disclosure_reason="涉及内部管理信息",
                      legal_basis_codes=["art16"], catalogue_item_id=item_id)
        act(d, cast["office"], Action.APPROVE)  # consistent: no confirmation needed
        catalogue.save_item(user(cast["admin"]), {"name": "内部事务", "mode": "主动"}, item_id=item_id)
        with pytest.raises(Invalid) as refused:
            act(d, cast["leader"], Action.APPROVE)
        assert "不能签发" in refused.value.message and doc(d).stage == "leader_approval"
        act(d, cast["leader"], Action.RETURN, "目录事项已调整，请重新审核")
        assert doc(d).stage == "returned"


def test_a_consistent_or_unfiled_document_passes_office_review_without_confirmation(app, cast):
    from tests.helpers import act
    from webapp.workflow import Action

    item_id = _under_active_item(cast)
    with ctx():
        for extra in ({"catalogue_item_id": item_id}, {}):
            d = submitted(cast["drafter"], **extra)
            assert act(d, cast["office"], Action.APPROVE).stage == "leader_approval"


def test_the_office_publishes_the_catalogue_through_the_outbox_audited(app, cast):
    """The button on the catalogue page queues the whole catalogue (every element) as a new version."""
    from gkt_protocol.catalogue import parse_catalogue
    from tests.pubhelpers import body_of, outbox_rows
    from webapp.models import CataloguePublication

    punish_id = _under_active_item(cast)
    office = app.test_client()
    login(office, "office")
    page = office.get("/catalogue/").get_data(as_text=True)
    assert "目录尚未在政府网站公开" in page and "发布到政府网站" in page
    resp = post(office, "/catalogue/publish")
    assert resp.status_code == 302
    with ctx():
        rows = [r for r in outbox_rows() if r.kind == "catalogue"]
        assert len(rows) == 1 and rows[0].document_id is None and rows[0].version == 1
        message = parse_catalogue(body_of(rows[0]))
        assert message.publisher == "河南省应急管理厅" and len(message.items) == 11  # 10 seeded + 1
        punish = next(i for i in message.items if i.id == punish_id)
        assert (punish.name, punish.mode, punish.time_limit) == ("行政处罚结果", "主动", "信息形成或变更之日起7个工作日内")
        assert next(i for i in message.items if i.id == punish.parent_id).name == "依法行政"
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "publish_catalogue")).scalar_one()
        assert event.actor_id == cast["office"] and '"version": 1' in event.details_json
        assert db.session.execute(select(CataloguePublication)).scalar_one().item_count == 11
    page = office.get("/catalogue/").get_data(as_text=True)
    assert "第 1 版（11 项）" in page and "等待推送" in page and "上次发布后有修改" not in page
    _under_active_item(cast, "行政强制结果")
    assert "上次发布后有修改" in office.get("/catalogue/").get_data(as_text=True)
    assert post(office, "/catalogue/publish").status_code == 302
    with ctx():
        assert [r.version for r in outbox_rows() if r.kind == "catalogue"] == [1, 2]

    publisher = app.test_client()  # the publisher's retry is for documents' messages only
    login(publisher, "publisher")
    with ctx():
        catalogue_message_id = next(r.id for r in outbox_rows() if r.kind == "catalogue")
    assert post(publisher, f"/publishing/messages/{catalogue_message_id}/retry").status_code == 404
    assert "推送失败" not in publisher.get("/publishing/ready").get_data(as_text=True)

    drafter = app.test_client()
    login(drafter, "drafter")
    assert "发布到政府网站" not in drafter.get("/catalogue/").get_data(as_text=True)
    assert post(drafter, "/catalogue/publish").status_code == 403


def test_publishing_the_catalogue_needs_the_publisher_name(app, chain_cast):
    _APP["app"] = app
    with ctx():
        catalogue.seed_first_level()  # no agency settings
    admin = app.test_client()
    login(admin, "admin")
    resp = post(admin, "/catalogue/publish")
    assert resp.status_code == 422 and "尚未设置发布机构名称" in resp.get_data(as_text=True)
    with ctx():
        from tests.pubhelpers import outbox_rows

        assert outbox_rows() == []


def test_a_pushed_document_carries_its_catalogue_item_as_filed(app, cast):
    from tests.pubhelpers import body_of, outbox_rows

    with ctx():
        admin = user(cast["admin"])
        item = catalogue.save_item(admin, row_values(RELIEF), parent_id=first_level("救灾", "灾后救助"))
        d = ready(cast, catalogue_item_id=item.id)
        catalogue.save_item(admin, {**row_values(RELIEF), "name": "过渡期生活救助（更名）"}, item_id=item.id)
        publication.publish(d, user(cast["publisher"]), doc(d).version)
        sent = body_of(outbox_rows(d)[0])["catalogue_item"]
        assert sent == {"id": item.id, "domain": "救灾", "first_level": "灾后救助", "second_level": "过渡期生活救助"}
        plain = ready(cast)
        publication.publish(plain, user(cast["publisher"]), doc(plain).version)
        assert body_of(outbox_rows(plain)[0])["catalogue_item"] is None
