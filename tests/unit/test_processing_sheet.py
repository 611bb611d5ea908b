"""The 发文稿纸 writer on its own (pure: no database): every field in print order, the
history in the order given, any text survives (XML-illegal characters dropped), A4."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.docgen.model import DocumentBuildError
from webapp.docgen.processing_sheet import (
    MAX_OPINIONS,
    ProcessingSheet,
    SheetOpinion,
    build_processing_sheet_docx,
    field_rows,
    when,
)
from webapp.docgen.text import xml_safe

AT = datetime(2026, 3, 5, 9, 30)


def opinion(step: str, text: str, dept: str = "办公室", person: str = "陈静", decision: str = "审核通过"):
    return SheetOpinion(step, decision, dept, person, text, AT)


def sheet(**overrides) -> ProcessingSheet:
    values = dict(
        agency="河南省应急管理厅", title="关于做好汛期值班工作的通知", doc_type="通知", doc_number="豫应急办〔2026〕3号",
        urgency="特急", disclosure="主动公开", drafting_department="应急救援处", drafter="张丽",
        recipients="各市应急管理局", cc="省政府办公厅", copies=40, attachments=("值班表", "联系人名单"),
        dept_check=(opinion("核稿", "同意。", "应急救援处", "吴处长", "核稿通过"),), secrecy_review=(),
        office_review=(opinion("办公室审核", "拟同意，请有关处室会签。"),),
        countersign=(opinion("会签", "同意。", "财务处", "钱处长", "会签同意"),
                     opinion("会签", "同意，已核。", "法规处", "郑处长", "会签同意")),
        signing=opinion("签发", "同意印发。", "办公室", "赵阳", "签发"),
        history=(opinion("拟稿", "", "应急救援处", "张丽", "提交审核"),), written_date=date(2026, 3, 5),
        print_date=date(2026, 3, 6))
    values.update(overrides)
    return ProcessingSheet(**values)


def read(data: bytes) -> tuple[list[str], dict[str, str], list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    fields, history = document.tables
    return ([p.text for p in document.paragraphs], {r.cells[0].text: r.cells[1].text for r in fields.rows},
            [[c.text for c in r.cells] for r in history.rows])


def test_every_field_of_the_sheet_in_print_order():
    labels = [label for label, _ in field_rows(sheet())]
    assert labels == ["标题", "文种", "发文字号", "紧急程度", "公开属性", "拟稿单位", "拟稿人", "核稿", "审核", "会签",
                      "签发", "主送", "抄送", "印发份数", "附件", "成文日期", "印发日期"]
    paragraphs, box, _ = read(build_processing_sheet_docx(sheet()))
    assert paragraphs[0] == "河南省应急管理厅发文稿纸"
    assert box["紧急程度"] == "特急" and box["印发份数"] == "40 份" and box["附件"] == "1. 值班表\n2. 联系人名单"
    assert box["会签"] == ("同意。\n财务处　钱处长　2026年3月5日 09:30\n同意，已核。\n法规处　郑处长　2026年3月5日 09:30")
    assert box["签发"] == "同意印发。\n办公室　赵阳　2026年3月5日 09:30"
    assert box["成文日期"] == "2026年3月5日"
    assert when(AT) == "2026年3月5日 09:30"


def test_a_secrecy_review_row_appears_only_when_there_was_one():
    with_secrecy = sheet(secrecy_review=(opinion("保密审查", "经审查，不涉及国家秘密。", "保密办", "刘敏"),))
    assert "保密审查" in dict(field_rows(with_secrecy))
    assert "保密审查" not in dict(field_rows(sheet()))


@settings(max_examples=25, deadline=None)
@given(texts=st.lists(st.text(max_size=60), min_size=1, max_size=8))
def test_any_opinions_read_back_in_order(texts):
    history = tuple(opinion("会签", t) for t in texts)
    _, _, rows = read(build_processing_sheet_docx(sheet(history=history)))
    got = [r[5] for r in rows[1:]]
    # what XML 1.0 cannot carry is dropped; a carriage return reads back as a line break
    assert got == [xml_safe(t).replace("\r", "\n") for t in texts]


def test_an_absurd_history_is_refused_not_truncated():
    history = tuple(opinion("会签", "同意。") for _ in range(MAX_OPINIONS + 1))
    with pytest.raises(DocumentBuildError, match="办理记录"):
        build_processing_sheet_docx(sheet(history=history))


def test_a4_portrait():
    section = docx.Document(io.BytesIO(build_processing_sheet_docx(sheet()))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
