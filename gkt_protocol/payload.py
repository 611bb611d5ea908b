"""The push and withdraw messages, validated.

A push (POST /api/push, JSON, UTF-8) — one policy document and, when it has one, its
interpretation (解读); both are published together and withdrawn together:

    {
      "protocol": 1,
      "index_no": "11370812004339255B/2026-00001",   索引号: 9- or 18-character agency code / year - serial
      "version": 3,                                   increases with every message about this 索引号
      "title": "关于……的通知",
      "doc_number": "豫应急办〔2026〕5号",             文号 ("" when the document has none)
      "topic": ["综合政务", "政务公开"],                主题分类: a first-level class, and a second level or ""
      "publisher": "河南省应急管理厅",                  发布机构
      "written_date": "2026-03-02",                   成文日期
      "published_at": "2026-03-05T09:30:00+08:00",    发布日期 (with its offset)
      "validity": "valid" | "revised" | "expired" | "repealed",   有效性: 有效 / 已修订 / 失效 / 废止
      "validity_changed_on": "2027-01-01" | null,     修订/失效/废止 date (required unless valid)
      "keywords": ["政务公开"],                         关键词 (≤ 10, each ≤ 20 characters)
      "summary": "……",                                内容概述 (≤ 300 characters)
      "body_html": "<p>……</p>",                        the public (de-identified) text
      "docx": {"filename": "….docx", "sha256": "<hex>", "content_base64": "…"} | null,
      "attachments": [{"filename": "附件1 名单.docx", "title": "……", "sha256": "<hex>", "content_base64": "…"}],
                                                      附件: the public (de-identified) copies, in order (≤ 20,
                                                      each ≤ 20 MB, ≤ 30 MB together; see ATTACHMENT_TYPES)
      "interpretation_required": true,                三同步: the document needs a 解读
      "interpretation": {"title": "…", "body_html": "…", "published_at": "…", "docx": {…} | null} | null,
      "column": "" | "annual_report",                 optional; the portal column besides 政府信息公开:
                                                      annual_report = 政府信息公开年报 (issue 12)
      "catalogue_item": {"id": 12, "domain": "救灾", "first_level": "灾后救助", "second_level": "过渡期生活救助"}
                        | null                        目录事项 (issue 15; optional: older messages omit it).
                                                      `id` is the item's stable number in the agency's
                                                      标准目录 (POST /api/catalogue, gkt_protocol/catalogue.py);
                                                      second_level "" when filed under a first-level item
      "normative": true,                              行政规范性文件 (optional, default false)
      "effective_from": "2026-03-05" | null,          施行日期 (optional; normative documents)
      "effective_to": "2031-03-04" | null,            有效期至 (optional; after effective_from)
      "cleanup": {"decision": "repeal", "decided_on": "2027-01-01"} | null
                                                      the latest 规范性文件清理 decision (optional):
                                                      continue 继续有效 / revise 修订 / repeal 废止 /
                                                      expire 失效, agreeing with "validity"
    }

A withdrawal (POST /api/withdraw):

    {"protocol": 1, "index_no": "…", "version": 4, "notice": "该信息已撤回。", "withdrawn_at": "2026-03-09T10:00:00+08:00"}

`notice` is shown to the public on the 410 page; keep internal reasons out of it.
Every limit below is checked before anything is stored; a violation raises PayloadError
with every problem in Chinese, and the portal answers 400.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from .taxonomy import MAX_SECOND_LEVEL_CHARS, TOP_CLASSES

PROTOCOL_VERSION = 1

MAX_TITLE = 200
MAX_DOC_NUMBER = 60
MAX_PUBLISHER = 100
MAX_SUMMARY = 300
MAX_KEYWORDS = 10
MAX_KEYWORD = 20
MAX_HTML = 2_000_000  # characters
MAX_DOCX = 15 * 1024 * 1024  # bytes, decoded
MAX_FILENAME = 120
MAX_NOTICE = 500
MAX_VERSION = 2**31 - 1

VALIDITY_LABELS = {"valid": "有效", "revised": "已修订", "expired": "失效", "repealed": "废止"}
# 规范性文件清理 decisions, and the 有效性 each leaves the document with.
CLEANUP_LABELS = {"continue": "继续有效", "revise": "修订", "repeal": "废止", "expire": "失效"}
CLEANUP_VALIDITY = {"continue": "valid", "revise": "revised", "repeal": "repealed", "expire": "expired"}
# Columns of the portal an item is also filed under ("" = only the 政府信息公开 catalogue).
COLUMNS = {"": "", "annual_report": "政府信息公开年报"}

# 附件: what may be pushed, and the type the portal serves it as (never what a sender claims).
# A .txt is pushed in UTF-8 (the intranet converts it), so the portal can say so.
ATTACHMENT_TYPES = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 工作簿"),
    ".pdf": ("application/pdf", "PDF 文件"),
    ".ofd": ("application/ofd", "OFD 版式文件"),
    ".jpg": ("image/jpeg", "JPEG 图片"),
    ".jpeg": ("image/jpeg", "JPEG 图片"),
    ".png": ("image/png", "PNG 图片"),
    ".txt": ("text/plain; charset=utf-8", "文本文件"),
}
MAX_ATTACHMENTS = 20
MAX_ATTACHMENT = 20 * 1024 * 1024  # bytes, decoded, per file
MAX_ATTACHMENTS_TOTAL = 30 * 1024 * 1024  # bytes, decoded, all of one push's attachments
MAX_ATTACHMENT_TITLE = 200
# An online application's reply (intranet → portal, /api/applications/status): the files provided
# with the letter — each provided document's public copy and the copies of its 附件.
APPLICATION_MAX_FILES = 100
APPLICATION_MAX_FILES_BYTES = 40 * 1024 * 1024  # decoded, all the provided files of one reply
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}  # control, format (bidi, zero-width), …
_RESERVED = re.compile(r'[<>:"|?*/\\]')
_EXTENSION = re.compile(r"\.[0-9a-z]{1,10}$")

# 9-character organisation code or 18-character 统一社会信用代码, "/", year, "-", serial.
INDEX_NO = re.compile(r"(?P<code>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{4,8})")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PayloadError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DocxFile:
    filename: str
    sha256: str
    content: bytes = field(repr=False)

    def to_json(self) -> dict:
        return {"filename": self.filename, "sha256": self.sha256,
                "content_base64": base64.b64encode(self.content).decode("ascii")}

    @classmethod
    def build(cls, filename: str, content: bytes) -> DocxFile:
        return cls(filename, hashlib.sha256(content).hexdigest(), content)


def clean_filename(name: str, default: str = "附件") -> str:
    """A file name safe to store, show and send in Content-Disposition: NFC, no path, no control,
    format (bidi override, zero-width) or reserved characters, whitespace collapsed, no leading
    dots, at most MAX_FILENAME characters with its (lower-case) extension kept.  The sender cleans
    names with this; the parser refuses a name that is not already clean."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(" " if ch in "\t\r\n" else ch for ch in text
                   if ch in "\t\r\n" or unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = re.sub(r"\s+", " ", _RESERVED.sub("_", text)).strip().rstrip(". ")
    match = _EXTENSION.search(text.lower())
    ext = match.group(0) if match else ""
    stem = (text[: len(text) - len(ext)] if ext else text).strip(". ")
    stem = stem[: MAX_FILENAME - len(ext)].rstrip(". ") or default
    return stem + ext


