"""The input of the generator: one issued document, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from webapp.disclosure import Disclosure


class DocumentBuildError(ValueError):
    """The document cannot be produced from this input (e.g. absurdly large)."""


@dataclass(frozen=True)
class OfficialDocument:
    """Everything printed on a GB/T 9704-2012 公文 (文件格式, 不加盖印章).

    All strings are plain text except ``body_html``, which is the cleaned
    HTML of the body (tags: p, br, strong, b, em, i, u, ol, ul, li, table,
    thead, tbody, tr, th, td, h2, h3).  The generator reads nothing else: a
    public variant is produced by passing the public copy of the text.
    """

    issuer_mark: str  # 发文机关标志, e.g. "河南省应急管理厅文件"
    doc_number: str  # 发文字号, e.g. "豫应急办〔2026〕7号"
    title: str
    recipients: str  # 主送机关; "：" appended if missing
    body_html: str
    attachments: tuple[str, ...]  # 附件名称, may be empty
    signer: str  # 发文机关署名
    written_date: date  # 成文日期
    disclosure: Disclosure
    printing_office: str  # 印发机关
    print_date: date  # 印发日期
    cc: str = ""  # 抄送机关, optional
