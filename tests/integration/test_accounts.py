"""Logging in and out, throttling, password changes, the admin's user management."""

import re
from datetime import timedelta
from urllib.parse import unquote

from tests.conftest import PASSWORD, People, csrf_token, login, make_app, post
from webapp.extensions import db
from webapp.models import LoginFailure, User
from webapp.workflow import Role


def try_login(client, username, password):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)})


def test_password_is_stored_as_argon2id(app, people):
    uid = people.user("zhang", Role.DRAFTER)
    with app.app_context():
        assert db.session.get(User, uid).password_hash.startswith("$argon2id$")


def test_session_cookie_is_httponly_and_samesite(app, people):
    people.user("zhang", Role.DRAFTER)
    c = app.test_client()
    resp = try_login(c, "zhang", PASSWORD)
    cookie = resp.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def from_address(app, address: str):
    """A browser at another desk: its own client, requests from `address`."""
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


def alert(resp) -> str:
    m = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', resp.get_data(as_text=True), re.S)
    return m.group(1).strip() if m else ""


def age_failures(app, minutes: int) -> None:
    """Let time pass for the throttle: move every recorded failure `minutes` into the past."""
    with app.app_context():
        for row in db.session.execute(db.select(LoginFailure)).scalars():
            row.failed_at = row.failed_at - timedelta(minutes=minutes)
        db.session.commit()


def test_failures_from_one_address_pause_that_address_not_the_user(app, people):
    people.user("zhang", Role.DRAFTER)
    attacker, own_desk = from_address(app, "10.9.9.66"), from_address(app, "10.1.1.5")
    for _ in range(4):
        resp = try_login(attacker, "zhang", "wrong")
        assert resp.status_code == 401 and alert(resp) == "用户名或密码错误。"
    fifth = try_login(attacker, "zhang", "wrong")
    assert "登录失败次数过多，请约 15 分钟后再试" in alert(fifth)
    resp = try_login(attacker, "zhang", PASSWORD)  # even the right password is refused from there now
    assert resp.status_code == 401 and "请约 15 分钟后再试" in alert(resp)
    assert try_login(own_desk, "zhang", PASSWORD).status_code == 302  # the user at their own desk logs in
    age_failures(app, 16)
    assert try_login(from_address(app, "10.9.9.66"), "zhang", PASSWORD).status_code == 302


def test_one_address_guessing_across_accounts_is_paused(app, people):
    people.user("zhang", Role.DRAFTER)
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 6
    sprayer = from_address(app, "10.9.9.77")
    for name in ("a1", "a2", "a3", "zhang", "a5", "a6"):
        assert try_login(sprayer, name, "Summer2026").status_code == 401
    resp = try_login(sprayer, "zhang", PASSWORD)
    assert resp.status_code == 401 and "登录失败次数过多" in alert(resp)
    assert try_login(from_address(app, "10.1.1.5"), "zhang", PASSWORD).status_code == 302


def test_throttle_limits_come_from_the_configuration(app, people):
    people.user("zhang", Role.DRAFTER)
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_WINDOW_MINUTES=3)
    c = from_address(app, "10.9.9.66")
    assert alert(try_login(c, "zhang", "wrong")) == "用户名或密码错误。"
    assert "请约 3 分钟后再试" in alert(try_login(c, "zhang", "wrong"))
    assert try_login(c, "zhang", PASSWORD).status_code == 401
    age_failures(app, 4)
    assert try_login(c, "zhang", PASSWORD).status_code == 302


def test_unknown_user_and_wrong_password_read_the_same(app, people):
    people.user("zhang", Role.DRAFTER)
    known, unknown = from_address(app, "10.9.9.1"), from_address(app, "10.9.9.2")
    for _ in range(7):  # through the pause too: nothing tells an existing account from a missing one
        a, b = try_login(known, "zhang", "wrong"), try_login(unknown, "nobody", "wrong")
        assert (a.status_code, alert(a)) == (b.status_code, alert(b))
        assert alert(a).startswith(("用户名或密码错误", "登录失败次数过多"))
    with app.app_context():  # both were counted, by the name typed and the address
        rows = db.session.execute(db.select(LoginFailure.username, LoginFailure.address)).all()
    assert {("zhang", "10.9.9.1"), ("nobody", "10.9.9.2")} == set(rows)


def test_behind_a_proxy_the_forwarded_address_is_counted(database_url):
    app = make_app(database_url, TRUSTED_PROXIES=1)
    People(app).user("zhang", Role.DRAFTER)
    attacker, user = app.test_client(), app.test_client()  # both reach the app through the same proxy
    for _ in range(6):
        attacker.post("/login", data={"username": "zhang", "password": "wrong", "csrf_token": csrf_token(attacker)},
                      headers={"X-Forwarded-For": "10.9.9.66"})
    resp = user.post("/login", data={"username": "zhang", "password": PASSWORD, "csrf_token": csrf_token(user)},
                     headers={"X-Forwarded-For": "10.1.1.5"})
    assert resp.status_code == 302
    with app.app_context():
        assert set(db.session.execute(db.select(LoginFailure.address)).scalars()) == {"10.9.9.66"}
        db.session.remove()
        db.engine.dispose()