def attachment_extension(filename: str) -> str:
    match = _EXTENSION.search(filename.lower())
    return match.group(0) if match else ""


def _looks_like(ext: str, content: bytes) -> bool:
    """The bytes are what the extension says (a light check; the intranet checked them fully)."""
    if ext in (".docx", ".xlsx", ".ofd"):
        return content.startswith(b"PK\x03\x04")
    if ext == ".pdf":
        return content.startswith(b"%PDF-")
    if ext == ".png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in (".jpg", ".jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if ext == ".txt":
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return not _CONTROL.search(text.replace("\x0c", ""))
    return False


@dataclass(frozen=True)
class AttachmentFile:
    """One 附件's public copy: its clean file name, the 附件说明 title it is listed under, the bytes."""

    filename: str
    title: str
    sha256: str
    content: bytes = field(repr=False)

    @property
    def extension(self) -> str:
        return attachment_extension(self.filename)

    @property
    def content_type(self) -> str:
        return ATTACHMENT_TYPES[self.extension][0]

    @property
    def format_label(self) -> str:
        return ATTACHMENT_TYPES[self.extension][1]

    def to_json(self) -> dict:
        return {"filename": self.filename, "title": self.title, "sha256": self.sha256,
                "content_base64": base64.b64encode(self.content).decode("ascii")}

    @classmethod
    def build(cls, filename: str, title: str, content: bytes) -> AttachmentFile:
        return cls(clean_filename(filename), (title or "").strip()[:MAX_ATTACHMENT_TITLE],
                   hashlib.sha256(content).hexdigest(), content)


