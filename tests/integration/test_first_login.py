"""A password the system generated (demo seed, a new user without a chosen password, an
admin's reset, `flask create-user` without --password) was seen by someone else: its owner
must replace it at first login, and until then every page leads to the change form."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD, csrf_token, post
from webapp.extensions import db
from webapp.models import User
from webapp.workflow import Role

CHANGE = "/account/password"


def login_with(app, username: str, password: str):
    c = app.test_client()
    resp = c.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(c)})
    if resp.status_code == 302:
        c.csrf = csrf_token(c, CHANGE)  # a page every logged-in user can open
    return c, resp


def must_change(app, username: str) -> bool:
    with app.app_context():
        return db.session.execute(db.select(User).where(User.username == username)).scalar_one().must_change_password


def shown_password(page: str) -> str:
    m = re.search(r"（只显示这一次）：([A-Za-z0-9]+)", page)
    assert m, "no password shown"
    return m.group(1)


def test_a_user_created_without_a_password_changes_it_at_first_login(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    admin = people.client("root")
    post(admin, "/admin/users/new", {"username": "liu", "display_name": "刘洋", "roles": ["drafter"]})
    initial = shown_password(admin.get("/admin/users").get_data(as_text=True))
    assert "待修改初始密码" in admin.get("/admin/users").get_data(as_text=True)

    c, resp = login_with(app, "liu", initial)
    assert resp.status_code == 302 and resp.headers["Location"] == CHANGE
    page = c.get(CHANGE).get_data(as_text=True)
    assert "系统生成的初始密码" in page
    same = post(c, CHANGE, {"current": initial, "new": initial, "confirm": initial})
    assert same.status_code == 422 and "不能与当前密码相同" in same.get_data(as_text=True)
    assert post(c, CHANGE, {"current": initial, "new": "MyOwn2026x", "confirm": "MyOwn2026x"}).status_code == 302
    assert not must_change(app, "liu")
    assert c.get("/drafting/").status_code == 200
    assert "系统生成的初始密码" not in c.get(CHANGE).get_data(as_text=True)


def test_until_changed_every_page_leads_to_the_change_form(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    uid = people.user("liu", Role.DRAFTER, Role.OFFICE, Role.ADMIN, department="办公室")
    with app.app_context():
        db.session.get(User, uid).must_change_password = True
        db.session.commit()
    c, _ = login_with(app, "liu", PASSWORD)
    token = csrf_token(c, CHANGE)
    reachable = {"auth.change_password", "auth.logout", "auth.login", "static", "main.preview_css"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in reachable:
            continue
        url = rule.rule
        for arg in rule.arguments:  # any value: the redirect comes before the view looks at it
            url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "office_review")
        if "GET" in rule.methods:
            resp = c.get(url)
            assert resp.status_code == 302 and resp.headers["Location"] == CHANGE, (rule.endpoint, resp.status_code)
            htmx = c.get(url, headers={"HX-Request": "true"})
            assert htmx.headers.get("HX-Redirect") == CHANGE, rule.endpoint
        if "POST" in rule.methods:
            resp = c.post(url, data={"csrf_token": token})
            assert resp.status_code == 302 and resp.headers["Location"] == CHANGE, (rule.endpoint, resp.status_code)
        checked += 1
    assert checked > 20
    assert c.get(CHANGE).status_code == 200
    assert c.get("/static/css/app.css").status_code == 200
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    assert c.get("/").headers["Location"].startswith("/login")


def test_an_admin_reset_must_be_changed_and_lifts_the_login_pause(app, people):
    people.user("root", Role.ADMIN, department="办公室")
    uid = people.user("zhang", Role.DRAFTER)
    for _ in range(5):
        login_with(app, "zhang", "forgotten")
    admin = people.client("root")
    assert post(admin, f"/admin/users/{uid}/reset-password").status_code == 302
    new = shown_password(admin.get("/admin/users").get_data(as_text=True))
    assert must_change(app, "zhang")
    c, resp = login_with(app, "zhang", new)  # same address as the failures: the reset lifted the pause
    assert resp.headers["Location"] == CHANGE
    assert c.get("/").headers["Location"] == CHANGE


def test_a_chosen_password_is_not_forced_to_change(app, people):
    people.user("zhang", Role.DRAFTER)  # the tests' fixture password was chosen, not generated
    assert not must_change(app, "zhang")
    c, resp = login_with(app, "zhang", PASSWORD)
    assert resp.headers["Location"] == "/" and c.get("/").status_code == 200


def test_the_demo_seed_and_the_cli_mark_generated_passwords(app, monkeypatch):
    from webapp.demo import DEMO_USERS, seed_demo

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with app.app_context():
        seed_demo()
        flags = dict(db.session.execute(db.select(User.username, User.must_change_password)).all())
    assert flags == {u.username: True for u in DEMO_USERS}

    runner = app.test_cli_runner()
    out = runner.invoke(args=["create-user", "wangli", "--name", "王丽", "--role", "drafter"])
    assert out.exit_code == 0 and "首次登录时须修改密码" in out.output
    chosen = runner.invoke(args=["create-user", "lina", "--name", "李娜", "--role", "drafter",
                                 "--password", "Chosen2026x"])
    assert chosen.exit_code == 0
    assert must_change(app, "wangli") and not must_change(app, "lina")


def test_a_demo_password_chosen_by_the_operator_is_kept(app, monkeypatch):
    from webapp.demo import seed_demo

    monkeypatch.setenv("DEMO_PASSWORD", "Demo2026pass")
    with app.app_context():
        seed_demo()
    c, resp = login_with(app, "office", "Demo2026pass")
    assert resp.headers["Location"] == "/" and not must_change(app, "office")
