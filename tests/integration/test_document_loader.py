"""The one document loader (services/documents.get_document), as flaskr's get_post:
404 when absent, 403 when not visible or when the check it is given fails — the same
answer through every view, and no other place loads a document by its id."""

import re
from pathlib import Path

import pytest

from tests.helpers import act, new_draft, submitted, user
from webapp.services.documents import get_document
from webapp.services.errors import Forbidden, NotFound
from webapp.workflow import Action

ROOT = Path(__file__).resolve().parents[2]


def test_absent_unseen_uneditable_and_disallowed_are_refused(app, chain_cast):
    ids = chain_cast
    with app.app_context():
        draft = new_draft(ids["drafter"])
        sent = submitted(ids["drafter"])
        drafter, office = user(ids["drafter"]), user(ids["office"])
        assert get_document(draft, drafter, "edit").id == draft
        assert get_document(sent, office, Action.APPROVE).id == sent
        for doc_id in (999_999, 2**63, 99999999999999999999999, 0, -1):
            with pytest.raises(NotFound, match="文件不存在"):
                get_document(doc_id, drafter)
        with pytest.raises(Forbidden, match="无权查看"):
            get_document(draft, office)  # someone else's unsubmitted draft
        with pytest.raises(Forbidden, match="不能修改"):
            get_document(sent, drafter, "edit")  # under review
        with pytest.raises(Forbidden, match="没有相应权限"):
            get_document(sent, user(ids["leader"]), Action.APPROVE)  # not the leader's stage yet
        act(sent, ids["office"], Action.APPROVE)
        with pytest.raises(Forbidden):
            get_document(sent, office, Action.APPROVE)


def test_views_answer_404_with_a_chinese_page_for_any_absent_id(app, chain_cast, people):
    c = people.client("office")
    for path in ("/documents/99999999999999999999999", "/documents/123456/preview", "/issuing/99999999999999999999999",
                 "/review/documents/99999999999999999999999/form?action=return"):
        resp = c.get(path)
        assert resp.status_code == 404 and "页面不存在" in resp.get_data(as_text=True), path


def test_no_other_module_loads_a_document_by_its_id():
    pattern = re.compile(r"session\.get\(\s*Document\b|Document\.id\s*==")
    offenders = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "webapp").rglob("*.py"))
                 if pattern.search(p.read_text(encoding="utf-8"))]
    # services/search.py joins the full-text index to the documents table on the id (a join of
    # rows to the rows the query already filters by visibility), not a load of one document.
    assert offenders in (["webapp/services/documents.py"],
                         ["webapp/services/documents.py", "webapp/services/search.py"])
