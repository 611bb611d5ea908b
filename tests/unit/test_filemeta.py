"""Metadata out of the public copies of attachments checked by eye (issue 8, R8): a photo's EXIF,
a PNG's text chunks and a PDF's /Author and XMP are not published; the picture and the pages are."""

from __future__ import annotations

import struct
import zlib

from webapp import attachments, filemeta

NAME = "王小明".encode()


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg() -> bytes:
    return (b"\xff\xd8" + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + segment(0xE1, b"Exif\x00\x00Artist " + NAME + b" GPS 34.7N 113.6E")
            + segment(0xE2, b"ICC_PROFILE\x00\x01\x01profile")
            + segment(0xFE, b"comment by " + NAME)
            + segment(0xC0, b"\x08\x00\x10\x00\x10\x01\x01\x11\x00")
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x12\x34image-data\xff\xd9")


def chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png() -> bytes:
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"tEXt", b"Author\x00" + NAME) + chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + NAME)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def pdf() -> bytes:
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
            b"2 0 obj << /Author (" + NAME + b") /Title (\xe5\x90\x8d\xe5\x8d\x95\\)x) /Creator <FEFF738B5C0F660E> >> endobj\n"
            b"3 0 obj << /Type /Metadata /Subtype /XML >> stream\n<x:xmpmeta><rdf:li>" + NAME
            + b"</rdf:li><pdf:Producer>Scanner 9</pdf:Producer></x:xmpmeta>\nendstream endobj\n")
    return body + b"xref\n0 4\ntrailer << /Info 2 0 R >>\n%%EOF\n"


def test_a_photos_exif_and_comments_go_and_the_image_stays_valid():
    out = filemeta.strip_metadata("现场照片.JPG", jpeg())
    assert NAME not in out and b"GPS" not in out and b"Exif" not in out
    assert b"ICC_PROFILE" in out and b"JFIF" in out and out.endswith(b"\x12\x34image-data\xff\xd9")
    assert attachments.check("现场照片.jpg", out) == "image/jpeg"  # still a JPEG by the upload's own check


def test_a_pngs_text_chunks_go_and_the_image_stays_valid():
    out = filemeta.strip_metadata("图.png", png())
    assert NAME not in out and b"tEXt" not in out and b"iTXt" not in out and b"IDAT" in out
    assert attachments.check("图.png", out) == "image/png"


def test_a_pdfs_information_and_xmp_are_blanked_in_place():
    original = pdf()
    out = filemeta.strip_metadata("扫描件.pdf", original)
    assert len(out) == len(original)  # every offset of the cross-reference table stays right
    assert NAME not in out and "名单".encode() not in out and b"738B" not in out and b"Scanner 9" not in out
    assert b"/Author (" in out and b"<rdf:li>" in out and b"/Type /Catalog" in out
    assert attachments.check("扫描件.pdf", out) == "application/pdf"


def test_other_files_and_files_that_do_not_parse_are_left_alone():
    assert filemeta.strip_metadata("说明.txt", "王小明".encode()) == "王小明".encode()
    broken = b"\xff\xd8\xff\xe1\xff\xff" + NAME
    assert filemeta.strip_metadata("坏.jpg", broken) == broken
