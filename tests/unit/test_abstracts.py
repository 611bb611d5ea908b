"""关键词 and 内容概述 (issue 8): the limits (≤ 10 keywords of ≤ 20 characters; a summary of ≤ 100,
REFERENCE.md §1 provincial data items) and the default proposal."""

from __future__ import annotations

from webapp import abstracts

TEXT = ("各市、县（市、区）应急管理局：\n一、工作目标\n全面推进政务公开标准化规范化，落实应急管理部关于做好政务公开工作的要求。"
        "提升应急管理信息发布质量。\n联系人：叶玉才，联系电话：83186312。")


def test_keywords_are_split_on_any_usual_separator_and_deduplicated():
    assert abstracts.split_keywords("政务公开、应急管理，救灾 , 汛期;政务公开") == ["政务公开", "应急管理", "救灾", "汛期"]
    assert abstracts.split_keywords("  ") == []


def test_at_most_ten_keywords_of_twenty_characters_and_a_summary_of_a_hundred():
    assert abstracts.keyword_problems([f"词{i}" for i in range(10)]) == []
    assert "最多 10 个" in abstracts.keyword_problems([f"词{i}" for i in range(11)])[0]
    assert "不超过 20 个字" in abstracts.keyword_problems(["长" * 21])[0]
    assert abstracts.summary_problems("概" * 100) == []
    assert "不能超过 100 个字" in abstracts.summary_problems("概" * 101)[0]
    assert abstracts.summary_problems("两段\n文字")


def test_the_proposal_names_the_subject_never_a_person_or_a_number():
    proposed = abstracts.propose_keywords("关于做好2026年政务公开工作的通知", TEXT)
    assert "政务公开" in proposed and "应急管理" in proposed and len(proposed) <= 5
    assert not {"叶玉才", "83186312", "2026", "工作", "联系人"} & set(proposed)
    assert all(2 <= len(k) <= 20 for k in proposed)


def test_the_summary_proposal_skips_the_salutation_and_headings_and_stays_within_100():
    assert abstracts.propose_summary(TEXT) == "全面推进政务公开标准化规范化，落实应急管理部关于做好政务公开工作的要求。提升应急管理信息发布质量。"
    long = "为贯彻落实" + "政务公开工作要点，" * 30 + "现印发你们。"
    proposed = abstracts.propose_summary(long)
    assert len(proposed) <= 100 and proposed.endswith("…") and proposed.startswith("为贯彻落实")
    assert abstracts.propose_summary("") == ""
