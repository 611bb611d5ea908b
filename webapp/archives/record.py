"""The record filed for good (归档): the 处理单 (a document's whole timeline as .docx) and the
package around it — the 正本 (issued .docx), the 定稿 (the approved text), the 处理单, the audit
events with their hashes, and whatever further record the caller gives (the 发文稿纸 of the
approval work, when it exists: see services/transfers.RECORD_EXTRAS)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as DocxDocument
from docx.shared import Pt

from .bag import BagFile, make_bag_zip


@dataclass(frozen=True)
class TimelineEntry:
    when: str  # already in the agency's words: 2026年3月5日 09:30
    actor: str
    action: str  # the Chinese label
    comment: str
    seq: int
    hash: str


def processing_sheet_docx(title: str, facts: Sequence[tuple[str, str]], timeline: Sequence[TimelineEntry]) -> bytes:
    """文件处理单: the document's facts, then every event in order with who, when, what, why and
    the event's hash in the audit chain."""
    doc = DocxDocument()
    doc.add_heading("文件处理单", level=1)
    doc.add_paragraph(title).runs[0].font.size = Pt(14)
    facts_table = doc.add_table(rows=0, cols=2)
    facts_table.style = "Table Grid"
    for label, value in facts:
        cells = facts_table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.add_heading("办理过程", level=2)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ("时间", "办理人", "事项", "意见", "审计记录"), strict=True):
        cell.text = name
    for e in timeline:
        cells = table.add_row().cells
        for cell, value in zip(cells, (e.when, e.actor, e.action, e.comment, f"第 {e.seq} 条 {e.hash[:16]}…"),
                               strict=True):
            cell.text = value
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def record_package(archive_code: str, files: Sequence[BagFile], timeline: Sequence[TimelineEntry],
                   info: dict[str, str | list[str]]) -> bytes:
    """The filed record as a BagIt zip: the given files plus the audit events (with hashes)."""
    events = [{"seq": e.seq, "time": e.when, "actor": e.actor, "action": e.action, "comment": e.comment,
               "hash": e.hash} for e in timeline]
    payload = [*files, BagFile("审计记录.json", json.dumps(events, ensure_ascii=False, indent=2).encode())]
    return make_bag_zip(payload, {**info, "档号": archive_code}, top=archive_code.replace("·", "."))
