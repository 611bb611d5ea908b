"""The body limit is set once (webapp/limits.py) and holds for the text as typed and as
stored after cleaning, so whatever was saved can be issued."""

from sqlalchemy import func, select

from tests.helpers import draft_input, user
from webapp.extensions import db
from webapp.limits import MAX_BODY_CHARS, MAX_GENERATED_BODY_CHARS
from webapp.models import Document
from webapp.services import drafting
from webapp.services.errors import Invalid


def _refusal(author, **fields) -> Invalid | None:
    try:
        drafting.create_draft(author, draft_input(**fields))
    except Invalid as exc:
        return exc
    return None


def test_the_limit_is_the_one_in_limits_py(app, chain_cast):
    with app.app_context():
        author = user(chain_cast["drafter"])
        exc = _refusal(author, body_html="<p>" + "政" * MAX_BODY_CHARS + "</p>")
        assert exc is not None and f"{MAX_BODY_CHARS:,}" in " ".join(exc.problems)
        assert _refusal(author, body_html="<p>" + "政" * (MAX_BODY_CHARS - 100) + "</p>") is None


def test_text_that_cleaning_escapes_past_the_limit_is_refused_and_nothing_is_stored(app, chain_cast):
    with app.app_context():
        before = db.session.execute(select(func.count(Document.id))).scalar_one()
        raw = "<p>" + "&" * (MAX_BODY_CHARS // 2) + "</p>"  # under the limit as typed, "&amp;" × 5 once cleaned
        assert len(raw) < MAX_BODY_CHARS
        exc = _refusal(user(chain_cast["drafter"]), body_html=raw)
        assert exc is not None and "正文过长" in " ".join(exc.problems)
        assert db.session.execute(select(func.count(Document.id))).scalar_one() == before
    assert MAX_GENERATED_BODY_CHARS > MAX_BODY_CHARS  # the writer takes any stored body plus what issuing adds
