"""公文 generation (GB/T 9704-2012) and .docx draft import.

Pure Python: no Flask, no database; the only import from the app is
:mod:`webapp.disclosure`.

* :func:`build_docx` — an :class:`OfficialDocument` → the issued .docx bytes
  (an :class:`InterpretationDocument` → the plain 政策解读 .docx);
* :func:`docx_to_body_html` — an uploaded draft → body HTML in the allow-list;
* :func:`document_text` — the visible text of a .docx, for tests/comparisons;
* :func:`render_preview_html` — an HTML preview of the layout.
"""

from .gbt9704 import build_docx, document_text
from .importer import ALLOWED_TAGS, MAX_UPLOAD_BYTES, DocxImportError, docx_to_body_html
from .model import AttachmentPage, DocumentBuildError, InterpretationDocument, OfficialDocument
from .preview import PREVIEW_CSS, render_preview_html

__all__ = [
    "ALLOWED_TAGS",
    "AttachmentPage",
    "InterpretationDocument",
    "MAX_UPLOAD_BYTES",
    "PREVIEW_CSS",
    "DocumentBuildError",
    "DocxImportError",
    "OfficialDocument",
    "build_docx",
    "document_text",
    "docx_to_body_html",
    "render_preview_html",
]
