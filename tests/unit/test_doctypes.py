"""Which 文种 need a 主送机关 (《党政机关公文处理工作条例》 Art. 9): one table, asked by the
submission check and the drafting form."""

import pytest

from webapp.doctypes import DOC_TYPES, RECIPIENTS_REQUIRED, needs_recipients, recipients_problem


@pytest.mark.parametrize("doc_type", ["通知", "通报", "请示", "报告", "函"])
def test_addressed_types_need_recipients(doc_type):
    assert needs_recipients(doc_type)
    assert recipients_problem(doc_type, "") == f"文种为“{doc_type}”，须填写主送机关（如：各市、县（市、区）应急管理局）。"
    assert recipients_problem(doc_type, "　 \t") is not None  # blanks, full-width ones too, are not a 主送
    assert recipients_problem(doc_type, "各处室") is None


@pytest.mark.parametrize("doc_type", ["纪要", "意见", "决定", "办法", "规定", "方案", "未知文种"])
def test_other_types_may_go_without(doc_type):
    assert not needs_recipients(doc_type)
    assert recipients_problem(doc_type, "") is None


def test_the_form_offers_every_type_in_the_table_and_marks_the_addressed_ones():
    assert DOC_TYPES[0] == "通知" and len(set(DOC_TYPES)) == len(DOC_TYPES) == 11
    assert set(RECIPIENTS_REQUIRED) == {"通知", "通报", "请示", "报告", "函"}
