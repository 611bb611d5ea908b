"""Property tests: any Unicode in, a valid .docx (or a clear refusal) out."""

from __future__ import annotations

import io
import re
import zipfile

import bleach
import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_docgen_fixtures import draft_docx, paragraphs_html, sample_document, squash
from webapp.docgen import ALLOWED_TAGS, DocxImportError, build_docx, document_text, docx_to_body_html
from webapp.docgen.text import xml_safe

SPECIALS = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\t",
    "\n",
    "\r",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\ufeff",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\u3000",
    "\xa0",
    "😀",
    "👨‍👩‍👧",
    "𠀀",
    "ﷺ",
    "עברית",
    "العربية",
    "&",
    "<",
    ">",
    '"',
    "'",
    "]]>",
    "<!--",
    "〔2026〕",
    "（此件不公开）",
]

chunk = st.one_of(st.text(max_size=40), st.sampled_from(SPECIALS))
any_text = st.lists(chunk, max_size=30).map("".join)
# a few examples reach 100 KB: a random paragraph repeated
big_text = st.tuples(any_text, st.integers(min_value=1, max_value=2500)).map(lambda t: (t[0] or "政务公开") * t[1])
paragraphs = st.lists(st.one_of(any_text, any_text, big_text), min_size=0, max_size=8)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def visible(text: str) -> str:
    """What the writer keeps of a paragraph: XML-legal, whitespace dropped."""
    return squash(xml_safe(text))


@SETTINGS
@given(body=paragraphs, title=any_text, signer=any_text, cc=any_text, attachment=any_text)
def test_any_unicode_body_gives_a_readable_docx(body, title, signer, cc, attachment) -> None:
    doc = sample_document(
        body_html=paragraphs_html(body),
        title=title,
        signer=signer,
        cc=cc,
        attachments=(attachment,),
    )
    try:
        data = build_docx(doc)
    except ValueError:  # a clear refusal is acceptable; nothing else is
        return
    document = docx.Document(io.BytesIO(data))  # a real reader opens it
    assert document.paragraphs
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
    text = squash(document_text(data))
    position = 0
    for paragraph in body:
        expected = visible(paragraph)
        if expected:
            found = text.find(expected, position)
            assert found >= 0, expected[:50]
            position = found + len(expected)
    assert doc.disclosure.annotation in text


@SETTINGS
@given(body=st.lists(any_text, max_size=6))
def test_any_unicode_draft_imports_into_the_allow_list(body) -> None:
    try:
        html = docx_to_body_html(draft_docx(body))
    except DocxImportError:
        return
    assert bleach.clean(html, tags=ALLOWED_TAGS, attributes={}, strip=True) == html
    assert not re.search(r"<(?!/?(p|br|strong|em|u|ol|ul|li|table|thead|tbody|tr|th|td)>)", html)
    build_docx(sample_document(body_html=html))


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_are_refused_cleanly(data: bytes) -> None:
    try:
        docx_to_body_html(data)
    except DocxImportError:
        pass


_VALID = draft_docx(["一、总体要求", "正文内容。"])


@settings(max_examples=150, deadline=None, database=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(_VALID) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=20,
    )
)
def test_corrupted_docx_is_refused_cleanly_or_read(edits) -> None:
    data = bytearray(_VALID)
    for position, value in edits:
        data[position] = value
    try:
        html = docx_to_body_html(bytes(data))
    except DocxImportError:
        return
    assert bleach.clean(html, tags=ALLOWED_TAGS, attributes={}, strip=True) == html
