"""公文 generation (GB/T 9704-2012) and .docx draft import.

Pure Python: no Flask, no database; the only imports from the app are
:mod:`webapp.disclosure` and the pure :mod:`webapp.htmlpolicy` and :mod:`webapp.safezip`.

* :func:`build_docx` — an :class:`OfficialDocument` → the issued .docx bytes
  (an :class:`InterpretationDocument` → the plain 政策解读 .docx);
* :func:`docx_to_body_html` — an uploaded draft → body HTML in the allow-list
  (:func:`docx_to_blocks`: the same, block by block);
* :func:`recognise` — the title, 主送 line and 附件说明 of those blocks, taken out of
  the body;
* :func:`document_text` — the visible text of a .docx, for tests/comparisons;
* :func:`render_preview_html` — an HTML preview of the layout.
"""

from .gbt9704 import build_docx, document_text
from .importer import ALLOWED_TAGS, MAX_UPLOAD_BYTES, DocxImportError, docx_to_blocks, docx_to_body_html
from .model import AttachmentPage, DocumentBuildError, InterpretationDocument, OfficialDocument
from .preview import PREVIEW_CSS, render_preview_html
from .recognise import Recognised, recognise

__all__ = [
    "ALLOWED_TAGS",
    "AttachmentPage",
    "InterpretationDocument",
    "MAX_UPLOAD_BYTES",
    "PREVIEW_CSS",
    "DocumentBuildError",
    "DocxImportError",
    "OfficialDocument",
    "Recognised",
    "build_docx",
    "document_text",
    "docx_to_blocks",
    "docx_to_body_html",
    "recognise",
    "render_preview_html",
]
