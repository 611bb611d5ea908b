"""The document search (issue 7): by 文号, title and body, with filters by stage,
attribute, department and date range; only what the user may see; keyset pages;
the whole page and the HTMX fragment.  On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.conftest import TEST_DATABASE_URL, create_pg_database, drop_pg_database
from tests.helpers import act, doc, new_draft, submitted, user
from webapp import clock
from webapp.extensions import db
from webapp.services import drafting, issuing
from webapp.workflow import Action

FLOOD_BODY = "<p>各地要立即开展<strong>隐患排查</strong>，100%落实责任。</p><p>联系人：防汛办</p>"


def titles(resp) -> list[str]:
    """The titles listed in the results, in order."""
    page = resp.get_data(as_text=True)
    return re.findall(r'<td><a href="/documents/\d+">([^<]*)</a></td>', page)


@pytest.fixture
def library(app, chain_cast):
    """An issued notice with a 文号, one at office review, one from another department,
    and the drafter's own unsubmitted draft."""
    ids = chain_cast
    with app.app_context():
        flood = submitted(ids["drafter"], title="关于做好汛期安全防范工作的通知", body_html=FLOOD_BODY)
        act(flood, ids["office"], Action.APPROVE)
        act(flood, ids["leader"], Action.APPROVE)
        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
        d = doc(flood)
        issuing.issue_document(flood, user(ids["office"]), d.version, issuing.IssueInput(
            code.id, issuing.default_written_date(d), issuing.default_written_date(d)))
        month = submitted(ids["colleague"], title="关于开展安全生产月活动的通知",
                          body_html="<p>组织应急演练，检验预案。</p>", disclosure="on_request",
                          disclosure_reason="内部事务", legal_basis_codes=["art16"])
        other = submitted(ids["other_drafter"], title="关于风险监测数据报送的通知",
                          body_html="<p>按月报送监测数据，做好安全防范。</p>")
        draft = new_draft(ids["drafter"], title="尚未提交的安全防范草稿", body_html="<p>隐患排查草稿</p>")
        number = doc(flood).doc_number
    return {"flood": flood, "month": month, "other": other, "draft": draft, "number": number}


def test_a_document_is_found_by_its_number_however_the_brackets_are_typed(app, chain_cast, people, library):
    office = people.client("office")
    number = library["number"]
    assert re.fullmatch(r"豫应急办〔\d{4}〕\d+号", number)
    year, seq = re.search(r"〔(\d{4})〕(\d+)号", number).groups()
    for typed in (number, f"豫应急办[{year}]{seq}号", f"豫应急办［{year}］{seq}号", f"豫应急办 ({year}) {seq} 号",
                  f"〔{year}〕{seq}号"):
        assert titles(office.get("/documents", query_string={"q": typed})) == ["关于做好汛期安全防范工作的通知"], typed
    assert titles(office.get("/documents", query_string={"q": f"豫应急办〔{year}〕{int(seq) + 1}号"})) == []
    page = office.get("/documents", query_string={"q": number}).get_data(as_text=True)
    assert f'<td class="nowrap">{number}</td>' in page  # the number is shown in its column


def test_title_and_body_text_are_searched_not_markup(app, chain_cast, people, library):
    office = people.client("office")
    assert titles(office.get("/documents?q=隐患排查")) == ["关于做好汛期安全防范工作的通知"]  # in the body only
    assert titles(office.get("/documents?q=生产月")) == ["关于开展安全生产月活动的通知"]  # in the title only
    assert titles(office.get("/documents?q=strong")) == []  # a tag name is not text
    assert sorted(titles(office.get("/documents?q=安全"))) == sorted(
        ["关于做好汛期安全防范工作的通知", "关于开展安全生产月活动的通知", "关于风险监测数据报送的通知"])
    assert titles(office.get("/documents", query_string={"q": "安全 演练"})) == ["关于开展安全生产月活动的通知"]
    assert titles(office.get("/documents", query_string={"q": "100%"})) == ["关于做好汛期安全防范工作的通知"]
    # LIKE's own characters are taken literally: % finds the one text holding a %, not every text
    assert titles(office.get("/documents", query_string={"q": "%"})) == ["关于做好汛期安全防范工作的通知"]
    for wildcard in ("_", "\\", "安%通知"):
        assert titles(office.get("/documents", query_string={"q": wildcard})) == [], wildcard


def test_filters_by_stage_attribute_department_and_date(app, chain_cast, people, library):
    office = people.client("office")
    get = lambda **q: sorted(titles(office.get("/documents", query_string=q)))  # noqa: E731
    assert get(q="安全", stage="office_review") == ["关于开展安全生产月活动的通知", "关于风险监测数据报送的通知"]
    assert get(q="安全", disclosure="on_request") == ["关于开展安全生产月活动的通知"]
    with app.app_context():
        dept = doc(library["other"]).department_id
        printed = doc(library["flood"]).print_date
    assert get(department=str(dept)) == ["关于风险监测数据报送的通知"]
    assert get(date_field="printed", date_from=printed.isoformat(), date_to=printed.isoformat()) == [
        "关于做好汛期安全防范工作的通知"]
    today = clock.agency_today()
    assert len(get(date_from=today.isoformat(), date_to=today.isoformat())) == 3  # updated today (Beijing)
    assert get(date_to=(today - timedelta(days=1)).isoformat()) == []
    assert get(date_from=(today + timedelta(days=1)).isoformat()) == []


