"""Nothing masked leaks (issue 8), on the real case: seed 004 (Guangzhou, 2022) publishes its
contact person's name and phone number in its cover letter.  The notice goes through the whole
chain; the publisher masks what the engine found; the outbox worker pushes it to the running
portal.  Neither original is in the pushed payload, the page (meta tags included), the .docx,
the 解读, the search results, the feed or the sitemap."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.helpers import doc, user
from tests.pubhelpers import (
    SECRET,
    issued,
    outbox_rows,
    set_agency,
)
from webapp.demo import SEEDS_DIR, seed_text
from webapp.docgen import document_text
from webapp.extensions import db
from webapp.models import Publication
from webapp.outbox.worker import Settings, run_once
from webapp.richtext import text_to_html
from webapp.services import deid_review, publication

ORIGINALS = ("叶玉才", "83186312")


def read(url: str, raw: bool = False):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            data = r.read()
            return r.status, data if raw else data.decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


@pytest.mark.skipif(not sorted(SEEDS_DIR.glob("004_*.txt")), reason="../shared/seeds/004_*.txt is not on this machine")
def test_seed_004s_contact_line_reaches_the_portal_nowhere(app, chain_cast, portal):
    text = seed_text("004", 200)
    assert all(o in text for o in ORIGINALS)  # the real case is in the text we publish
    with app.app_context():
        set_agency(chain_cast["admin"])
        d = issued(chain_cast, title="关于印发2022年政务公开工作实施方案的通知", body_html=text_to_html(text),
                   topic_category="综合政务/政务公开")
        publisher = user(chain_cast["publisher"])
        found = {f.text for f in deid_review.findings_of(d)}
        assert set(ORIGINALS) <= found
        for f in deid_review.findings_of(d):
            deid_review.decide(d, f.id, publisher, "mask")
        deid_review.confirm(d, publisher, doc(d).version)
        publication.publish(d, publisher, doc(d).version)
        payload = outbox_rows(d)[0].body.decode()  # the signed bytes as they go out
        decoded = json.dumps(json.loads(payload), ensure_ascii=False)
        assert not [o for o in ORIGINALS if o in payload or o in decoded]
        assert [o.status for o in run_once(Settings(portal.url, SECRET, timeout=5))] == ["sent"]
        db.session.expire_all()
        pub = db.session.get(Publication, d)
        url, interp_url = pub.public_url, pub.interpretation_url
    serial = url.rsplit("/", 1)[1].removesuffix(".html")
    status, page = read(url)
    assert status == 200 and "政务公开工作实施方案" in page
    pages = {"page": page, "interpretation": read(interp_url)[1], "feed": read(portal.url + "/feed.atom")[1],
             "sitemap": read(portal.url + "/sitemap-0.xml")[1],
             "docx": document_text(read(url.replace(".html", ".docx"), raw=True)[1])}
    for q in (*ORIGINALS, "联系人"):
        pages[f"search {q}"] = read(portal.url + "/search?q=" + urllib.parse.quote(q))[1]
    assert serial in pages["feed"] and serial in pages["search 联系人"]  # found, with its contact line masked
    for name, body in pages.items():
        body = body.replace(f"“{ORIGINALS[0]}”", "").replace(f"“{ORIGINALS[1]}”", "")  # the echoed query
        body = body.replace(f'value="{ORIGINALS[0]}"', "").replace(f'value="{ORIGINALS[1]}"', "")
        assert not [o for o in ORIGINALS if o in body], name
