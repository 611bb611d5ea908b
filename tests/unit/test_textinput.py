"""The input rules of webapp/textinput.py, character by character."""

import pytest

from webapp import textinput

ALLOWED_CONTROLS = "\t\n\r"


@pytest.mark.parametrize("code", [c for c in range(0x00, 0xA0) if c < 0x20 or c >= 0x7F])
def test_every_control_character_but_tab_and_line_breaks_is_forbidden(code):
    char = chr(code)
    assert textinput.has_forbidden(f"标题{char}") is (char not in ALLOWED_CONTROLS)


@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\ufffe", "\uffff"])
def test_surrogates_and_non_characters_are_forbidden(char):
    assert textinput.forbidden_characters(f"a{char}b") == [f"U+{ord(char):04X}"]


def test_ordinary_text_is_allowed():
    text = "关于做好2026年政务公开工作的通知 豫应急办〔2026〕4号 ＡＢＣ\t第一行\r\n第二行 emoji 🙂 «»"
    assert textinput.forbidden_characters(text) == []


def test_forbidden_characters_are_named_once_each_in_order():
    assert textinput.forbidden_characters("\x00a\x1b\x00b\x7f") == ["U+0000", "U+001B", "U+007F"]


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\u200c\u200d\ufeff", "\u3000\u00a0", "\u2060\u180e",
                                  "\u3164\u115f", "\u0301\u0301", "\u2800"])
def test_text_with_nothing_visible(text):
    assert not textinput.has_visible(text)
    assert textinput.clean_field(text, multiline=False) == ""


@pytest.mark.parametrize("text", ["标", "a", "1", "〔", "\u200b标题\u200b", "\ue000"])
def test_text_with_something_visible(text):
    assert textinput.has_visible(text)


def test_one_line_fields_lose_line_breaks_and_tabs_multiline_keep_them():
    assert textinput.clean_field("第一行\r\n\t第二行", multiline=False) == "第一行 第二行"
    assert textinput.clean_field("第一行\r\n第二行", multiline=True) == "第一行\r\n第二行"


@pytest.mark.parametrize("value,expected", [
    ("1", 1), ("2147483647", 2**31 - 1), ("0042", 42),
    ("0", None), ("2147483648", None), ("99999999999999999999999", None), ("-1", None), ("+1", None),
    ("²", None), ("٣", None), ("１", None), ("1_000", None), ("1e3", None), (" 1", None), ("", None), (None, None),
])
def test_ids_are_ascii_digits_within_the_integer_columns(value, expected):
    assert textinput.parse_id(value) == expected


def test_shorten_keeps_the_beginning_and_the_extension():
    name = "会议纪要" * 750 + ".docx"
    short = textinput.shorten(f"已添加附件：{name}", 200)
    assert len(short) == 200 and short.startswith("已添加附件：会议纪要") and short.endswith(".docx") and "…" in short
    assert textinput.shorten("短消息", 200) == "短消息"
