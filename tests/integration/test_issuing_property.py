"""Any Unicode body gives a valid issued .docx or a clear refusal, never a 500 (issue 3)."""

import io

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.helpers import act, doc, submitted, user
from webapp.extensions import db
from webapp.services import files, issuing
from webapp.services.errors import Invalid
from webapp.workflow import Action

bodies = st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(paragraphs=bodies, title=st.text(min_size=1, max_size=60))
def test_any_unicode_body_issues_or_is_refused_clearly(app, chain_cast, paragraphs, title):
    with app.app_context():
        code = issuing.active_codes()[0].id if issuing.active_codes() else issuing.save_code(
            None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室").id
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        try:
            d = submitted(chain_cast["drafter"], title=title.strip() or "标题", body_html=body)
        except Invalid:
            return  # e.g. a body with no visible text: refused with a message at submission
        act(d, chain_cast["office"], Action.APPROVE)
        act(d, chain_cast["leader"], Action.APPROVE)
        day = issuing.default_written_date(doc(d))
        try:
            issuing.issue_document(d, user(chain_cast["office"]), doc(d).version, issuing.IssueInput(code, day, day))
        except Invalid as exc:
            assert exc.message  # a clear refusal
            return
        docx.Document(io.BytesIO(files.latest(d, "official").data))  # readable
        db.session.rollback()
