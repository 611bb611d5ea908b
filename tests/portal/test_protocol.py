"""gkt_protocol: the signature (tampered, stale, replayed refused) and the payload's validation.
Pure: no portal, no database."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from gkt_protocol import (
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    MemoryReplayGuard,
    PayloadError,
    SignatureError,
    parse_publication,
    parse_withdrawal,
    sign,
    verify,
)
from gkt_protocol.payload import MAX_TITLE, DocxFile
from tests.portal.conftest import SECRET, make_docx, publication

NOW = datetime(2026, 3, 5, 1, 30, tzinfo=UTC)
BODY = json.dumps({"protocol": 1, "index_no": "x"}).encode()


def check(body=BODY, headers=None, now=NOW, guard=None, method="POST", path="/api/push", secret=SECRET):
    return verify(secret, method, path, body, headers if headers is not None else sign(SECRET, "POST", "/api/push", BODY, NOW),
                  now, guard if guard is not None else MemoryReplayGuard())


def refused(code: str, **kw) -> SignatureError:
    with pytest.raises(SignatureError) as exc:
        check(**kw)
    assert exc.value.code == code, exc.value.code
    assert any("\u4e00" <= c <= "\u9fff" for c in exc.value.message)  # a Chinese message
    return exc.value


def test_a_correctly_signed_request_is_accepted():
    assert check().sent_at == NOW


@pytest.mark.parametrize("change", [
    {"body": BODY.replace(b'"x"', b'"y"')},
    {"path": "/api/withdraw"},
    {"method": "PUT"},
    {"secret": "another-secret-of-enough-length"},
])
def test_anything_changed_after_signing_is_refused(change):
    assert refused("bad_signature", **change).status == 401


def test_a_flipped_signature_character_is_refused():
    headers = sign(SECRET, "POST", "/api/push", BODY, NOW)
    sig = headers[HEADER_SIGNATURE]
    headers[HEADER_SIGNATURE] = ("0" if sig[0] != "0" else "1") + sig[1:]
    refused("bad_signature", headers=headers)


def test_five_minutes_of_clock_skew_are_allowed_and_no_more():
    check(now=NOW + timedelta(seconds=300))
    check(now=NOW - timedelta(seconds=300))
    assert refused("stale", now=NOW + timedelta(seconds=301)).status == 401
    refused("stale", now=NOW - timedelta(seconds=301))  # a timestamp from the future


def test_a_replayed_request_is_refused_with_403():
    guard = MemoryReplayGuard()
    headers = sign(SECRET, "POST", "/api/push", BODY, NOW)
    check(headers=headers, guard=guard)
    assert refused("replayed", headers=headers, guard=guard, now=NOW + timedelta(seconds=10)).status == 403


def test_the_same_body_signed_twice_is_two_requests():
    """A retry from the outbox signs again (new nonce): it is not a replay."""
    guard = MemoryReplayGuard()
    check(headers=sign(SECRET, "POST", "/api/push", BODY, NOW), guard=guard)
    check(headers=sign(SECRET, "POST", "/api/push", BODY, NOW), guard=guard)


@pytest.mark.parametrize("mangle", [
    lambda h: h.pop(HEADER_SIGNATURE),
    lambda h: h.pop(HEADER_TIMESTAMP),
    lambda h: h.update({HEADER_TIMESTAMP: "soon"}),
    lambda h: h.update({HEADER_SIGNATURE: "zz" * 32}),
])
def test_missing_or_malformed_headers_are_refused(mangle):
    headers = sign(SECRET, "POST", "/api/push", BODY, NOW)
    mangle(headers)
    with pytest.raises(SignatureError) as exc:
        check(headers=headers)
    assert exc.value.code in ("unsigned", "malformed_signature") and exc.value.status == 401


def test_a_short_secret_is_refused_when_signing():
    with pytest.raises(ValueError):
        sign("short", "POST", "/api/push", BODY, NOW)


# --------------------------------------------------------------------------- payload

def test_a_publication_survives_the_round_trip_through_json():
    pub = publication()
    again = parse_publication(json.loads(json.dumps(pub.to_json(), ensure_ascii=False)))
    assert again == pub


def test_every_problem_is_listed_in_chinese_not_only_the_first():
    raw = publication().to_json()
    raw.update(title="", topic=["不存在的分类", ""], written_date="2026/03/02", validity="maybe", version=0)
    with pytest.raises(PayloadError) as exc:
        parse_publication(raw)
    text = "；".join(exc.value.problems)
    for label in ("标题", "主题分类", "成文日期", "有效性", "版本号"):
        assert label in text, text


@pytest.mark.parametrize("field, value, label", [
    ("index_no", "11370812004339255B-2026-1", "索引号"),
    ("index_no", "../../etc/2026-00001", "索引号"),
    ("title", "长" * (MAX_TITLE + 1), "标题"),
    ("title", "标题\x00", "标题"),
    ("published_at", "2026-03-05T09:30:00", "发布日期"),  # no offset: ambiguous
    ("keywords", ["救灾"] * 11, "关键词"),
    ("protocol", 2, "协议版本"),
    ("version", True, "版本号"),
])
def test_bad_fields_are_refused(field, value, label):
    raw = publication().to_json()
    raw[field] = value
    with pytest.raises(PayloadError) as exc:
        parse_publication(raw)
    assert any(p.startswith(label) for p in exc.value.problems), exc.value.problems


def test_a_document_needing_interpretation_cannot_be_pushed_without_it():
    """三同步 (R5): neither the policy nor its 解读 is ever public alone."""
    with pytest.raises(PayloadError) as exc:
        parse_publication(replace(publication(), interpretation=None).to_json())
    assert any("解读材料" in p for p in exc.value.problems)


def test_a_repealed_document_needs_its_date():
    with pytest.raises(PayloadError):
        parse_publication(replace(publication(), validity="repealed").to_json())
    parse_publication(replace(publication(), validity="repealed", validity_changed_on=date(2027, 1, 1)).to_json())


def test_the_docx_must_match_its_sha256_and_be_a_zip():
    raw = publication().to_json()
    raw["docx"]["sha256"] = "0" * 64
    with pytest.raises(PayloadError) as exc:
        parse_publication(raw)
    assert any("校验值" in p for p in exc.value.problems)
    raw = publication().to_json()
    raw["docx"] = DocxFile.build("a.docx", b"<html>not a docx</html>").to_json()
    with pytest.raises(PayloadError) as exc:
        parse_publication(raw)
    assert any("ZIP" in p for p in exc.value.problems)
    raw = publication().to_json()
    raw["docx"]["content_base64"] = "%%%"
    with pytest.raises(PayloadError):
        parse_publication(raw)
    raw = publication().to_json()
    raw["docx"] = DocxFile.build("../evil.docx", make_docx("x")).to_json()
    with pytest.raises(PayloadError):
        parse_publication(raw)


def test_a_docx_over_the_limit_is_refused_before_decoding():
    raw = publication().to_json()
    raw["docx"]["content_base64"] = base64.b64encode(b"PK\x03\x04" + b"0" * (16 * 1024 * 1024)).decode()
    with pytest.raises(PayloadError) as exc:
        parse_publication(raw)
    assert any("MB" in p for p in exc.value.problems)


@pytest.mark.parametrize("raw", [None, [], "text", 3, {"protocol": 1}])
def test_anything_that_is_not_a_publication_is_a_payload_error(raw):
    with pytest.raises(PayloadError):
        parse_publication(raw)


def test_a_withdrawal_is_validated_too():
    ok = parse_withdrawal({"protocol": 1, "index_no": "11370812004339255B/2026-00001", "version": 2,
                           "notice": "已撤回。", "withdrawn_at": "2026-03-09T10:00:00+08:00"})
    assert ok.version == 2
    with pytest.raises(PayloadError):
        parse_withdrawal({"protocol": 1, "index_no": "nope", "version": 2, "withdrawn_at": "yesterday"})
