"""The input of the generator: one issued document, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from webapp.disclosure import Disclosure


class DocumentBuildError(ValueError):
    """The document cannot be produced from this input (e.g. absurdly large)."""


@dataclass(frozen=True)
class AttachmentPage:
    """One 附件 laid out after the body (GB/T 9704-2012 7.3.8).

    ``title`` is the 附件标题, as in the 附件说明.  ``body_html`` is the
    attachment's own text (cleaned HTML, e.g. an attached .docx read with
    ``docx_to_body_html``); when it is empty the page says where the
    attachment is instead, naming ``file_name`` ("见随文发送的电子文件…").
    """

    title: str
    body_html: str = ""
    file_name: str = ""


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
    title: str  # 标题; a "\n" in it is a line break the drafter chose
    recipients: str  # 主送机关; "：" appended if missing
    body_html: str
    attachments: tuple[str, ...]  # 附件名称 (附件说明), may be empty
    signer: str  # 发文机关署名
    written_date: date  # 成文日期
    disclosure: Disclosure
    printing_office: str  # 印发机关
    print_date: date  # 印发日期
    cc: str = ""  # 抄送机关, optional
    # 版头 (GB/T 9704 7.2.1–7.2.3, 7.2.6), printed only when given:
    copy_number: str = ""  # 份号, e.g. "000123" (涉密公文)
    secrecy: str = ""  # 密级和保密期限, e.g. "秘密★1年"
    urgency: str = ""  # 紧急程度: "特急" or "加急"
    issuing_signers: tuple[str, ...] = ()  # 签发人 (上报的公文)
    # 附件 pages after the body (7.3.8); their titles join the 附件说明.
    attachment_pages: tuple[AttachmentPage, ...] = ()
    # Printed on both sides: a 版记 on a page of its own goes on an even page.
    duplex: bool = True


@dataclass(frozen=True)
class InterpretationDocument:
    """A 政策解读: a plain document, not a 红头文件 (no 发文机关标志, no 文号 line).

    It prints its title, the line naming the policy it interprets with that
    policy's 文号, the text, and the issuing body and date.
    """

    title: str  # e.g. "《关于…的通知》政策解读"
    policy_title: str
    policy_number: str  # the interpreted document's 文号
    body_html: str
    signer: str = ""  # 发布机关
    written_date: date | None = None
