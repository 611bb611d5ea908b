"""Uploaded names become safe display names; downloads say the file's real type."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.filenames import MAX_NAME_CHARS, content_disposition, extension, safe_filename


@pytest.mark.parametrize("raw,safe", [
    ("关于推进政务公开的通知.docx", "关于推进政务公开的通知.docx"),
    ("../../x.docx", "x.docx"),
    ("/etc/passwd.docx", "passwd.docx"),
    ("C:\\fakepath\\名单.xlsx", "名单.xlsx"),
    ("名\x00单.xlsx", "名单.xlsx"),
    ("名单\r\nSet-Cookie: a=b.xlsx", "名单 Set-Cookie_ a=b.xlsx"),
    ("invoice\u202excod.exe", "invoicexcod.exe"),  # shown as "invoiceexe.docx" with the override
    ("\u200b\u200b\u200b.docx", "附件.docx"),
    ("..", "附件"),
    (".htaccess", "附件.htaccess"),
    ("...名单.txt", "名单.txt"),
    ("报告 .PDF", "报告.pdf"),
    ("  多   空格\t名.txt  ", "多 空格 名.txt"),
    ('a<b>c:"d"|e?f*.png', "a_b_c__d__e_f_.png"),
    ("", "附件"),
    (None, "附件"),
])
def test_uploaded_names_become_safe_display_names(raw, safe):
    assert safe_filename(raw) == safe


def test_a_name_of_ten_thousand_characters_is_cut_keeping_its_extension():
    name = safe_filename("长" * 10_000 + ".docx")
    assert len(name) == MAX_NAME_CHARS and name.endswith("长.docx")


@given(st.text(max_size=300))
def test_any_name_is_short_visible_and_without_directories(raw):
    name = safe_filename(raw)
    assert 0 < len(name) <= MAX_NAME_CHARS
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for ch in name)
    assert safe_filename(name) == name


def test_extension():
    assert extension("通知.DOCX") == ".docx" and extension("无扩展名") == "" and extension("a.") == ""


@pytest.mark.parametrize("name,ext,ascii_name", [
    ("签收表扫描件.pdf", ".pdf", "document-7-3.pdf"),
    ("救助名单.xlsx", ".xlsx", "document-7-3.xlsx"),
    ("photo.jpg", ".jpg", "photo.jpg"),
    ("公开版", ".docx", "document-7-3.docx"),
    ('evil"; filename=x.exe', ".txt", "document-7-3.txt"),
])
def test_the_download_header_names_the_real_type(name, ext, ascii_name):
    header = content_disposition(name, "document-7-3", ext)
    assert header.startswith(f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'')
    shown = unquote(header.split("filename*=UTF-8''", 1)[1])
    assert shown.endswith(ext) and shown == safe_filename(shown)
    assert header.isascii() and "\r" not in header and "\n" not in header