def test_only_documents_the_user_may_see_are_found(app, chain_cast, people, library):
    # the drafter finds the issued notice and their own draft
    assert sorted(titles(people.client("drafter").get("/documents?q=隐患排查"))) == sorted(
        ["关于做好汛期安全防范工作的通知", "尚未提交的安全防范草稿"])
    # a colleague in the same department sees submitted documents, never another's draft
    assert titles(people.client("colleague").get("/documents?q=草稿")) == []
    # another department's drafter sees neither this department's documents nor its draft
    assert titles(people.client("other_drafter").get("/documents?q=隐患排查")) == []
    assert titles(people.client("other_drafter").get("/documents?q=安全")) == ["关于风险监测数据报送的通知"]


def test_the_search_text_follows_an_edit(app, chain_cast, people):
    with app.app_context():
        d = new_draft(chain_cast["drafter"], title="旧标题的通知", body_html="<p>旧的正文</p>")
        drafting.update_draft(d, user(chain_cast["drafter"]), drafting.DraftInput(
            title="新标题的通知", doc_type="通知", body_html="<p>新的正文</p>"), doc(d).version)
    c = people.client("drafter")
    assert titles(c.get("/documents?q=新的正文")) == ["新标题的通知"]
    assert titles(c.get("/documents?q=旧的")) == []


