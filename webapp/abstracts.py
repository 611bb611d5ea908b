"""关键词 and 内容概述 of a document: the rules, and a default proposal (pure, no Flask, no models).

The provincial catalogue data items (REFERENCE.md §1) carry a 内容概述 of at most 100 characters;
local government sites show 关键词 beside the 主题分类.  The drafter sets both (or accepts the
proposal shown on the drafting page); a document reaching the publisher without them gets the
proposal computed from its *public* (de-identified) text when the public copy is confirmed.

The keyword proposal is jieba's TF-IDF extraction restricted to nouns, place and organisation
names and verbal nouns: person names (nr), numbers and the like are never proposed, so a name
or a phone number in the text does not become a keyword.  Both fields are still scanned by the
de-identification engine with the rest of the document before anything is published.
"""

from __future__ import annotations

import re

MAX_KEYWORDS = 10
MAX_KEYWORD_CHARS = 20
MAX_SUMMARY_CHARS = 100
PROPOSED_KEYWORDS = 5
_SEPARATORS = re.compile(r"[、，,；;\s]+")
_ALLOWED_POS = ("n", "ns", "nt", "nz", "vn", "nw")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_SALUTATION = re.compile(r".{0,80}[：:]$")  # 各市、县（市、区）应急管理局：
_CONTACT = re.compile(r"^[（(]?(?:联系人|联系电话|咨询电话|联系方式|电话|地址|邮箱|电子邮箱|邮编|传真|附件)")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])")


def split_keywords(text: str) -> list[str]:
    """The keywords typed in one field, separated by 、，, ; or spaces; duplicates dropped."""
    return list(dict.fromkeys(k for k in _SEPARATORS.split(text or "") if k))


def keyword_problems(keywords: list[str]) -> list[str]:
    problems = []
    if len(keywords) > MAX_KEYWORDS:
        problems.append(f"关键词最多 {MAX_KEYWORDS} 个（现有 {len(keywords)} 个）。")
    long = [k for k in keywords if len(k) > MAX_KEYWORD_CHARS]
    if long:
        problems.append(f"每个关键词不超过 {MAX_KEYWORD_CHARS} 个字：{'、'.join(k[:10] + '…' for k in long)}。")
    return problems


def summary_problems(summary: str) -> list[str]:
    if len(summary) > MAX_SUMMARY_CHARS:
        return [f"内容概述不能超过 {MAX_SUMMARY_CHARS} 个字（现有 {len(summary)} 个）。"]
    if "\n" in summary or "\r" in summary:
        return ["内容概述应为一段文字，不能换行。"]
    return []


# Words of the trade jieba's dictionary splits (政务 + 公开), and words too general to be keywords.
DOMAIN_WORDS = ("政务公开", "信息公开", "政府信息", "应急管理", "政策解读", "安全生产", "防灾减灾", "救灾物资",
                "自然灾害", "应急预案", "应急救援", "人民防空", "依申请公开", "主动公开", "防汛抗旱", "森林防火")
GENERAL_WORDS = frozenset({"工作", "通知", "有关", "要求", "单位", "部门", "情况", "问题", "联系人", "联系电话", "电话",
                           "附件", "内容", "事项", "意见", "方面", "时间", "地址", "邮箱", "手机", "管理部", "年度",
                           "咨询电话", "联系方式", "印发", "你们"})
_EXTRACTOR = None


def _extractor():
    """jieba's TF-IDF over a tokenizer of its own (the domain words added there leave the
    de-identification engine's tokenizer as it is)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        import jieba
        import jieba.analyse
        import jieba.posseg

        extractor = jieba.analyse.TFIDF()
        tokenizer = jieba.Tokenizer()
        for word in DOMAIN_WORDS:
            tokenizer.add_word(word, freq=20000, tag="nz")
        extractor.tokenizer, extractor.postokenizer = tokenizer, jieba.posseg.POSTokenizer(tokenizer)
        _EXTRACTOR = extractor
    return _EXTRACTOR


def propose_keywords(title: str, text: str, count: int = PROPOSED_KEYWORDS) -> list[str]:
    """Up to `count` keywords of the title and text (the title counted three times)."""
    source = f"{title}\n{title}\n{title}\n{text}"
    tags = _extractor().extract_tags(source, topK=count * 3, allowPOS=_ALLOWED_POS)
    return [t for t in tags if 2 <= len(t) <= MAX_KEYWORD_CHARS and not t.isascii() and t not in GENERAL_WORDS][:count]


def propose_summary(text: str) -> str:
    """The first sentences of the text proper (past the salutation and headings), at most 100
    characters; a first sentence longer than that is cut at a comma and ends with "…"."""
    for line in (text or "").splitlines():
        line = line.strip()
        if (len(line) < 10 or _SALUTATION.fullmatch(line) or _CONTACT.match(line)
                or (_HEADING.match(line) and len(line) < 30)):
            continue
        parts: list[str] = []
        for sentence in _SENTENCE.findall(line):
            if sum(map(len, parts)) + len(sentence.strip()) > MAX_SUMMARY_CHARS:
                break
            parts.append(sentence.strip())
        if parts:
            return "".join(parts)
        cut = line[:MAX_SUMMARY_CHARS - 1]
        comma = max(cut.rfind("，"), cut.rfind("；"))
        return (cut[:comma] if comma >= 30 else cut) + "…"
    return ""
