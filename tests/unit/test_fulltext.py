"""Search text and query terms (webapp/fulltext.py)."""

from webapp import fulltext


def test_document_number_brackets_and_widths_are_one():
    stored = fulltext.normalize("豫应急办〔2026〕4号")
    for typed in ("豫应急办〔2026〕4号", "豫应急办[2026]4号", "豫应急办［２０２６］４号", "豫应急办【2026】4号",
                  "豫应急办(2026)4号", "豫应急办（2026）4号", " 豫应急办 〔2026〕 4 号 "):
        assert fulltext.normalize(typed) == stored, typed


def test_case_spaces_and_zero_width_characters_do_not_matter():
    assert fulltext.normalize("ＧＢ/T 9704\u200b") == fulltext.normalize("gb/t9704")


def test_body_text_is_the_visible_text_one_block_per_line():
    html = ("<p>一、工作<strong>目标</strong></p><table><tr><td>姓名</td><td>单位</td></tr></table>"
            "<p>A &amp; B&nbsp;C</p><script>var hidden = 1</script><style>p{}</style>")
    assert fulltext.html_lines(html) == ["一、工作目标", "姓名", "单位", "A & B\xa0C"]


def test_search_text_holds_title_number_and_body_not_markup():
    text = fulltext.document_search_text("关于防汛的通知", "豫应急办〔2026〕4号", "<p>请<strong>立即</strong>部署</p>")
    assert text.split("\n") == ["关于防汛的通知", "豫应急办〔2026〕4号", "请立即部署"]
    assert "strong" not in text


def test_query_terms_are_distinct_normalised_and_bounded():
    assert fulltext.query_terms("  防汛  ＡＢ 防汛 ab ") == ["防汛", "ab"]
    assert len(fulltext.query_terms(" ".join(f"词{i}" for i in range(20)))) == fulltext.MAX_TERMS
    assert fulltext.query_terms("\u200b \t ") == []


def test_like_wildcards_in_a_term_are_literal():
    assert fulltext.like_pattern("100%_a\\b") == "%100\\%\\_a\\\\b%"
