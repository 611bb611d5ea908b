"""Logging in and out, throttling, password changes, the admin's user management."""

from datetime import timedelta

from tests.conftest import PASSWORD, csrf_token, login, post
from webapp.extensions import db
from webapp.models import User
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


def test_five_failures_lock_the_account_for_fifteen_minutes(app, people):
    people.user("zhang", Role.DRAFTER)
    c = app.test_client()
    for i in range(4):
        resp = try_login(c, "zhang", "wrong")
        assert resp.status_code == 401 and f"再失败 {4 - i} 次" in resp.get_data(as_text=True)
    resp = try_login(c, "zhang", "wrong")
    assert "已暂停登录 15 分钟" in resp.get_data(as_text=True)
    resp = try_login(c, "zhang", PASSWORD)  # even the right password is refused now
    assert resp.status_code == 401 and "请约 15 分钟后再试" in resp.get_data(as_text=True)
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.username == "zhang")).scalar_one()
        user.locked_until = user.locked_until - timedelta(minutes=16)
        db.session.commit()
    assert try_login(c, "zhang", PASSWORD).status_code == 302


def test_unknown_user_and_wrong_password_read_the_same(app, people):
    people.user("zhang", Role.DRAFTER)
    a = try_login(app.test_client(), "nobody", "x").get_data(as_text=True)
    assert "用户名或密码错误" in a


def test_login_does_not_redirect_off_site(app, people):
    people.user("zhang", Role.DRAFTER)
    c = app.test_client()
    token = csrf_token(c)
    resp = c.post("/login?next=https://evil.example/", data={"username": "zhang", "password": PASSWORD, "csrf_token": token})
    assert resp.headers["Location"] == "/"


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