def test_login_does_not_redirect_off_site(app, people):
    people.user("zhang", Role.DRAFTER)
    for target in ("https://evil.example/", "/\\evil.example/", "/%5Cevil.example", "/%2F%2Fevil.example",
                   "/.//evil.example", "/%09/evil.example"):
        c = app.test_client()
        resp = c.post("/login", query_string={"next": target},
                      data={"username": "zhang", "password": PASSWORD, "csrf_token": csrf_token(c)})
        assert resp.status_code == 302 and resp.headers["Location"] == "/", target
    c = app.test_client()
    resp = c.post("/login", query_string={"next": "/documents?q=通知"},
                  data={"username": "zhang", "password": PASSWORD, "csrf_token": csrf_token(c)})
    assert unquote(resp.headers["Location"]) == "/documents?q=通知"  # an on-site target is kept


def test_logout_ends_the_session(app, people):
    people.user("zhang", Role.DRAFTER)
    c = people.client("zhang")
    assert post(c, "/logout").status_code == 302
    assert c.get("/drafting/").status_code == 302


def test_change_own_password(app, people):
    people.user("zhang", Role.DRAFTER)
    c = people.client("zhang")
    bad = post(c, "/account/password", {"current": "wrong", "new": "NewPass123", "confirm": "NewPass123"})
    assert bad.status_code == 422 and "当前密码不正确" in bad.get_data(as_text=True)
    weak = post(c, "/account/password", {"current": PASSWORD, "new": "abcdefgh", "confirm": "abcdefgh"})
    assert weak.status_code == 422 and "字母和数字" in weak.get_data(as_text=True)
    ok = post(c, "/account/password", {"current": PASSWORD, "new": "NewPass123", "confirm": "NewPass123"})
    assert ok.status_code == 302
    assert try_login(app.test_client(), "zhang", "NewPass123").status_code == 302


def test_admin_creates_a_user_and_sets_roles(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    dept = people.department("应急救援处")
    admin = people.client("root")
    resp = post(admin, "/admin/users/new", {"username": "liu", "display_name": "刘洋", "department": str(dept),
                                            "roles": ["drafter", "office"]})
    assert resp.status_code == 302
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "初始密码（只显示这一次）" in page and "刘洋" in page
    with app.app_context():
        u = db.session.execute(db.select(User).where(User.username == "liu")).scalar_one()
        assert u.roles == {Role.DRAFTER, Role.OFFICE}
        uid = u.id
    resp = post(admin, f"/admin/users/{uid}/edit", {"display_name": "刘洋", "department": str(dept), "roles": ["leader"], "active": "y"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(User, uid).roles == {Role.LEADER}
    dup = post(admin, "/admin/users/new", {"username": "liu", "display_name": "重复", "roles": ["drafter"]})
    assert dup.status_code == 422 and "已存在" in dup.get_data(as_text=True)
    none = post(admin, "/admin/users/new", {"username": "x1", "display_name": "无角色"})
    assert none.status_code == 422 and "至少选择一个角色" in none.get_data(as_text=True)


def test_admin_cannot_lock_themselves_out(app, people):
    uid = people.user("root", Role.ADMIN, department="办公室")
    admin = people.client("root")
    resp = post(admin, f"/admin/users/{uid}/edit", {"display_name": "root", "roles": ["drafter"], "active": "y"})
    assert resp.status_code == 422 and "不能取消自己的管理员角色" in resp.get_data(as_text=True)


def test_deactivated_user_is_logged_out_and_cannot_log_in(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    uid = people.user("zhang", Role.DRAFTER)
    c = people.client("zhang")
    admin = people.client("root")
    post(admin, f"/admin/users/{uid}/edit", {"display_name": "zhang", "roles": ["drafter"]})  # active unchecked
    assert c.get("/drafting/").status_code == 302
    assert "已停用" in try_login(app.test_client(), "zhang", PASSWORD).get_data(as_text=True)
    # only whoever knows the password learns that the account exists and is disabled
    assert alert(try_login(app.test_client(), "zhang", "wrong")) == "用户名或密码错误。"


def test_departments_are_managed_by_the_admin(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    admin = people.client("root")
    assert post(admin, "/admin/departments", {"name": "法规处"}).status_code == 302
    dup = post(admin, "/admin/departments", {"name": "法规处"})
    assert dup.status_code == 422 and "同名" in dup.get_data(as_text=True)
    assert "法规处" in admin.get("/admin/departments").get_data(as_text=True)


def test_login_is_required_everywhere_else(app, people):
    people.user("zhang", Role.DRAFTER)
    c = app.test_client()
    assert c.get("/").status_code == 302
    login(c, "zhang")
    assert c.get("/").status_code == 200
