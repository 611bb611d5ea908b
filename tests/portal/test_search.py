"""Full-text search in Chinese (REFERENCE.md §5): two-character queries find what they should,
ranked, with highlighted snippets, and never a hit across a boundary the query does not
contain — on SQLite (FTS5) and PostgreSQL (bigram tsvector + GIN) alike."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from portal.search.bigrams import BREAK, index_tokens, parse_query, snippet, tsquery, tsvector
from tests.portal.conftest import page_path, publication, push


def doc(serial: int, title: str, *paragraphs: str, **changes):
    return replace(publication(serial), title=title, body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                   keywords=(), summary="", interpretation_required=False, interpretation=None, docx=None, **changes)


def found(client, q: str) -> list[str]:
    """The result links, in rank order."""
    html = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    main = html.split('<ol class="hits"', 1)
    return re.findall(r'<h2><a href="([^"]+)"', main[1]) if len(main) == 2 else []


@pytest.fixture
def corpus(portal):
    docs = [
        doc(1, "关于做好汛期救灾准备工作的通知", "各区要落实救灾物资储备。", "救灾资金专款专用。"),
        doc(2, "关于推进政务公开标准化的意见", "推进基层政务公开。", "主动公开政策文件。"),
        doc(3, "应急管理局2026年工作要点", "健全应急预案体系。", "加强应急值守。"),
        doc(4, "关于印发会议纪要的通知", "会议要求：做好救灾。", "按5号文执行。"),  # 救灾 in the body only, once
        # The characters of the queries, but only across a boundary:
        doc(5, "关于表彰先进的决定", "本次获得救。灾区人民感谢。", "公\n开。应。急。管理。", "一要防汛，二要抗旱。"),
        doc(6, "关于值班安排的通知", "单元格测试"),
        doc(7, "防汛抗旱工作通知公", "开展隐患排查。"),  # title ends 公, body starts 开
    ]
    docs[5] = replace(docs[5], body_html="<table><tr><td>安排救</td><td>灾情统计</td></tr></table>"
                                         "<p>公开透明</p><p>住在5。号楼</p>")
    for d in docs:
        assert push(portal, d).status_code == 200
    return portal


def test_two_character_queries_find_what_they_should(corpus):
    assert set(found(corpus, "救灾")) == {page_path(1), page_path(4)}
    assert set(found(corpus, "公开")) == {page_path(2), page_path(6)}
    assert set(found(corpus, "应急")) == {page_path(3)}


def test_no_hit_across_punctuation_paragraphs_cells_or_title_and_body(corpus):
    """Document 5 holds 救。灾, 公 / 开 on two lines and 应。急。管理; document 6 救 and 灾 in two
    table cells; document 7 ends its title with 公 and starts its body with 开."""
    for q in ("救灾", "公开", "应急", "应急管理"):
        hits = found(corpus, q)
        assert page_path(5) not in hits and page_path(7) not in hits, (q, hits)
    assert page_path(6) not in found(corpus, "救灾")
    assert found(corpus, "应急管理") == [page_path(3)]


def test_a_query_with_the_boundary_in_it_finds_both_sides(corpus):
    assert found(corpus, "防汛抗旱") == [page_path(7)]
    assert set(found(corpus, "防汛 抗旱")) == {page_path(5), page_path(7)}  # the user's space: two words


def test_title_matches_and_more_matches_rank_first(corpus):
    """救灾 in the title and twice in the body (1) before once in the body (4)."""
    assert found(corpus, "救灾") == [page_path(1), page_path(4)]


def test_longer_phrases_match_only_as_written(corpus):
    assert found(corpus, "救灾物资") == [page_path(1)]
    assert found(corpus, "物资救灾") == []
    assert found(corpus, "政务公开标准化") == [page_path(2)]


def test_snippets_highlight_the_query(corpus):
    html = corpus.get("/search?q=救灾").get_data(as_text=True)
    assert "落实<mark>救灾</mark>物资储备" in html
    assert "关于做好汛期<mark>救灾</mark>准备工作的通知" in html
    assert "<mark>救灾</mark>" in html and "<mark>救</mark>" not in html


def test_the_query_is_escaped_in_the_page(corpus):
    html = corpus.get("/search", query_string={"q": "<script>救灾</script>"}).get_data(as_text=True)
    assert "<script>救灾" not in html and "&lt;script&gt;救灾" in html


@pytest.mark.parametrize("q, message", [("救", "至少输入两个字"), ("。。", "没有可检索"), ("灾" * 51, "不能超过")])
def test_a_query_that_cannot_be_searched_says_why(corpus, q, message):
    r = corpus.get("/search", query_string={"q": q})
    assert r.status_code == 200 and message in r.get_data(as_text=True)


def test_numbers_and_mixed_words(corpus):
    assert found(corpus, "2026年") == [page_path(3)]  # in doc 3's title; doc 1's title has no year
    assert found(corpus, "2026") == [page_path(3)]
    assert found(corpus, "202") == []  # numbers match whole


def test_a_phrase_across_a_letter_digit_run_is_not_matched_across_punctuation(corpus):
    """5号 is the runs 5 and 号 side by side: document 4 (按5号文) matches, document 6 (5。号楼) does not."""
    assert found(corpus, "5号") == [page_path(4)]


def test_paging_past_the_end_stays_on_the_last_page(corpus):
    r = corpus.get("/search?q=救灾&page=99999")
    assert r.status_code == 200 and "第 1 / 1 页" in r.get_data(as_text=True)


# --------------------------------------------------------------------------- the pure part

def test_tokens_are_overlapping_bigrams_with_breaks_between_runs():
    assert index_tokens("应急管理") == ["应急", "急管", "管理"]
    assert index_tokens("救。灾") == ["救", BREAK, "灾"]
    assert index_tokens("２０２６年度ＡＢ") == ["2026", "年度", "ab"]  # full-width → ASCII, lower case
    assert index_tokens("5号") == ["5", "号"]


def test_query_phrases_and_prefixes():
    q = parse_query("应急管理 5号")
    assert [(p.tokens, p.prefix_last) for p in q.phrases] == [(("应急", "急管", "管理"), False), (("5", "号"), True)]
    assert tsquery(q) == "('应急' <-> '急管' <-> '管理') & ('5' <-> '号':*)"


def test_tsvector_positions_never_exceed_the_postgresql_limit():
    vec = tsvector(["标题"], ["甲乙"] + ["丙丁", "戊己"] * 8200 + ["庚辛"])
    positions = [int(p.rstrip("A")) for entry in vec.split() for p in entry.split(":")[1].split(",")]
    assert max(positions) == 16383 and 16382 not in positions
    assert "'庚辛':16383" in vec.split()  # past the limit, still there
    assert all(len(entry.split(":")[1].split(",")) <= 255 for entry in vec.split())


def test_snippet_picks_the_densest_window_and_escapes():
    text = "开头<无关>。" + "甲" * 300 + "救灾救灾。" + "乙" * 300
    s = snippet(text, parse_query("救灾"), width=40)
    assert s.startswith("…") and s.count("<mark>救灾</mark>") == 2 and "<无关>" not in s


def test_the_candidates_are_the_newest_matches_ranked_by_relevance(portal, portal_app):
    """With a window of 5, the 5 newest documents holding 救灾 are ranked (a title match
    first); an older one is out of the window.  On PostgreSQL, after ANALYZE, a word in every
    document is read by walking the newest rows and a rare one through the GIN index: both
    give the same answer."""
    from sqlalchemy import event, text

    from portal.extensions import db
    from portal.search import _STATS

    portal_app.config["PORTAL_SEARCH_WINDOW"] = 5
    for n in range(1, 9):
        title = "救灾工作通知" if n in (1, 6) else f"第{n}号通知"
        extra = "瑞丽边境" if n in (2, 7) else "工作安排"
        assert push(portal, doc(n, title, f"做好救灾准备。{extra}。")).status_code == 200
    plans = []
    with portal_app.app_context():
        on_postgresql = db.engine.dialect.name == "postgresql"
        if on_postgresql:
            db.session.execute(text("ANALYZE search_entries"))
            db.session.commit()
            _STATS.clear()

            @event.listens_for(db.engine, "before_cursor_execute")
            def record(conn, cursor, statement, params, context, executemany):
                if "set_config('enable_bitmapscan'" in statement:
                    plans.append("walk" if params["b"] == "off" else "index")
    assert found(portal, "救灾") == [page_path(6), page_path(8), page_path(7), page_path(5), page_path(4)]
    assert found(portal, "瑞丽") == [page_path(7), page_path(2)]
    if on_postgresql:  # 救灾 is in every row: walk; 瑞丽 in a quarter of 8: the index
        assert plans == ["walk", "index"]
