"""The electronic transfer package: a BagIt bag (RFC 8493, the `bagit` library) zipped.

The caller gives the payload files (path under data/, bytes) and the bag-info tags; the bag is
built in a private temporary folder with sha256 manifests for the payload and the tag files,
zipped with its top folder, and the folder removed.  Only what the caller gives goes in: the
service passes the public copies, never an internal one.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import bagit

_SAFE_PART = re.compile(r"[^\w.\-（）()·]+")


class BagProblem(ValueError):
    """A package that cannot be built or does not validate (message in Chinese)."""


@dataclass(frozen=True)
class BagFile:
    path: str  # relative to data/, POSIX separators
    data: bytes


def safe_name(text: str, fallback: str = "file") -> str:
    """A file or folder name from free text (索引号 carry a slash): no separators, no dots alone."""
    name = _SAFE_PART.sub("-", text).strip("-.") or fallback
    return name[:120]


def _checked_path(path: str) -> PurePosixPath:
    p = PurePosixPath(path)
    if p.is_absolute() or not p.parts or any(part in ("", ".", "..") for part in p.parts):
        raise BagProblem(f"包内文件路径无效：{path}")
    return p


def make_bag_zip(files: Sequence[BagFile], bag_info: Mapping[str, str | list[str]], top: str = "bag") -> bytes:
    """A zipped bag holding exactly `files` under data/, with `bag_info` in bag-info.txt."""
    seen: set[PurePosixPath] = set()
    for f in files:
        p = _checked_path(f.path)
        if p in seen:
            raise BagProblem(f"包内文件重名：{f.path}")
        seen.add(p)
    with tempfile.TemporaryDirectory(prefix="gkt-bag-") as tmp:
        root = Path(tmp) / safe_name(top, "bag")
        root.mkdir()
        made = set()
        for f in files:
            target = root.joinpath(*PurePosixPath(f.path).parts)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(f.data)
        bagit.make_bag(str(root), dict(bag_info), processes=1, checksums=["sha256"])
        out = io.BytesIO()
        prefix = root.name
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            # the tag files from the bag bagit wrote; the payload from memory, the bytes it hashed
            for name in sorted(p.name for p in root.iterdir() if p.is_file()):
                z.write(root / name, f"{prefix}/{name}")
            for f in sorted(files, key=lambda f: f.path):
                stored = f.path.lower().endswith((".docx", ".xlsx", ".zip", ".png", ".jpg", ".jpeg", ".pdf"))
                z.writestr(f"{prefix}/data/{f.path}", f.data,
                           compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        return out.getvalue()


def extract_bag_zip(data: bytes, into: Path) -> Path:
    """Unpack a zipped bag under `into` (refusing paths that leave it); returns the bag folder."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BagProblem("不是有效的 ZIP 文件。") from exc
    tops = set()
    with z:
        for info in z.infolist():
            p = _checked_path(info.filename.rstrip("/"))
            tops.add(p.parts[0])
        if len(tops) != 1:
            raise BagProblem("包内应只有一个顶层文件夹。")
        z.extractall(into)
    return into / tops.pop()


def validate_bag_zip(data: bytes) -> list[str]:
    """Problems found by bagit's full validation (manifests, checksums, Payload-Oxum); [] = valid."""
    with tempfile.TemporaryDirectory(prefix="gkt-bag-check-") as tmp:
        try:
            folder = extract_bag_zip(data, Path(tmp))
            bagit.Bag(str(folder)).validate()
        except BagProblem as exc:
            return [str(exc)]
        except bagit.BagValidationError as exc:
            return [str(exc)] + [str(d) for d in getattr(exc, "details", [])]
        except bagit.BagError as exc:
            return [str(exc)]
    return []