def test_pages_follow_each_other_without_gaps_or_repeats(app, chain_cast, people):
    with app.app_context():
        for i in range(57):
            new_draft(chain_cast["drafter"], title=f"分页测试第{i:02d}号通知")
    c = people.client("drafter")
    first = c.get("/documents?q=分页测试")
    page = first.get_data(as_text=True)
    shown = titles(first)
    assert len(shown) == 50 and "加载更多" in page
    more = re.search(r'hx-get="([^"]+cursor=[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "q=" in more  # the next page keeps the search
    rest = c.get(more, headers={"HX-Request": "true", "HX-Target": "search-more"})
    fragment = rest.get_data(as_text=True)
    assert "<html" not in fragment and "<table" not in fragment  # rows only, to replace the "more" row
    shown += titles(rest)
    assert sorted(shown) == sorted(f"分页测试第{i:02d}号通知" for i in range(57)) and len(set(shown)) == 57
    assert shown == [f"分页测试第{i:02d}号通知" for i in reversed(range(57))]  # newest first
    assert "加载更多" not in fragment
    plain = c.get(more)  # the same link without JavaScript: a whole page
    assert "<html" in plain.get_data(as_text=True) and len(titles(plain)) == 7


def test_htmx_gets_the_results_fragment_and_a_plain_request_the_page(app, chain_cast, people, library):
    office = people.client("office")
    fragment = office.get("/documents?q=隐患排查", headers={"HX-Request": "true", "HX-Target": "search-results"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and "<table" in body
    assert titles(fragment) == ["关于做好汛期安全防范工作的通知"]
    page = office.get("/documents?q=隐患排查").get_data(as_text=True)
    assert "<html" in page and 'value="隐患排查"' in page  # the box keeps what was typed


def test_the_whole_form_as_a_browser_sends_it_with_empty_filters(app, chain_cast, people, library):
    office = people.client("office")
    empty = {"stage": "", "disclosure": "", "department": "", "date_field": "updated", "date_from": "", "date_to": ""}
    resp = office.get("/documents", query_string={"q": "隐患排查", **empty},
                      headers={"HX-Request": "true", "HX-Target": "search-results"})
    assert resp.status_code == 200 and titles(resp) == ["关于做好汛期安全防范工作的通知"]
    queue = office.get("/review/office_review", query_string={"department": "", "disclosure": "", "waiting": "",
                                                              "order": "oldest"})
    assert queue.status_code == 200 and "field-error" not in queue.get_data(as_text=True)


def test_an_invalid_filter_is_said_next_to_it(app, chain_cast, people, library):
    office = people.client("office")
    for query, message in ((dict(stage="nope"), "状态：选项无效"), (dict(department="424242"), "处室：选项无效"),
                           (dict(date_from="2026-13-45"), "从：日期无效"),
                           (dict(date_from="2026-03-05", date_to="2026-03-04"), "至：截止日期不能早于起始日期")):
        resp = office.get("/documents", query_string={"q": "安全", **query})
        page = resp.get_data(as_text=True)
        assert resp.status_code == 400, query
        assert re.search(r'class="field-error"[^>]*>' + re.escape(message), page), (query, page[-3000:])
        assert titles(resp) == [] and "查询条件无效" in page


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_fills_the_search_text_of_existing_documents(backend, tmp_path):
    from sqlalchemy import create_engine

    from tests.integration.test_cli_and_migrations import _flask

    if backend == "postgresql" and not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL")
    url = create_pg_database() if backend == "postgresql" else f"sqlite:///{tmp_path / 'old.db'}"
    try:
        assert _flask(url, "db", "upgrade", "0004").returncode == 0
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO departments (id, name, created_at) VALUES (1, '办公室', CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO users (id, username, display_name, password_hash, department_id, is_active_account, "
                "failed_logins, created_at) VALUES (1, 'u', '用户', 'x', 1, TRUE, 0, CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO documents (id, title, doc_type, recipients, body_html, attachments_text, topic_category, "
                "disclosure_reason, legal_basis_json, may_involve_secrets, needs_interpretation, interpretation_html, "
                "proposal_reason, stage, stage_entered_at, department_id, drafter_id, created_at, updated_at, "
                "version, cc, doc_number) VALUES (1, '关于防汛的通知', '通知', '', '<p>立即<b>部署</b></p>', '', '', "
                "'', '[]', FALSE, FALSE, '', '', 'approved', CURRENT_TIMESTAMP, 1, 1, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 1, '', '豫应急办〔2026〕4号')"))
        up = _flask(url, "db", "upgrade")
        assert up.returncode == 0, up.stderr
        with engine.begin() as conn:
            assert conn.execute(text("SELECT search_text FROM documents")).scalar_one() == \
                "关于防汛的通知\n豫应急办〔2026〕4号\n立即部署"
            # a document written after the upgrade is indexed too (the index follows every change)
            conn.execute(text(
                "INSERT INTO documents (id, title, doc_type, recipients, body_html, attachments_text, topic_category, "
                "disclosure_reason, legal_basis_json, may_involve_secrets, needs_interpretation, interpretation_html, "
                "proposal_reason, stage, stage_entered_at, department_id, drafter_id, created_at, updated_at, "
                "version, cc, search_text) VALUES (2, '后来的通知', '通知', '', '', '', '', '', '[]', FALSE, FALSE, '', "
                "'', 'draft', CURRENT_TIMESTAMP, 1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, '', '后来的通知')"))
        with engine.connect() as conn:
            if backend == "sqlite":
                found = lambda term: conn.execute(text(  # noqa: E731
                    "SELECT rowid FROM documents_fts WHERE search_text LIKE :p ORDER BY rowid"), {"p": f"%{term}%"}
                ).scalars().all()
                assert found("豫应急办〔2026〕4号") == [1] and found("后来的") == [2] and found("不存在的") == []
            else:
                assert conn.execute(text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_search_trgm'")).scalar_one() \
                    .endswith("USING gin (search_text gin_trgm_ops)")
        engine.dispose()
    finally:
        if backend == "postgresql":
            drop_pg_database(url)


def test_the_index_finds_exactly_what_a_scan_finds(app, chain_cast):
    """Every substring of 1 to 6 characters of the documents' texts (through the trigram
    index when 3 or more, by a scan when shorter) finds the documents whose text holds it,
    newest first, page after page, whichever way the database looks for it."""
    import random

    from webapp.fulltext import normalize
    from webapp.models import Document
    from webapp.services import search

    rng = random.Random(5)
    words = ["应急", "防汛", "政务公开", "豫应急办〔2026〕", "4号", "预案", "演练", "GB/T 9704", "100%", "_x_", "风险"]
    with app.app_context():
        ids = []
        for i in range(12):
            body = "".join(f"<p>{''.join(rng.sample(words, 3))}</p>" for _ in range(2))
            ids.append(new_draft(chain_cast["drafter"], title=f"第{i}号{rng.choice(words)}", body_html=body))
        drafting.update_draft(ids[0], user(chain_cast["drafter"]), drafting.DraftInput(
            title="改过的标题", doc_type="通知", body_html="<p>全新正文内容</p>"), doc(ids[0]).version)
        texts = {d.id: d.search_text for d in db.session.execute(db.select(Document)).scalars()}
        terms = {"改过的", "全新正文", "第0号", "不存在的词"}
        for t in texts.values():
            for _ in range(8):
                size = rng.randint(1, 6)
                start = rng.randrange(max(1, len(t) - size))
                terms.add(t[start:start + size].replace("\n", ""))
        me = user(chain_cast["drafter"])
        for term in sorted(t for t in terms if normalize(t)):
            expected = sorted((i for i, t in texts.items() if normalize(term) in t), reverse=True)
            for size, window in ((100, 100), (2, 3), (3, 1)):  # one page; small pages through small windows
                found, cursor = [], None
                while True:
                    page = search.search_documents(me, search.DocumentSearch(text=term), cursor, size=size,
                                                   window=window)
                    found += [d.id for d in page.items]
                    if not (cursor := page.next_cursor):
                        break
                assert found == expected, (term, size, window)
