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