@dataclass(frozen=True)
class Interpretation:
    title: str
    body_html: str
    published_at: datetime
    docx: DocxFile | None = None

    def to_json(self) -> dict:
        return {"title": self.title, "body_html": self.body_html, "published_at": self.published_at.isoformat(),
                "docx": self.docx.to_json() if self.docx else None}


MAX_CATALOGUE_ID = 2**31 - 1
MAX_CATALOGUE_DOMAIN = 30
MAX_CATALOGUE_NAME = 100


@dataclass(frozen=True)
class CatalogueRef:
    """The 目录事项 a pushed document is filed under (issue 15)."""

    id: int
    domain: str
    first_level: str
    second_level: str = ""

    def to_json(self) -> dict:
        return {"id": self.id, "domain": self.domain, "first_level": self.first_level,
                "second_level": self.second_level}


@dataclass(frozen=True)
class Cleanup:
    decision: str  # a key of CLEANUP_LABELS
    decided_on: date

    def to_json(self) -> dict:
        return {"decision": self.decision, "decided_on": self.decided_on.isoformat()}


@dataclass(frozen=True)
class Publication:
    index_no: str
    version: int
    title: str
    doc_number: str
    topic: tuple[str, str]
    publisher: str
    written_date: date
    published_at: datetime
    validity: str
    validity_changed_on: date | None
    keywords: tuple[str, ...]
    summary: str
    body_html: str
    docx: DocxFile | None
    interpretation_required: bool = False
    interpretation: Interpretation | None = None
    column: str = ""  # a key of COLUMNS
    catalogue_item: CatalogueRef | None = None  # issue 15
    attachments: tuple[AttachmentFile, ...] = ()
    normative: bool = False
    effective_from: date | None = None
    effective_to: date | None = None
    cleanup: Cleanup | None = None

    def to_json(self) -> dict:
        out = asdict(self)
        out.update(
            protocol=PROTOCOL_VERSION,
            topic=list(self.topic),
            keywords=list(self.keywords),
            written_date=self.written_date.isoformat(),
            published_at=self.published_at.isoformat(),
            validity_changed_on=self.validity_changed_on.isoformat() if self.validity_changed_on else None,
            docx=self.docx.to_json() if self.docx else None,
            interpretation=self.interpretation.to_json() if self.interpretation else None,
            catalogue_item=self.catalogue_item.to_json() if self.catalogue_item else None,
            attachments=[a.to_json() for a in self.attachments],
            effective_from=self.effective_from.isoformat() if self.effective_from else None,
            effective_to=self.effective_to.isoformat() if self.effective_to else None,
            cleanup=self.cleanup.to_json() if self.cleanup else None,
        )
        return out


@dataclass(frozen=True)
class Withdrawal:
    index_no: str
    version: int
    notice: str
    withdrawn_at: datetime

    def to_json(self) -> dict:
        return {"protocol": PROTOCOL_VERSION, "index_no": self.index_no, "version": self.version,
                "notice": self.notice, "withdrawn_at": self.withdrawn_at.isoformat()}


