"""Recognise the parts of a 公文 in an imported Word draft.

Pure Python.  A drafter's .docx usually holds the whole document as it would be
printed: the 发文机关标志 ("河南省应急管理厅文件"), the 发文字号, the title, the 主送 line,
the body, and the 附件说明 ("附件：1．…").  The app keeps the title, the recipients and
the attachment names in fields of their own and prints the mark and the number itself
(GB/T 9704-2012), so left in the body they would be printed twice.  :func:`recognise`
takes them out of the top-level blocks of :func:`webapp.docgen.importer.docx_to_blocks`
and says what it took:

* at the top, in this order and each optional: a bare "附件1" label (the draft is
  itself someone's annex), the 发文机关标志 (a short line ending in 文件, or the name the
  title starts with), the 发文字号 (代字〔年份〕序号号), the title (one paragraph, or two
  that together end in a 文种 such as 通知/方案/指引, or contain 关于), then the 主送 line
  (organisations separated by ，、； and ending in a colon);
* further down, the first 附件说明: "附件：名称", or "附件：1．名称" followed by
  "2．名称"…, or "附件：" followed directly by numbered lines.  A bare "附件" or
  "附件：" line over the annex's own text is the annex's label and stays.

Spaces that PDF conversion leaves between Chinese characters ("的 通 知") are removed
from the recognised values.  Nothing is guessed from fonts or positions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

DOC_TYPE_WORDS = (
    "通知", "通报", "意见", "办法", "方案", "规定", "决定", "报告", "请示", "函", "纪要", "批复",
    "公告", "通告", "决议", "命令", "议案", "规划", "计划", "要点", "指引", "细则", "规则",
    "条例", "制度", "目录", "清单", "指南", "标准", "公报", "守则", "章程", "台账", "措施",
)
MAX_TITLE_CHARS = 150
MAX_RECIPIENT_PART = 30
MAX_RECIPIENTS_CHARS = 500

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_BR = re.compile(r"<br\s*/?>")
_SENTENCE_END = ("。", "；", ";", "：", ":", "，", ",", "！", "!", "？", "?")
_OUTER_LABEL = re.compile(r"附件[0-9０-９一二三四五六七八九十]{0,3}[:：]?")
_DOC_NUMBER = re.compile(r"[^\s，。；：]{1,20}[〔\[［【(（][0-9]{4}[〕\]］】)）][0-9]{1,5}号")
_PUNCTUATION = re.compile(r"[，。；：！？,.;:!?、]")
_RECIPIENT_SPLIT = re.compile(r"[，,、；;]")
_NOT_RECIPIENTS = ("附件", "抄送", "联系人", "联系电话", "发布时间", "来源", "编辑", "签发人", "主题词")
_ATTACHMENT = re.compile(r"附件[:：](.*)")
_HEADING_NUMBER = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.．、]")
_NUMBERED = re.compile(r"([0-9０-９]{1,2})[.．、]\s*(.+)")


def compact(text: str) -> str:
    """Whitespace collapsed, and removed where it touches a Chinese character."""
    return _SPACE_BY_CJK.sub("", _WS.sub(" ", text).strip())


def _text(block: str) -> str | None:
    """The visible text of a <p> block (line breaks as newlines); None for a list or table."""
    if not (block.startswith("<p>") and block.endswith("</p>")):
        return None
    return html.unescape(_TAG.sub("", _BR.sub("\n", block[3:-4])))


def _single_line(text: str | None) -> str | None:
    if text is None or "\n" in text.strip():
        return None
    return compact(text)


def _is_title(t: str) -> bool:
    return (4 <= len(t) <= MAX_TITLE_CHARS and not t.endswith(_SENTENCE_END) and "。" not in t
            and (t.endswith(DOC_TYPE_WORDS) or "关于" in t))


def _could_be_title_line(t: str | None) -> bool:
    return bool(t) and len(t) <= MAX_TITLE_CHARS and not t.endswith(_SENTENCE_END) and "。" not in t


def _is_doc_number(t: str | None) -> bool:
    return bool(t) and _DOC_NUMBER.fullmatch(t) is not None


def _recipients(t: str | None) -> str | None:
    """The 主送 line's organisations without the colon, or None when *t* is not one."""
    if not t or not t.endswith(("：", ":")) or t.startswith(_NOT_RECIPIENTS) or "。" in t or "如下" in t:
        return None
    if t.startswith(("主送：", "主送:")):
        t = t[3:]
    names = t[:-1]
    parts = _RECIPIENT_SPLIT.split(names)
    if not names or len(names) > MAX_RECIPIENTS_CHARS or any(not p or len(p) > MAX_RECIPIENT_PART for p in parts):
        return None
    return names


