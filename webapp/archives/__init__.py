"""Archives (R9, 归档): transfer lists, BagIt packages and DA/T 22 档号.

Pure Python over given values and file bytes: no Flask, no database.

* :mod:`.danghao` — the DA/T 22-2015 档号 and its parts;
* :mod:`.lists` — the 送交信息目录表 / 移交清单 as .docx and .xlsx (a nil return when empty);
* :mod:`.bag` — an electronic transfer package (BagIt, sha256 manifests) as a .zip.
"""

from .bag import BagFile, BagProblem, make_bag_zip, validate_bag_zip
from .danghao import RETENTIONS, ArchiveCode, format_archive_code
from .lists import NIL_RETURN, ListHeader, ListRow, build_list_docx, build_list_xlsx

__all__ = [
    "NIL_RETURN",
    "RETENTIONS",
    "ArchiveCode",
    "BagFile",
    "BagProblem",
    "ListHeader",
    "ListRow",
    "build_list_docx",
    "build_list_xlsx",
    "format_archive_code",
    "make_bag_zip",
    "validate_bag_zip",
]
