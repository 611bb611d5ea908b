"""A session ends for good: a cookie captured before logout, a password change, an admin's
reset, a role change or disabling the account no longer opens anything when replayed."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, post
from webapp.extensions import db
from webapp.models import User
from webapp.workflow import Role

COOKIE = "gkt_session"


def capture(client) -> str:
    """The session cookie as an eavesdropper (or a shared computer's next user) would keep it."""
    return client.get_cookie(COOKIE).value


def replay(app, cookie: str) -> int:
    """Open the dashboard in a fresh browser carrying only the captured cookie: 200 or a redirect to login."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie)
    resp = thief.get("/")
    assert resp.status_code in (200, 302), resp.status_code
    if resp.status_code == 302:
        assert "/login" in resp.headers["Location"]
    return resp.status_code


@pytest.fixture
def zhang(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    uid = people.user("zhang", Role.DRAFTER)
    client = people.client("zhang")
    cookie = capture(client)
    assert replay(app, cookie) == 200  # the replay works while the session is alive
    return uid, client, cookie


def test_logout_ends_a_captured_cookie(app, zhang):
    _, client, cookie = zhang
    assert post(client, "/logout").status_code == 302
    assert replay(app, cookie) == 302


def test_logout_on_one_computer_ends_the_session_on_another(app, people, zhang):
    _, office_pc, _ = zhang
    home_pc = people.client("zhang")
    assert post(office_pc, "/logout").status_code == 302
    assert home_pc.get("/").status_code == 302


def test_changing_the_password_ends_earlier_sessions_but_keeps_this_one(app, people, zhang):
    _, client, cookie = zhang
    other_pc = people.client("zhang")
    resp = post(client, "/account/password", {"current": PASSWORD, "new": "NewPass123", "confirm": "NewPass123"})
    assert resp.status_code == 302
    assert replay(app, cookie) == 302
    assert other_pc.get("/").status_code == 302
    assert client.get("/").status_code == 200  # the browser that changed it carries on


def test_an_admin_reset_ends_the_users_sessions(app, people, zhang):
    uid, _, cookie = zhang
    assert post(people.client("root"), f"/admin/users/{uid}/reset-password").status_code == 302
    assert replay(app, cookie) == 302


def test_a_role_change_ends_the_users_sessions(app, people, zhang):
    uid, _, cookie = zhang
    # still a drafter, so the role check alone would let the old cookie in
    resp = post(people.client("root"), f"/admin/users/{uid}/edit",
                {"display_name": "zhang", "roles": ["drafter", "office"], "active": "y"})
    assert resp.status_code == 302
    assert replay(app, cookie) == 302


def test_disabling_ends_the_users_sessions_even_after_re_enabling(app, people, zhang):
    uid, _, cookie = zhang
    admin = people.client("root")
    assert post(admin, f"/admin/users/{uid}/edit", {"display_name": "zhang", "roles": ["drafter"]}).status_code == 302
    assert replay(app, cookie) == 302
    assert post(admin, f"/admin/users/{uid}/edit",
                {"display_name": "zhang", "roles": ["drafter"], "active": "y"}).status_code == 302
    assert replay(app, cookie) == 302


def test_editing_only_the_name_keeps_the_session(app, people, zhang):
    uid, _, cookie = zhang
    resp = post(people.client("root"), f"/admin/users/{uid}/edit",
                {"display_name": "张三", "roles": ["drafter"], "active": "y"})
    assert resp.status_code == 302
    assert replay(app, cookie) == 200


def test_the_session_names_the_user_and_the_epoch(app, zhang):
    uid, client, _ = zhang
    with client.session_transaction() as sess:
        user_id = sess["_user_id"]
    with app.app_context():
        assert user_id == f"{uid}:{db.session.get(User, uid).session_epoch}"
    for forged in (str(uid), f"{uid}:", f"{uid}:x", f"{uid}:{'9' * 40}", "²:0", f" {uid}:0"):
        with client.session_transaction() as sess:
            sess["_user_id"] = forged
        assert client.get("/").status_code == 302, forged


def test_an_old_cookie_stays_dead_after_the_next_login(app, people, zhang):
    _, client, cookie = zhang
    post(client, "/logout")
    people.client("zhang")  # a new login does not revive the old epoch
    assert replay(app, cookie) == 302