@dataclass
class Recognised:
    """What :func:`recognise` found, and the body that is left."""

    body_blocks: list[str]
    title: str = ""
    recipients: str = ""
    attachments: list[str] = field(default_factory=list)
    issuer_mark: str = ""
    doc_number: str = ""

    @property
    def body_html(self) -> str:
        return "\n".join(self.body_blocks)

    @property
    def found(self) -> list[str]:
        """What was moved into fields, in Chinese, for the message after the import."""
        out = []
        if self.title:
            out.append("标题")
        if self.recipients:
            out.append("主送机关")
        if self.attachments:
            out.append(f"附件说明（{len(self.attachments)} 项）")
        return out

    @property
    def dropped(self) -> list[str]:
        """What was taken out of the body because the app prints it itself."""
        out = []
        if self.issuer_mark:
            out.append("发文机关标志")
        if self.doc_number:
            out.append("发文字号")
        return out


def _head(texts: list[str | None], result: Recognised) -> int:
    """Recognise the top of the document; the index of the first body block."""
    i = 0
    lines = [_single_line(t) for t in texts]

    def title_at(k: int) -> tuple[str, int] | None:
        """(title, blocks it takes) at k."""
        if k >= len(texts) or texts[k] is None:
            return None
        one = compact(texts[k].replace("\n", ""))
        if _is_title(one) and one.endswith(DOC_TYPE_WORDS):
            return one, 1
        second = lines[k + 1] if k + 1 < len(lines) else None
        if (_could_be_title_line(one) and _could_be_title_line(second) and len(second) <= 40
                and not _HEADING_NUMBER.match(second)):
            two = one + second
            if _is_title(two) and two.endswith(DOC_TYPE_WORDS):
                return two, 2
        if _is_title(one):
            return one, 1
        return None

    def mark_at(k: int) -> bool:
        t = lines[k] if k < len(lines) else None
        if not t or len(t) > 40 or _PUNCTUATION.search(t) or _is_title(t):
            return False
        if t.endswith("文件"):
            return True
        following = k + 1 + (1 if _is_doc_number(lines[k + 1] if k + 1 < len(lines) else None) else 0)
        title = title_at(following)
        return title is not None and title[0].startswith(t) and len(title[0]) > len(t)

    start = i
    if lines and lines[0] and _OUTER_LABEL.fullmatch(lines[0]) and (
            mark_at(1) or _is_doc_number(lines[1] if len(lines) > 1 else None) or title_at(1)):
        i = 1
    if mark_at(i):
        result.issuer_mark = lines[i]
        i += 1
    if i < len(lines) and _is_doc_number(lines[i]):
        result.doc_number = lines[i]
        i += 1
    title = title_at(i)
    if title is not None:
        result.title, i = title[0], i + title[1]
    if i < len(lines):
        recipients = _recipients(lines[i])
        if recipients is not None:
            result.recipients = recipients
            i += 1
    if not (result.title or result.recipients or result.issuer_mark or result.doc_number):
        return start  # nothing recognised: the bare label, if any, is body text after all
    return i


def _strip_number(name: str) -> tuple[int | None, str]:
    m = _NUMBERED.fullmatch(name)
    if m:
        number = int(m.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        return number, m.group(2).strip()
    return None, name


def _attachment_notes(texts: list[str | None], start: int) -> tuple[list[str], range]:
    """The first 附件说明 at or after *start*: the names and the blocks they take."""
    lines = [_single_line(t) for t in texts]
    for k in range(start, len(lines)):
        m = _ATTACHMENT.fullmatch(lines[k] or "")
        if not m:
            continue
        rest = m.group(1).strip()
        names: list[str] = []
        if rest:
            number, name = _strip_number(rest)
            names.append(name)
            if number != 1:
                return names, range(k, k + 1)
        j = k + 1
        while j < len(lines) and lines[j]:
            number, name = _strip_number(lines[j])
            if number != len(names) + 1:
                break
            names.append(name)
            j += 1
        if names:
            return names, range(k, j)
        # "附件：" over the annex's own text: its label, not a list of names; look further
    return [], range(0)


def recognise(blocks: list[str]) -> Recognised:
    """Take the title, the 主送 line, the 附件说明 (and the mark and number above the
    title) out of the body *blocks* (see the module)."""
    texts = [_text(b) for b in blocks]
    result = Recognised(body_blocks=list(blocks))
    body_start = _head(texts, result)
    names, taken = _attachment_notes(texts, body_start)
    result.attachments = [compact(n).rstrip("；;。，,") for n in names if compact(n)]
    result.body_blocks = [b for k, b in enumerate(blocks) if k >= body_start and k not in taken]
    return result
