"""User HTML is cleaned by bleach with a short allow-list."""

from webapp.richtext import clean_html, plain_text


def test_script_is_removed_and_left_inert():
    out = clean_html('<p>正文</p><script>alert("x")</script>')
    assert "<script" not in out
    assert out.startswith("<p>正文</p>")


def test_event_handlers_and_javascript_urls_are_dropped():
    out = clean_html('<p onclick="steal()">a</p><img src=x onerror="alert(1)"><a href="javascript:alert(1)">b</a>')
    assert "onclick" not in out and "onerror" not in out and "javascript:" not in out
    assert "<img" not in out and "<a" not in out


def test_allowed_structure_is_kept():
    html = "<p><strong>一、</strong>目标</p><ul><li>甲</li></ul><table><tr><td colspan=\"2\">x</td></tr></table>"
    out = clean_html(html)
    for tag in ("<strong>", "<ul>", "<li>", "<table>", 'colspan="2"'):
        assert tag in out


def test_styles_and_classes_are_not_kept():
    out = clean_html('<p style="color:red" class="x">红</p>')
    assert out == "<p>红</p>"


def test_plain_text():
    assert plain_text("<p>一、</p><p> 目标 </p>") == "一、 目标"
    assert plain_text("<p></p><br>") == ""


def test_divs_from_the_editor_become_paragraphs_and_empty_ones_go():
    assert clean_html("<div>一、总体要求</div><div>各单位要压实责任。</div><p><br></p>") == \
        "<p>一、总体要求</p><p>各单位要压实责任。</p>"


# -- issue 7: what cleaning drops, how deep it nests, how its time grows ----------------

import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

import bleach  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from webapp.htmlpolicy import ALLOWED_TAGS, MAX_DEPTH, REFS_PER_RUN, flatten  # noqa: E402
from webapp.richtext import ALLOWED_ATTRIBUTES  # noqa: E402


class _Shape(HTMLParser):
    """Depth, tags and nesting errors of a piece of markup."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.depth = 0
        self.tags: set[str] = set()
        self.misnested = 0
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag != "br":
            self.stack.append(tag)
            self.depth = max(self.depth, len(self.stack))

    def handle_endtag(self, tag):
        if tag == "br":
            return
        if not self.stack or self.stack[-1] != tag:
            self.misnested += 1
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("markup", [
    "<style>@import 'javascript:alert(1)'; p{color:red}</style><p>正文</p>",
    "<STYLE type=text/css>body{}</STYLE><p>正文</p>",
    "<p>正文</p><script>alert('x')</script>",
    "<p>正文</p><script>document.write('<p>假正文</p>')</script >",
    "<p>正文</p><textarea>草稿</textarea><title>标题</title><iframe>框</iframe><noscript>无</noscript>",
])
def test_style_and_script_go_with_their_content(markup):
    assert clean_html(markup) == "<p>正文</p>"


def test_an_unclosed_script_takes_the_rest_with_it():
    assert clean_html("<p>正文</p><script>alert(1)<p>后文</p>") == "<p>正文</p>"


@pytest.mark.parametrize("make", [
    lambda n: "<b>" * n + "正文" + "</b>" * n,
    lambda n: "<b>" * (10 * n) + "正文",  # the 20,000
    lambda n: "<table><tr><td>" * n + "正文",
    lambda n: "<ul><li>" * n + "正文",
    lambda n: "<div>" * n + "正文" + "</div>" * n,
    lambda n: "<b><i><u><em><strong>" * (n // 5) + "正文",
])
def test_deep_nesting_is_flattened_and_its_text_kept(make):
    out = clean_html(make(2_000))
    shape = _Shape(out)
    assert shape.depth <= MAX_DEPTH
    assert shape.misnested == 0 and not shape.stack
    assert "正文" in out


def test_nesting_a_real_document_needs_is_kept_as_is():
    markup = ("<table><thead><tr><th>任务</th></tr></thead><tbody><tr><td colspan=\"2\">"
              "<ul><li><strong><em><u>编制目录</u></em></strong></li></ul></td></tr></tbody></table>")
    assert clean_html(markup) == markup


def test_a_long_text_run_reaches_html5lib_in_bounded_pieces():
    out = flatten("<p>" + "&amp;" * 10_000 + "</p>")
    runs = re.split(r"<[^>]*>", out)
    assert max(run.count("&") for run in runs) <= REFS_PER_RUN
    assert clean_html("<p>" + "&amp;" * 10_000 + "</p>") == "<p>" + "&amp;" * 10_000 + "</p>"


def test_spans_are_small_numbers_or_nothing():
    out = clean_html('<table><tr><td colspan="3" rowspan="99999">a</td><td colspan="x">b</td></tr></table>')
    assert out == '<table><tbody><tr><td colspan="3">a</td><td>b</td></tr></tbody></table>'


def _bleach_alone(markup: str) -> str:
    return bleach.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=[],
                        strip=True, strip_comments=True)


WELL_FORMED = [
    "<p>一、总体要求</p><p>为贯彻落实<strong>有关要求</strong>，现就<em>政务</em>公开<u>工作</u>通知如下：</p>",
    "<h2>标题</h2><h3>小标题</h3><ol><li>甲</li><li>乙<br>续行</li></ol><ul><li>丙</li></ul>",
    "<table><thead><tr><th>事项</th><th>时限</th></tr></thead><tbody>"
    + "<tr><td>编制目录</td><td><b>6月底前</b></td></tr>" * 50 + "</tbody></table>",
    "<p>" + "<b>粗</b>细&amp;&lt;&gt;&nbsp;" * 100 + "</p>" * 1,
    "<p>甲</p>" * 300 + "<p><i>乙</i></p>" * 300,
]


@pytest.mark.parametrize("markup", WELL_FORMED)
def test_well_formed_bodies_come_out_as_bleach_alone_makes_them(markup):
    """The pre-pass and the linear walker change what hostile input costs, not what a
    normal body becomes."""
    assert clean_html(markup) == _bleach_alone(markup).strip()


def test_the_seed_notices_come_out_as_bleach_alone_makes_them():
    from tests.unit.test_docgen_fixtures import draft_docx, seed_files, seed_paragraphs
    from webapp.docgen import docx_to_body_html

    for path in seed_files():
        body = docx_to_body_html(draft_docx(seed_paragraphs(path)))
        assert clean_html(body) == _bleach_alone(body).strip(), path.name


_TOKENS = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<i>", "</i>", "<strong>", "</strong>", "<ul>", "</ul>", "<ol>",
    "<li>", "</li>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<thead>",
    "<tbody>", "</tbody>", "<h2>", "</h2>", "<h3>", "<br>", "</br>", "<div>", "</div>", "<span>",
    "</span>", "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<a href='x'>",
    "</a>", "<td colspan=2>", "<img src=x onerror=alert(1)>", "文字", "&amp;", "&nbsp;", "<", ">",
    "\"", "'", " ", "\n", "<p class=\"x\" onclick=\"y\">", "<![CDATA[", "]]>", "<!DOCTYPE html>",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_TOKENS, max_size=80))
def test_any_tag_soup_comes_out_nested_bounded_allowed_and_stable(tokens):
    markup = "".join(tokens)
    flat = flatten(markup)
    shape = _Shape(flat)
    assert shape.tags <= ALLOWED_TAGS
    assert shape.depth <= MAX_DEPTH and shape.misnested == 0 and not shape.stack
    out = clean_html(markup)
    assert _Shape(out).tags <= ALLOWED_TAGS
    assert "<script" not in out.lower() and "onerror" not in out and "href" not in out
    assert clean_html(out) == out
