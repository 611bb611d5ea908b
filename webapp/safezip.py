"""Reading an uploaded zip package (.docx, .xlsx, .ofd) within fixed bounds.

Pure Python, no Flask.  The one reader behind the Word import (docgen/importer.py) and
the attachment checks (attachments.py), so both refuse the same things:

1. more than ``max_bytes`` uploaded → ``too_large``;
2. not a zip, an encrypted member, a truncated archive, more than :data:`MAX_MEMBERS`
   members → ``invalid`` (``bomb`` for the member count);
3. the sizes declared in the central directory add up to more than
   :data:`MAX_EXPANDED_BYTES` or :data:`MAX_EXPANSION_RATIO` × the upload → ``bomb``;
   every member is then inflated through a reader that counts the bytes really
   produced and stops at the same budget, so a central directory that lies does not
   help;
4. every member that is XML — whatever its name: a part is found through the
   package's relationships, not its extension — is decoded the way an XML parser
   decodes it (byte-order mark, UTF-16/32 byte pattern, declared encoding) and refused
   when it holds a DOCTYPE or an ENTITY declaration → ``doctype``, or declares an
   encoding other than UTF-8/16/32 or does not decode → ``encoding``;
5. the XML members together hold at most :data:`MAX_XML_ELEMENTS` elements, none
   nested deeper than :data:`MAX_XML_DEPTH` → ``too_complex`` (checked by a streaming
   parse, so the tree a reader builds afterwards is bounded too).

Callers map the reason to their own Chinese message.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable

from lxml import etree

MAX_MEMBERS = 5000
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_EXPANSION_RATIO = 100
MAX_XML_ELEMENTS = 2_000_000
MAX_XML_DEPTH = 128
_CHUNK = 1 << 20

REASONS = ("too_large", "invalid", "bomb", "doctype", "encoding", "too_complex")
CONTENT_TYPES = "[content_types].xml"


class SafeZipError(ValueError):
    """The package is refused; ``reason`` is one of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        assert reason in REASONS, reason
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


# --------------------------------------------------------------------------- XML text

_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_UNICODE = {
    "utf-8": "utf-8", "utf8": "utf-8", "us-ascii": "utf-8", "ascii": "utf-8",
    "utf-16": "utf-16", "utf-16le": "utf-16", "utf-16be": "utf-16",
    "utf-32": "utf-32", "utf-32le": "utf-32", "utf-32be": "utf-32",
}
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def _sniff_encoding(blob: bytes) -> str:
    """The encoding an XML parser would read *blob* in (XML 1.0, appendix F)."""
    for bom, codec in _BOMS:
        if blob.startswith(bom):
            return codec
    head = blob[:4].ljust(4, b"\x01")
    if head[0] == 0 and head[1] == 0:
        return "utf-32-be"
    if head[1] == 0 and head[2] == 0 and head[3] == 0:
        return "utf-32-le"
    if head[0] == 0:
        return "utf-16-be"
    if head[1] == 0:
        return "utf-16-le"
    return "utf-8"


def xml_text(blob: bytes) -> str | None:
    """The decoded text of an XML member; None when the member is not XML at all.

    Raises :class:`SafeZipError` ("encoding") for an XML member whose declared
    encoding is not a Unicode one, or whose bytes do not decode."""
    codec = _sniff_encoding(blob)
    if codec == "utf-8":
        if not blob.lstrip(b" \t\r\n").startswith(b"<"):
            return None
        declared = _DECLARED.match(blob.lstrip(b" \t\r\n"))
        if declared and _UNICODE.get(declared.group(1).decode("ascii").lower()) != "utf-8":
            raise SafeZipError("encoding", declared.group(1).decode("ascii"))
    elif not blob[:256].decode(codec, errors="replace").lstrip("\ufeff \t\r\n").startswith("<"):
        return None
    try:
        text = blob.decode(codec)
    except UnicodeDecodeError as exc:
        raise SafeZipError("encoding", codec) from exc
    if codec != "utf-8" and codec != "utf-8-sig":
        declared = re.match(r"""^\ufeff?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""", text)
        if declared and _UNICODE.get(declared.group(1).lower()) is None:
            raise SafeZipError("encoding", declared.group(1))
    return text


def check_xml(blob: bytes) -> bool:
    """Refuse a DOCTYPE/ENTITY declaration or a foreign encoding; True if *blob* is XML."""
    text = xml_text(blob)
    if text is None:
        return False
    if _FORBIDDEN.search(text):
        raise SafeZipError("doctype")
    return True


