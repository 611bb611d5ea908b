"""Each move's own word per stage (workflow.MOVE_LABELS) on the buttons, in the flash after
the move and in the timeline: the leader 签发, the office 审核通过, the secrecy office
保密审查通过 — the leader's signature was once shown as "审核通过 → 已签发"."""

import re

from tests.conftest import post
from tests.helpers import act, doc, submitted
from webapp.workflow import Action


def _buttons(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s", "", b) for b in
            re.findall(r'<button[^>]*name="action" value="approve"[^>]*>(.*?)</button>', html, re.S)]


def test_each_reviewer_sees_and_is_told_their_own_word(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"], may_involve_secrets=True, title="关于汛期值班的通知")
    for who, queue, word, now in (("secrecy", "/review/secrecy_review", "保密审查通过", "公开属性审查"),
                                  ("office", "/review/office_review", "审核通过", "待领导签发"),
                                  ("leader", "/approval/", "签发", "已签发")):
        c = people.client(who)
        assert _buttons(c.get(queue).get_data(as_text=True)) == [word], who  # the queue row
        page = c.get(f"/documents/{d}").get_data(as_text=True)
        assert _buttons(page) == [word], who  # the document page
        with app.app_context():
            version = doc(d).version
        resp = post(c, f"/review/documents/{d}/decide", {"action": "approve", "version": version})
        assert resp.status_code == 302
        shown = c.get(resp.headers["Location"]).get_data(as_text=True)
        assert f"已{word}：关于汛期值班的通知（现为“{now}”）" in shown, who
    timeline = people.client("drafter").get(f"/documents/{d}").get_data(as_text=True)
    heads = [re.sub(r"<[^>]+>|\s", "", h) for h in re.findall(r'<div class="tl-head">(.*?)</div>', timeline, re.S)]
    assert {"保密审查通过→公开属性审查", "审核通过→待领导签发", "签发→已签发"} <= set(heads)
    assert "审核通过→已签发" not in heads


def test_a_return_without_comment_names_the_move_it_refuses(app, chain_cast, people):
    with app.app_context():
        d = submitted(chain_cast["drafter"])
        act(d, chain_cast["office"], Action.APPROVE)
        version = doc(d).version
    resp = post(people.client("leader"), f"/review/documents/{d}/decide",
                {"action": "return", "version": version, "comment": ""})
    assert resp.status_code == 422 and "“退文”须填写意见" in resp.get_data(as_text=True)
