"""Metadata out of the public copies of attachments the engine cannot read (pure, no Flask).

The publisher checks a scanned PDF or a photo by eye, and sees its pages, not its metadata: a
camera's EXIF (owner, serial number, GPS position), an XMP or IPTC block naming the author, a PNG
text chunk, a PDF's /Author.  None of it is reviewed, so none of it is published:

- JPEG: APP1 (EXIF, XMP), APP13 (IPTC) and COM segments are dropped; the image data, APP0 (JFIF),
  APP2 (the ICC colour profile) and APP14 (Adobe colour transform) are kept;
- PNG: tEXt, zTXt, iTXt, eXIf and tIME chunks are dropped;
- PDF: the document information strings (/Author, /Title, /Subject, /Keywords, /Creator,
  /Producer) and the values of an uncompressed XMP packet are blanked with spaces of the same
  length, so every offset in the file (its cross-reference table) stays right.

A file that does not parse is returned unchanged (it was checked on upload; this is a clean-up).
"""

from __future__ import annotations

import re
import struct

from .filenames import extension

_JPEG_DROPPED = {0xE1, 0xED, 0xFE} | set(range(0xE3, 0xED)) | {0xEF}  # APP1, APP13, COM, APP3–12, APP15
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PDF_INFO = re.compile(rb"/(Author|Title|Subject|Keywords|Creator|Producer)\s*\(((?:[^()\\]|\\.){0,2000})\)", re.S)
_PDF_INFO_HEX = re.compile(rb"/(Author|Title|Subject|Keywords|Creator|Producer)\s*<([0-9A-Fa-f\s]{0,4000})>")
_XMP_VALUE = re.compile(rb"(<(?:rdf:li|dc:[a-z]+|xmp:[A-Za-z]+|pdf:[A-Za-z]+|photoshop:[A-Za-z]+)(?:\s[^>]*)?>)([^<]{1,2000})(</)")


def strip_metadata(filename: str, data: bytes) -> bytes:
    ext = extension(filename)
    try:
        if ext in (".jpg", ".jpeg"):
            return _jpeg(data)
        if ext == ".png":
            return _png(data)
        if ext == ".pdf":
            return _pdf(data)
    except (ValueError, struct.error, IndexError):
        return data
    return data


def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        return data
    out, pos = [b"\xff\xd8"], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError("not a marker")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(data[pos:])
            return b"".join(out)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            out.append(data[pos:pos + 2])
            pos += 2
            continue
        length = struct.unpack_from(">H", data, pos + 2)[0]
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("bad segment")
        if marker not in _JPEG_DROPPED:
            out.append(data[pos:end])
        pos = end
    raise ValueError("no scan")


def _png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        return data
    out, pos = [signature], 8
    while pos + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("bad chunk")
        if kind not in _PNG_DROPPED:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            return b"".join(out)
    raise ValueError("no IEND")


def _pdf(data: bytes) -> bytes:
    def blank(m: re.Match) -> bytes:
        return m.group(0)[: m.start(2) - m.start(0)] + b" " * len(m.group(2)) + m.group(0)[m.end(2) - m.start(0):]

    data = _PDF_INFO.sub(blank, data)
    data = _PDF_INFO_HEX.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)]
                             + re.sub(rb"[0-9A-Fa-f]", b"0", m.group(2)) + b">", data)
    if b"<x:xmpmeta" in data:
        data = _XMP_VALUE.sub(lambda m: m.group(1) + b" " * len(m.group(2)) + m.group(3), data)
    return data
