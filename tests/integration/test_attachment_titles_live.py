"""R8 on the 附件说明 and the attachments' file names (the leak found after issue 9): a 主动公开
document whose 附件说明 lines and attachment file names hold a person's name, a mobile number
and an ID number goes through the publisher's de-identification review and is published to the
running portal.  The review lists those findings like the body's; the publisher decides them;
the public .docx (body, headers, tables, core properties, every part of the package), the pushed
payload, the portal's page, search, feed and the attachments' downloads carry the masked forms
and never the originals.  A finding the publisher keeps (with a reason) stays as written
everywhere: the .docx and the push read the same reviewed text, not a second masking pass."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import docx
from docx.shared import Mm

from tests.helpers import act, doc, new_draft, user
from tests.pubhelpers import SECRET, outbox_rows, set_agency
from webapp.docgen import document_text
from webapp.extensions import db
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once
from webapp.services import deid_review, drafting, files, issuing, publication
from webapp.workflow import Action

HERO, CONTACT, MOBILE, ID_NO = "张三", "王小明", "13812345678", "110101199003078515"
ORIGINALS = (HERO, CONTACT, MOBILE, ID_NO)
LINES = f"{HERO}同志先进事迹材料\n联系人：{CONTACT}，电话：{MOBILE}"
DOCX_NAME = f"附件1 {HERO}同志先进事迹材料.docx"
PDF_NAME = f"附件2 {CONTACT}身份证复印件{ID_NO}.pdf"
MASKED_TITLES = ("张某同志先进事迹材料", "联系人：王某，电话：138****5678")
MASKED_NAMES = ("附件1 张某同志先进事迹材料.docx", "附件2 王某身份证复印件110101________8515.pdf")  # "*" is not kept in a file name


def story_docx() -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_paragraph("先进事迹材料")
    document.add_paragraph("该同志长期奋战在应急救援一线。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def get(url: str, raw: bool = False):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            data = r.read()
            return r.status, (data if raw else data.decode()), dict(r.headers)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode(), dict(e.headers)


def docx_everything(data: bytes) -> dict[str, str]:
    """What python-docx reads (body with its tables, each section's headers and footers, the core
    properties) and the raw text of every part of the package."""
    d = docx.Document(io.BytesIO(data))
    out = {"body": document_text(data)}
    out["tables"] = "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    heads = []
    for s in d.sections:
        for part in (s.header, s.footer, s.first_page_header, s.first_page_footer, s.even_page_header,
                     s.even_page_footer):
            heads += [p.text for p in part.paragraphs]
            heads += [c.text for t in part.tables for r in t.rows for c in r.cells]
    out["headers"] = "\n".join(heads)
    p = d.core_properties
    out["core"] = "\n".join(str(getattr(p, k) or "") for k in (
        "title", "subject", "author", "last_modified_by", "keywords", "comments", "category", "identifier"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            out[f"part {name}"] = z.read(name).decode("utf-8", "replace")
    return out


def _issued_with_attachments(app, cast) -> int:
    set_agency(cast["admin"])
    d = new_draft(cast["drafter"], attachments_text=LINES, topic_category="综合政务/应急管理")
    drafter = user(cast["drafter"])
    drafting.add_attachment(d, drafter, DOCX_NAME, story_docx())
    drafting.add_attachment(d, drafter, PDF_NAME, b"%PDF-1.4 scan\n%%EOF\n")
    act(d, cast["drafter"], Action.SUBMIT)
    act(d, cast["office"], Action.APPROVE)
    act(d, cast["leader"], Action.APPROVE)
    codes = issuing.active_codes() or [issuing.save_code(
        None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")]
    day = issuing.default_written_date(doc(d))
    issuing.issue_document(d, user(cast["office"]), doc(d).version, issuing.IssueInput(codes[0].id, day, day))
    return d


def _publish(d: int, publisher, portal) -> tuple[str, str]:
    (pdf,) = deid_review.eye_check_files(doc(d))
    deid_review.mark_checked_by_eye(d, pdf.id, publisher)
    deid_review.confirm(d, publisher, doc(d).version)
    publication.publish(d, publisher, doc(d).version)
    payload = outbox_rows(d)[0].body.decode()
    payload = payload + json.dumps(json.loads(payload), ensure_ascii=False)
    assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))] == ["sent"]
    db.session.expire_all()
    return db.session.get(Publication, d).public_url, payload


def test_attachment_titles_and_file_names_are_reviewed_and_reach_the_portal_masked(app, chain_cast, portal):
    with app.app_context():
        d = _issued_with_attachments(app, chain_cast)
        publisher = user(chain_cast["publisher"])
        found = deid_review.findings_of(d)
        by_field: dict[str, set[str]] = {}
        for f in found:
            by_field.setdefault(f.field.split(":")[0], set()).add(f.text)
        assert {HERO, CONTACT, MOBILE} <= by_field.get("attachments_text", set())  # the 附件说明 is reviewed
        assert {HERO, CONTACT, ID_NO} <= by_field.get("name", set())  # and each attachment's file name
        labels = deid_review.field_labels(doc(d))
        assert labels["attachments_text"] == "附件说明" and any(v.startswith("附件文件名") for v in labels.values())
        for f in found:
            deid_review.decide(d, f.id, publisher, "mask")
        url, payload = _publish(d, publisher, portal)
        assert not [o for o in ORIGINALS if o in payload]
        public_docx = files.latest(d, "public").data
        assert sorted(f.filename for f in files.files_of(d, "public_attachment")) == sorted(MASKED_NAMES)
    parts = docx_everything(public_docx)
    for name, text in parts.items():
        assert not [o for o in ORIGINALS if o in text], name
    for masked in (*MASKED_TITLES, MASKED_NAMES[1]):  # the 附件说明, the pages' titles, the PDF's name
        assert masked in parts["body"]
    status, page, _ = get(url)
    assert status == 200 and MASKED_TITLES[0] in page and MASKED_NAMES[0] in page
    status, pushed_docx, _ = get(url.replace(".html", ".docx"), raw=True)
    assert status == 200 and pushed_docx == public_docx  # the portal serves the reviewed .docx as confirmed
    fj1 = get(url.replace(".html", "_fj1.docx"), raw=True)
    fj2 = get(url.replace(".html", "_fj2.pdf"), raw=True)
    assert fj1[0] == fj2[0] == 200
    assert urllib.parse.quote(MASKED_NAMES[1], safe="") in fj2[2]["Content-Disposition"]
    serial = url.rsplit("/", 1)[1].removesuffix(".html")
    pages = {"page": page, "feed": get(portal.url + "/feed.atom")[1],
             "fj1": document_text(fj1[1]), "fj1 headers": fj1[2]["Content-Disposition"],
             "fj2 headers": fj2[2]["Content-Disposition"]}
    for q in ORIGINALS:
        pages[f"search {q}"] = get(portal.url + "/search?q=" + urllib.parse.quote(q))[1]
    assert serial in pages["feed"]
    for name, body in pages.items():
        for o in ORIGINALS:
            body = body.replace(f"“{o}”", "").replace(f'value="{o}"', "")  # the echoed query
        assert not [o for o in ORIGINALS if o in body], name


def test_a_kept_attachment_title_finding_stays_as_written_in_the_docx_and_on_the_portal(app, chain_cast, portal):
    """The publisher keeps the contact person (本单位公开的工作联系人): the 附件说明 line keeps the
    name in the .docx and on the portal alike; everything else is masked."""
    with app.app_context():
        d = _issued_with_attachments(app, chain_cast)
        publisher = user(chain_cast["publisher"])
        for f in deid_review.findings_of(d):
            keep = f.field == "attachments_text" and f.text == CONTACT
            deid_review.decide(d, f.id, publisher, "keep" if keep else "mask", "本单位公开的工作联系人" if keep else "")
        url, payload = _publish(d, publisher, portal)
        public_docx = files.latest(d, "public").data
    kept_line = f"联系人：{CONTACT}，电话：138****5678"
    body = document_text(public_docx)
    assert kept_line in body and MASKED_TITLES[0] in body and MOBILE not in body and HERO not in body
    assert kept_line in payload and MOBILE not in payload and HERO not in payload
    page = get(url)[1]
    assert kept_line in page and HERO not in page and MOBILE not in page