class _Reader:
    """Reads fields of one JSON object, collecting every problem instead of stopping at the first."""

    def __init__(self, obj, where: str = "") -> None:
        self.problems: list[str] = []
        self.where = where
        self.obj = obj if isinstance(obj, dict) else {}
        if not isinstance(obj, dict):
            self.fail("", "应为 JSON 对象")

    def fail(self, label: str, what: str) -> None:
        self.problems.append(f"{self.where}{label}{what}")

    def text(self, key: str, label: str, limit: int, required: bool = True, single_line: bool = True) -> str:
        value = self.obj.get(key, "" if not required else None)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(label, "应为文本")
            return ""
        value = value.strip() if single_line else value
        if required and not value:
            self.fail(label, "不能为空")
        if len(value) > limit:
            self.fail(label, f"不能超过 {limit} 个字符")
            return ""
        if _CONTROL.search(value) or (single_line and ("\n" in value or "\r" in value)):
            self.fail(label, "含有控制字符")
            return ""
        return value

    def integer(self, key: str, label: str, low: int, high: int) -> int:
        value = self.obj.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(label, f"应为 {low} 到 {high} 之间的整数")
            return low
        return value

    def day(self, key: str, label: str, required: bool = True) -> date | None:
        value = self.obj.get(key)
        if value in (None, "") and not required:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(label, "应为日期，格式如 2026-03-05")
            return None

    def moment(self, key: str, label: str) -> datetime | None:
        value = self.obj.get(key)
        try:
            if not isinstance(value, str) or len(value) > 40:
                raise ValueError
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError
            return parsed
        except ValueError:
            self.fail(label, "应为带时区的时间，格式如 2026-03-05T09:30:00+08:00")
            return None

    def docx(self, key: str, label: str) -> DocxFile | None:
        value = self.obj.get(key)
        if value is None:
            return None
        sub = _Reader(value, f"{self.where}{label}")
        filename = sub.text("filename", "文件名", MAX_FILENAME)
        if filename and (not filename.lower().endswith(".docx") or "/" in filename or "\\" in filename):
            sub.fail("文件名", "应为 .docx 文件名，不含路径")
        digest = sub.text("sha256", "校验值", 64)
        if digest and not _SHA256.fullmatch(digest):
            sub.fail("校验值", "应为 64 位小写十六进制 SHA-256")
        encoded = sub.obj.get("content_base64")
        content = b""
        if not isinstance(encoded, str) or not encoded:
            sub.fail("内容", "缺失")
        elif len(encoded) > (MAX_DOCX * 4) // 3 + 8:
            sub.fail("内容", f"超过 {MAX_DOCX // (1024 * 1024)} MB")
        else:
            try:
                content = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                sub.fail("内容", "不是有效的 Base64")
        if content and len(content) > MAX_DOCX:
            sub.fail("内容", f"超过 {MAX_DOCX // (1024 * 1024)} MB")
        if content and not content.startswith(b"PK\x03\x04"):
            sub.fail("内容", "不是 .docx（ZIP）文件")
        if content and digest and _SHA256.fullmatch(digest) and hashlib.sha256(content).hexdigest() != digest:
            sub.fail("校验值", "与内容不符（传输中损坏或被改动）")
        self.problems += sub.problems
        return DocxFile(filename, digest, content) if not sub.problems else None


    def attachments(self, key: str) -> tuple[AttachmentFile, ...]:
        value = self.obj.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
            self.fail("附件", f"应为不超过 {MAX_ATTACHMENTS} 个文件的列表")
            return ()
        out, total = [], 0
        for n, raw in enumerate(value, 1):
            sub = _Reader(raw, f"附件{n}")
            filename = sub.text("filename", "文件名", MAX_FILENAME)
            ext = attachment_extension(filename)
            if filename and clean_filename(filename) != filename:
                sub.fail("文件名", "含有路径、控制字符或不允许的字符")
            elif filename and ext not in ATTACHMENT_TYPES:
                sub.fail("文件名", f"的格式不在允许之列（{'、'.join(e for e in ATTACHMENT_TYPES if e != '.jpeg')}）")
            title = sub.text("title", "标题", MAX_ATTACHMENT_TITLE, required=False)
            digest = sub.text("sha256", "校验值", 64)
            if digest and not _SHA256.fullmatch(digest):
                sub.fail("校验值", "应为 64 位小写十六进制 SHA-256")
            encoded = sub.obj.get("content_base64")
            content = b""
            if not isinstance(encoded, str) or not encoded:
                sub.fail("内容", "缺失")
            elif len(encoded) > (MAX_ATTACHMENT * 4) // 3 + 8:
                sub.fail("内容", f"超过 {MAX_ATTACHMENT // (1024 * 1024)} MB")
            else:
                try:
                    content = base64.b64decode(encoded, validate=True)
                except (binascii.Error, ValueError):
                    sub.fail("内容", "不是有效的 Base64")
            if content and len(content) > MAX_ATTACHMENT:
                sub.fail("内容", f"超过 {MAX_ATTACHMENT // (1024 * 1024)} MB")
            if content and ext in ATTACHMENT_TYPES and not _looks_like(ext, content):
                sub.fail("内容", f"与扩展名 {ext} 不符")
            if content and digest and _SHA256.fullmatch(digest) and hashlib.sha256(content).hexdigest() != digest:
                sub.fail("校验值", "与内容不符（传输中损坏或被改动）")
            total += len(content)
            self.problems += sub.problems
            if not sub.problems:
                out.append(AttachmentFile(filename, title, digest, content))
        if total > MAX_ATTACHMENTS_TOTAL:
            self.fail("附件", f"合计超过 {MAX_ATTACHMENTS_TOTAL // (1024 * 1024)} MB")
        return tuple(out)


