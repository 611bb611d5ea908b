"""In Chromium: the admin creates a user and reads the generated password once; that user's
first login leads to the change form (no serious accessibility problem on it), every other
page leads back there, and after the change the dashboard opens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_chain_in_browser import log_in

pytestmark = pytest.mark.browser


def test_first_login_with_a_generated_password(live_server, chain_cast, browser):
    base = live_server
    admin = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    log_in(admin, base, "admin")
    admin.goto(f"{base}/admin/users/new")
    admin.get_by_label("用户名").fill("liuyang")
    admin.get_by_label("姓名").fill("刘洋")
    admin.get_by_label("起草人").check()
    admin.get_by_role("button", name=re.compile("保存|创建")).click()
    flash = admin.get_by_text(re.compile("初始密码（只显示这一次）"))
    expect(flash).to_be_visible()
    initial = re.search(r"：([A-Za-z0-9]+)", flash.inner_text()).group(1)
    expect(admin.get_by_text("待修改初始密码")).to_be_visible()

    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True).new_page()
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill("liuyang")
    page.get_by_label("密码").fill(initial)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text("系统生成的初始密码")).to_be_visible()
    assert not violations(page)
    page.goto(f"{base}/drafting/new")  # any other page leads back
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()

    page.get_by_label("当前密码").fill(initial)
    page.get_by_label("新密码", exact=True).fill("MyOwn2026x")
    page.get_by_label("再次输入新密码").fill("MyOwn2026x")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_text("密码已修改")).to_be_visible()
    page.goto(f"{base}/drafting/new")
    expect(page).to_have_url(re.compile(r"/drafting/new$"))
