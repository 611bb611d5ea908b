"""The document and list pages' cheaper paths (branch `portalperf`) give the same answers.

- Links to documents are written as text: the same as url_for, under a script root too.
- A policy's 目录事项 and 附件 are read by the view in one statement: the page shows them, from
  the cache or not, and a push that changes them shows on the next request.
- The stamps are read outside the ORM session (autocommit on PostgreSQL): 404, 410, 304 hold.
- The security headers are on every answer, once each.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import url_for

from gkt_protocol.payload import AttachmentFile, CatalogueRef
from portal.pagecache import EXTENSION
from portal.views import item_url
from tests.portal.conftest import AGENCY, page_path, publication, push, withdraw

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("root", ["", "/portal"])
def test_a_link_written_as_text_is_the_link_url_for_builds(portal_app, root):
    with portal_app.test_request_context("/", base_url=f"http://localhost{root}/"):
        for index_no in (f"{AGENCY}/2026-00001", "113708120/2026-0000123"):
            code, serial = index_no.split("/")
            for kind in ("policy", "interpretation"):
                for docx in (False, True):
                    item = SimpleNamespace(index_no=index_no, kind=kind)
                    endpoint = f"public.{kind}_docx" if docx else f"public.{kind}"
                    assert item_url(item, docx) == url_for(endpoint, code=code, serial=serial)
                    assert item_url(item, docx).startswith(f"{root}/xxgk/")


@pytest.mark.parametrize("stored", [True, False], ids=["stored page", "page cache"])
def test_the_filed_item_and_attachments_show_from_the_cache_and_change_with_a_push(portal_app, stored):
    from portal import create_app

    portal = create_app({**portal_app.config, "PORTAL_STORED_PAGES": stored}).test_client()
    files = (AttachmentFile.build("附件1.pdf", "受表彰人员名单", PDF), AttachmentFile.build("附件2.pdf", "", PDF))
    ref = CatalogueRef(31, "救灾", "灾后救助", "过渡期生活救助")
    assert push(portal, publication(attachments=files, catalogue_item=ref)).status_code == 200
    first = portal.get(page_path()).get_data(as_text=True)
    again = portal.get(page_path()).get_data(as_text=True)
    assert again == first
    assert portal.application.extensions[EXTENSION].hits == (0 if stored else 1)  # a stored page needs no cache
    assert "救灾 · 灾后救助 / 过渡期生活救助" in first
    assert first.index("受表彰人员名单") < first.index("附件2.pdf")  # in their order, title or file name
    assert "_fj1.pdf" in first and "_fj2.pdf" in first
    assert push(portal, publication(version=2, attachments=files[1:], catalogue_item=None)).status_code == 200
    html = portal.get(page_path()).get_data(as_text=True)
    assert "受表彰人员名单" not in html and "_fj1.pdf" in html and "_fj2.pdf" not in html
    assert "目录事项" not in html
    interpretation = portal.get(page_path(suffix="_jd.html")).get_data(as_text=True)
    assert "doc-attachments" not in interpretation and "目录事项" not in interpretation


def test_stamps_read_outside_the_session_still_decide_404_410_and_304(portal):
    assert portal.get(page_path()).status_code == 404
    assert push(portal, publication()).status_code == 200
    etag = portal.get(page_path()).headers["ETag"]
    assert portal.get(page_path(), headers={"If-None-Match": etag}).status_code == 304
    assert portal.get(page_path(2)).status_code == 404
    assert withdraw(portal).status_code == 200
    assert portal.get(page_path()).status_code == 410
    assert portal.get(page_path(), headers={"If-None-Match": etag}).status_code == 410


@pytest.mark.parametrize("path", ["/xxgk/", "/search?q=救灾", "/no-such-page", "/api/publish"])
def test_every_answer_carries_each_security_header_once(portal, path):
    assert push(portal, publication()).status_code == 200
    for target in (path, page_path()):
        headers = portal.get(target).headers
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
            assert len(headers.getlist(name)) == 1, (target, name)
        assert headers["X-Content-Type-Options"] == "nosniff"