def _protocol(r: _Reader) -> None:
    if r.obj.get("protocol") != PROTOCOL_VERSION:
        r.fail("协议版本", f"应为 {PROTOCOL_VERSION}")


def _index_no(r: _Reader) -> str:
    value = r.text("index_no", "索引号", 40)
    if value and not INDEX_NO.fullmatch(value):
        r.fail("索引号", "格式应为 机构代码/年份-流水号，如 11370812004339255B/2026-00001")
    return value


def parse_publication(obj) -> Publication:
    """A push message from decoded JSON, or PayloadError listing every problem."""
    r = _Reader(obj)
    _protocol(r)
    index_no = _index_no(r)
    version = r.integer("version", "版本号", 1, MAX_VERSION)
    title = r.text("title", "标题", MAX_TITLE)
    doc_number = r.text("doc_number", "文号", MAX_DOC_NUMBER, required=False)
    topic = r.obj.get("topic")
    first = second = ""
    if (not isinstance(topic, list) or len(topic) != 2 or not all(isinstance(t, str) for t in topic)):
        r.fail("主题分类", "应为两级：[一级分类, 二级分类或空]")
    else:
        first, second = topic[0].strip(), topic[1].strip()
        if first not in TOP_CLASSES:
            r.fail("主题分类", f"“{first[:30]}”不是国务院公文主题分类的一级类目")
        if len(second) > MAX_SECOND_LEVEL_CHARS or _CONTROL.search(second) or "\n" in second:
            r.fail("主题分类", f"二级类目不能超过 {MAX_SECOND_LEVEL_CHARS} 个字符或含控制字符")
    publisher = r.text("publisher", "发布机构", MAX_PUBLISHER)
    written = r.day("written_date", "成文日期")
    published = r.moment("published_at", "发布日期")
    validity = r.obj.get("validity")
    if validity not in VALIDITY_LABELS:
        r.fail("有效性", "应为 valid（有效）、revised（已修订）、expired（失效）或 repealed（废止）")
    changed_on = r.day("validity_changed_on", "修订、失效或废止日期",
                       required=validity in ("revised", "expired", "repealed"))
    if validity == "valid" and changed_on is not None:
        r.fail("修订、失效或废止日期", "有效的文件不应有修订、失效或废止日期")
    normative, effective_from, effective_to, cleanup = _normative(r, validity)
    keywords = r.obj.get("keywords", [])
    if not isinstance(keywords, list) or len(keywords) > MAX_KEYWORDS or not all(
            isinstance(k, str) and 0 < len(k.strip()) <= MAX_KEYWORD and not _CONTROL.search(k) for k in keywords):
        r.fail("关键词", f"应为不超过 {MAX_KEYWORDS} 个、每个不超过 {MAX_KEYWORD} 字的词")
        keywords = []
    summary = r.text("summary", "内容概述", MAX_SUMMARY, required=False)
    body_html = r.text("body_html", "正文", MAX_HTML, single_line=False)
    docx = r.docx("docx", "公开版 .docx ")
    attachments = r.attachments("attachments")
    required = r.obj.get("interpretation_required", False)
    if not isinstance(required, bool):
        r.fail("是否需要解读", "应为 true 或 false")
        required = False
    interpretation = None
    raw = r.obj.get("interpretation")
    if raw is not None:
        s = _Reader(raw, "解读材料")
        i_title = s.text("title", "标题", MAX_TITLE)
        i_body = s.text("body_html", "正文", MAX_HTML, single_line=False)
        i_published = s.moment("published_at", "发布日期")
        i_docx = s.docx("docx", ".docx ")
        r.problems += s.problems
        if not s.problems:
            interpretation = Interpretation(i_title, i_body, i_published, i_docx)
    elif required:
        r.fail("解读材料", "缺失：此文件须与解读材料同步发布（三同步），不能单独公开")
    column = r.obj.get("column", "")
    if column not in COLUMNS:
        r.fail("栏目", "应为空或 annual_report（政府信息公开年报）")
        column = ""
    catalogue_item = _catalogue_ref(r)
    if r.problems:
        raise PayloadError(r.problems)
    return Publication(index_no, version, title, doc_number, (first, second), publisher, written, published,
                       validity, changed_on, tuple(k.strip() for k in keywords), summary, body_html, docx,
                       required, interpretation, column, catalogue_item, attachments,
                       normative, effective_from, effective_to, cleanup)


