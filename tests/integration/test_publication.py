"""Publication on the intranet side (R7, R8, R5; issue 8): publish, withdraw, republish as moves
of the chain; the 索引号, unique and without gaps; the outbox row written in the same
transaction as the move and its audit event; the message holds only the public copy."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from sqlalchemy import func, select

from tests.helpers import doc, user
from tests.pubhelpers import USCC, body_of, outbox_rows, ready, set_agency
from webapp import clock
from webapp.extensions import db
from webapp.models import AuditEvent, IndexCounter, OutboxMessage, Publication
from webapp.outbox import messages
from webapp.services import publication
from webapp.services.errors import Forbidden, Invalid
from webapp.workflow import Stage


@pytest.fixture
def cast(app, chain_cast):
    with app.app_context():
        set_agency(chain_cast["admin"])
        yield chain_cast


def audit_count() -> int:
    return db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


def test_publishing_moves_the_document_writes_its_event_and_one_outbox_row_together(cast):
    d = ready(cast)
    before = audit_count()
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    assert doc(d).stage == Stage.PUBLISHED
    year = clock.agency_today().year
    pub = db.session.get(Publication, d)
    assert pub.index_no == f"{USCC}/{year}-00001" and pub.published_by_id == cast["publisher"]
    [row] = outbox_rows(d)
    assert (row.kind, row.status, row.index_no, row.version) == ("push", "pending", pub.index_no, 1)
    events = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars().all()[before:]
    assert [e.action for e in events] == ["publish"]
    assert events[0].details["index_no"] == pub.index_no and events[0].details["outbox"] == row.id


def test_index_numbers_are_sequential_and_a_failed_publication_leaves_no_gap(cast, monkeypatch):
    first, second, third = ready(cast), ready(cast), ready(cast)
    publication.publish(first, user(cast["publisher"]), doc(first).version)

    def refuse(*args, **kwargs):
        raise messages.PayloadError(["标题不能为空"])

    monkeypatch.setattr(messages, "push_message", refuse)  # the message is refused after the number was taken
    with pytest.raises(Invalid, match="不符合政府网站接口"):
        publication.publish(second, user(cast["publisher"]), doc(second).version)
    assert doc(second).stage == Stage.READY and outbox_rows(second) == []
    assert db.session.get(Publication, second) is None
    monkeypatch.undo()
    publication.publish(third, user(cast["publisher"]), doc(third).version)
    publication.publish(second, user(cast["publisher"]), doc(second).version)
    serials = [db.session.get(Publication, d).index_seq for d in (first, third, second)]
    assert serials == [1, 2, 3]
    assert db.session.execute(select(IndexCounter.last_seq)).scalar_one() == 3


def test_nothing_is_published_without_the_agency_code(app, chain_cast):
    with app.app_context():
        d = ready(chain_cast)
        with pytest.raises(Invalid) as refused:
            publication.publish(d, user(chain_cast["publisher"]), doc(d).version)
        assert any("统一社会信用代码" in p for p in refused.value.problems)
        assert doc(d).stage == Stage.READY and outbox_rows() == []
        assert db.session.execute(select(func.count()).select_from(IndexCounter)).scalar_one() == 0


def test_only_a_publisher_publishes_and_only_from_ready(cast):
    d = ready(cast)
    with pytest.raises(Forbidden):
        publication.publish(d, user(cast["office"]), doc(d).version)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    with pytest.raises(Forbidden):  # already published: the chain has no such move
        publication.publish(d, user(cast["publisher"]), doc(d).version)
    assert len(outbox_rows(d)) == 1


def test_the_message_holds_the_public_copy_only_and_the_interpretation_with_it(cast):
    d = ready(cast)
    publication.publish(d, user(cast["publisher"]), doc(d).version)
    message = body_of(outbox_rows(d)[0])
    raw = outbox_rows(d)[0].body.decode("utf-8")
    for original in ("叶玉才", "83186312"):
        assert original not in raw, original
        for part in (message["docx"], message["interpretation"]["docx"]):
            with zipfile.ZipFile(io.BytesIO(base64.b64decode(part["content_base64"]))) as z:
                assert all(original not in z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    assert "叶玉才" in doc(d).body_html  # the internal copy keeps it; it never leaves
    assert message["title"] == doc(d).public_title and message["publisher"] == "河南省应急管理厅"
    assert message["topic"] == ["综合政务", "政务公开"] and message["doc_number"] == doc(d).doc_number
    assert message["interpretation_required"] is True
    assert message["interpretation"]["body_html"] == doc(d).public_interpretation_html


def test_withdraw_needs_a_reason_keeps_it_internal_and_republish_keeps_the_index_number(cast):
    d = ready(cast)
    pub_user = user(cast["publisher"])
    publication.publish(d, pub_user, doc(d).version)
    index_no = db.session.get(Publication, d).index_no
    with pytest.raises(Invalid, match="须填写意见"):
        publication.withdraw(d, pub_user, doc(d).version, "  ")
    assert doc(d).stage == Stage.PUBLISHED and len(outbox_rows(d)) == 1
    publication.withdraw(d, pub_user, doc(d).version, "附件中遗漏一处手机号码，更正后重新发布")
    assert doc(d).stage == Stage.WITHDRAWN
    withdrawal = outbox_rows(d)[1]
    assert (withdrawal.kind, withdrawal.version, withdrawal.index_no) == ("withdraw", 2, index_no)
    assert "手机号码" not in withdrawal.body.decode() and "撤回" in body_of(withdrawal)["notice"]
    publication.republish(d, pub_user, doc(d).version)
    again = outbox_rows(d)[2]
    assert doc(d).stage == Stage.PUBLISHED
    assert (again.kind, again.version, again.index_no) == ("push", 3, index_no)
    assert db.session.get(Publication, d).index_no == index_no
    actions = [e.action for e in db.session.execute(select(AuditEvent).where(AuditEvent.document_id == d)
                                                    .order_by(AuditEvent.seq)).scalars()]
    assert actions[-3:] == ["publish", "withdraw", "republish"]


def test_a_selection_publishes_each_document_apart_and_reports_the_refused(cast):
    a, b = ready(cast), ready(cast)
    stale = doc(b).version - 1
    result = publication.publish_selection([(a, doc(a).version), (b, stale)], user(cast["publisher"]))
    assert result.queued == [a] and [d for d, _ in result.refused] == [b]
    assert "已被他人处理" in result.refused[0][1]
    assert [r.batch for r in outbox_rows()] == [result.batch]
    assert doc(b).stage == Stage.READY


def test_the_deadline_is_the_20th_working_day_after_the_print_date(cast):
    from datetime import date

    d = ready(cast, print_date=date(2026, 12, 21))
    found = publication.deadline_for(doc(d), today=date(2026, 12, 22))
    assert found.due == date(2027, 1, 18) and found.provisional  # 2027 not yet covered: weekends only
    assert found.days_left == 19 and found.words == "剩余 19 个工作日"  # days 2 … 20 of the count
    late = publication.deadline_for(doc(d), today=date(2027, 1, 20))
    assert late.overdue and late.words == "已逾期 2 个工作日" and late.tone == "danger"
    assert db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 0
