"""索引号 and 统一社会信用代码 (GB 32100-2015), and the two-level 主题分类 (REFERENCE.md §1)."""

import pytest

from webapp import taxonomy
from webapp.indexno import format_index_number, parse_index_number, uscc_problem


@pytest.mark.parametrize("code", ["11370812004339255B", "91350100M000100Y43", "91110000600037341L"])
def test_real_credit_codes_pass_the_check_character(code):
    assert uscc_problem(code) is None


@pytest.mark.parametrize("code, words", [
    ("11370812004339255C", "校验位不符：第18位应为 B"),
    ("11370812004339255", "应为18位"),
    ("1137081200433925SB", "不允许的字符：S"),
])
def test_a_wrong_credit_code_is_refused_in_words(code, words):
    assert words in uscc_problem(code)


def test_index_number_is_code_slash_year_dash_five_digits_and_parses_back():
    value = format_index_number("11370812004339255B", 2026, 7)
    assert value == "11370812004339255B/2026-00007"
    assert parse_index_number(value) == ("11370812004339255B", 2026, 7)
    assert parse_index_number("000014349/2017-00110") is None  # the old 9-digit form is not ours


def test_the_taxonomy_has_the_22_state_council_classes_in_order():
    tops = list(taxonomy.TOPICS)
    assert len(tops) == 22 and tops[0] == "国务院组织机构" and tops[-1] == "其他"
    assert "民政、扶贫、救灾" in tops and "市场监管、安全生产监管" in tops


def test_a_stored_class_is_first_and_second_level():
    assert taxonomy.is_valid("综合政务/应急管理")
    assert taxonomy.split("综合政务/应急管理") == ("综合政务", "应急管理")
    assert taxonomy.label("综合政务/应急管理") == "综合政务 › 应急管理"
    assert taxonomy.is_valid("其他") and taxonomy.split("其他") == ("其他", "")
    assert not taxonomy.is_valid("综合政务") and not taxonomy.is_valid("政策文件")