def _catalogue_ref(r: _Reader) -> CatalogueRef | None:
    """The optional 目录事项 of a push (absent or null in messages from before issue 15)."""
    raw = r.obj.get("catalogue_item")
    if raw is None:
        return None
    s = _Reader(raw, "目录事项")
    item_id = s.integer("id", "编号", 1, MAX_CATALOGUE_ID)
    domain = s.text("domain", "领域", MAX_CATALOGUE_DOMAIN)
    first = s.text("first_level", "一级事项", MAX_CATALOGUE_NAME)
    second = s.text("second_level", "二级事项", MAX_CATALOGUE_NAME, required=False)
    r.problems += s.problems
    return None if s.problems else CatalogueRef(item_id, domain, first, second)


def _normative(r: _Reader, validity) -> tuple[bool, date | None, date | None, Cleanup | None]:
    """The optional fields of a 行政规范性文件: its period and its latest clean-up decision."""
    normative = r.obj.get("normative", False)
    if not isinstance(normative, bool):
        r.fail("是否行政规范性文件", "应为 true 或 false")
        normative = False
    start = r.day("effective_from", "施行日期", required=False)
    end = r.day("effective_to", "有效期截止日期", required=False)
    if end is not None and (start is None or end <= start):
        r.fail("有效期截止日期", "须晚于施行日期")
    if (start or end) and not normative:
        r.fail("有效期", "只有行政规范性文件（normative 为 true）带有效期")
    cleanup = None
    raw = r.obj.get("cleanup")
    if raw is not None:
        s = _Reader(raw, "清理结论")
        decision = s.obj.get("decision")
        if decision not in CLEANUP_LABELS:
            s.fail("", "应为 continue（继续有效）、revise（修订）、repeal（废止）或 expire（失效）")
        elif CLEANUP_VALIDITY[decision] != validity:
            s.fail("", f"“{CLEANUP_LABELS[decision]}”与有效性“{VALIDITY_LABELS.get(validity, validity)}”不符")
        decided_on = s.day("decided_on", "日期")
        if not normative:
            s.fail("", "只适用于行政规范性文件")
        r.problems += s.problems
        if not s.problems:
            cleanup = Cleanup(decision, decided_on)
    return normative, start, end, cleanup


def parse_withdrawal(obj) -> Withdrawal:
    r = _Reader(obj)
    _protocol(r)
    index_no = _index_no(r)
    version = r.integer("version", "版本号", 1, MAX_VERSION)
    notice = r.text("notice", "撤回说明", MAX_NOTICE, required=False, single_line=False)
    withdrawn_at = r.moment("withdrawn_at", "撤回时间")
    if r.problems:
        raise PayloadError(r.problems)
    return Withdrawal(index_no, version, notice, withdrawn_at)