class _Shape:
    """Counts elements and depth across the XML members of one package."""

    def __init__(self, max_elements: int, max_depth: int) -> None:
        self.left = max_elements
        self.max_depth = max_depth

    def walk(self, blob: bytes) -> None:
        """Count the elements of one member.  A member that is not well-formed stops being
        counted where it breaks: no parser builds a tree from it, and a reader that needs
        it refuses the file on its own."""
        depth = 0
        parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                     no_network=True, huge_tree=False, load_dtd=False)
        try:
            for start in range(0, len(blob), _CHUNK):
                parser.feed(blob[start : start + _CHUNK])
                for event, element in parser.read_events():
                    if event == "start":
                        depth += 1
                        self.left -= 1
                        if depth > self.max_depth or self.left < 0:
                            raise SafeZipError("too_complex")
                    else:
                        depth -= 1
                        element.clear()
                        while element.getprevious() is not None:
                            del element.getparent()[0]
            parser.close()
        except etree.XMLSyntaxError:
            return


def _content_types(blob: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """([Content_Types].xml) → (extension → type, /part/name → type), all lower case."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    try:
        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True,
                                                      load_dtd=False, huge_tree=False))
    except etree.XMLSyntaxError:
        return defaults, overrides
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        kind = (el.get("ContentType") or "").lower()
        if tag == "Default":
            defaults[(el.get("Extension") or "").lower()] = kind
        elif tag == "Override":
            overrides[(el.get("PartName") or "").lower()] = kind
    return defaults, overrides


# --------------------------------------------------------------------------- the zip


class Package:
    """An uploaded zip, opened and listed but not yet inflated."""

    def __init__(self, data: bytes, max_bytes: int) -> None:
        if len(data) > max_bytes:
            raise SafeZipError("too_large")
        self.size = len(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.infos = [i for i in self.zip.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise SafeZipError("invalid") from exc
        if len(self.infos) > MAX_MEMBERS:
            raise SafeZipError("bomb", "members")
        self.names = {i.filename.lower() for i in self.infos}
        self.budget = min(MAX_EXPANDED_BYTES, MAX_EXPANSION_RATIO * max(len(data), 1))
        if sum(i.file_size for i in self.infos) > self.budget:
            raise SafeZipError("bomb", "declared")

    def _inflate(self, info: zipfile.ZipInfo, budget: int) -> bytes:
        """One member, counting the bytes really inflated; refused past *budget*."""
        chunks: list[bytes] = []
        total = 0
        with self.zip.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > budget:
                    raise SafeZipError("bomb", info.filename)
                chunks.append(chunk)
        return b"".join(chunks)

    def read(self, first: Iterable[str] = (), inspect: Callable[[str, bytes], None] | None = None,
             max_elements: int = MAX_XML_ELEMENTS, max_depth: int = MAX_XML_DEPTH) -> dict[str, bytes]:
        """Every member, inflated within the budget and checked (see the module).

        Members named in *first* (any case) are read before the others; *inspect* sees
        each member as soon as it is read and may raise to stop."""
        order = [CONTENT_TYPES] + [name.lower() for name in first]
        infos = sorted(self.infos, key=lambda i: (order.index(i.filename.lower())
                                                   if i.filename.lower() in order else len(order)))
        members: dict[str, bytes] = {}
        remaining = self.budget
        shape = _Shape(max_elements, max_depth)
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        for info in infos:
            try:
                blob = self._inflate(info, remaining)
            except SafeZipError:
                raise
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, ValueError,
                    OSError, EOFError) as exc:
                # CRC mismatch (a lying size), unsupported compression, an encrypted
                # member, a truncated archive...
                raise SafeZipError("invalid", info.filename) from exc
            remaining -= len(blob)
            if inspect is not None:
                inspect(info.filename, blob)
            name = info.filename.lower()
            if _is_image(name, defaults, overrides):
                pass  # an image (an SVG may carry a DOCTYPE): stored, never parsed as XML
            elif check_xml(blob):
                shape.walk(blob)
                if name == CONTENT_TYPES:
                    defaults, overrides = _content_types(blob)
            members[info.filename] = blob
        return members


def _is_image(name: str, defaults: dict[str, str], overrides: dict[str, str]) -> bool:
    """A member the package declares as an image.  Never one named .xml or .rels: the
    spreadsheet reader and the relationships are found by name."""
    if name.endswith((".xml", ".rels")):
        return False
    kind = overrides.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1] if "." in name else "", "")
    return kind.startswith("image/")


def read_members(data: bytes, max_bytes: int, **kwargs) -> dict[str, bytes]:
    """Open and read a package in one step (see :meth:`Package.read`)."""
    return Package(data, max_bytes).read(**kwargs)
