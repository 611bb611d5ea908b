"""Accounts: log in with throttling, sessions, passwords, and the admin's user and department management."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from .. import passwords
from ..extensions import db
from ..models import Department, LoginFailure, User, utcnow
from ..workflow import Role
from . import audit
from .errors import Invalid, NotFound
from .tx import transaction

WRONG_CREDENTIALS = "用户名或密码错误。"


@dataclass(frozen=True)
class LoginThrottle:
    """How many failed logins a source address may make (see Config: LOGIN_*)."""

    max_failures: int  # for one account from one address
    max_failures_per_address: int  # for all accounts together from one address
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping) -> LoginThrottle:
        return cls(int(config["LOGIN_MAX_FAILURES"]), int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
                   timedelta(minutes=int(config["LOGIN_WINDOW_MINUTES"])))


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""


def _name_key(username: str) -> str:
    return username.strip().lower()[:50]


def _find_user(username: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()


def _blocked_until(name: str, address: str, now: datetime, throttle: LoginThrottle) -> datetime | None:
    """When this address may try this name again, or None when it may now.

    Blocked while the window holds `max` failures: until the max-th most recent one leaves it."""
    since = now - throttle.window
    ends = []
    for limit, where in ((throttle.max_failures, (LoginFailure.username == name, LoginFailure.address == address)),
                         (throttle.max_failures_per_address, (LoginFailure.address == address,))):
        nth = db.session.execute(
            select(LoginFailure.failed_at).where(*where, LoginFailure.failed_at > since)
            .order_by(LoginFailure.failed_at.desc()).offset(max(limit, 1) - 1).limit(1)
        ).scalar_one_or_none()
        if nth is not None:
            ends.append(nth + throttle.window)
    until = max(ends, default=None)
    return until if until is not None and until > now else None


def _wait_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return f"登录失败次数过多，请约 {minutes} 分钟后再试。"


def authenticate(username: str, password: str, address: str, throttle: LoginThrottle) -> LoginResult:
    """Check a login.  Unknown names and wrong passwords read, cost and count the same; failures
    are counted per (name, source address) and per address, so an attacker elsewhere blocks only
    themselves, never the user at their own desk."""
    name, address = _name_key(username), (address or "unknown")[:64]
    now = utcnow()
    until = _blocked_until(name, address, now, throttle)
    if until is not None:
        return LoginResult(None, _wait_message(until, now))
    user = _find_user(name)
    # One Argon2 verification either way: an unknown name takes as long as a known one.
    right = passwords.verify_password(user.password_hash, password) if user else passwords.burn_time(password)
    if user is None or not right:
        with transaction():
            db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - throttle.window))
            db.session.add(LoginFailure(username=name, address=address, failed_at=now))
        until = _blocked_until(name, address, now, throttle)
        return LoginResult(None, WRONG_CREDENTIALS + (_wait_message(until, now) if until else ""))
    if not user.is_active_account:  # said only to whoever knows the password
        return LoginResult(None, "该账号已停用，请联系管理员。")
    with transaction():
        db.session.execute(delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.address == address))
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
    return LoginResult(user)


def log_out(user: User) -> None:
    """End this user's sessions: this one and any copy of any earlier cookie."""
    with transaction():
        user.end_sessions()


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change; ends their other sessions (the caller logs this one in again)."""
    if not passwords.verify_password(user.password_hash, current):
        raise Invalid("当前密码不正确。")
    problems = passwords.password_problems(new)
    if new == current:
        problems.append("新密码不能与当前密码相同。")
    if problems:
        raise Invalid("新密码不符合要求。", problems)
    with transaction():
        user.password_hash = passwords.hash_password(new)
        user.must_change_password = False
        user.end_sessions()
        audit.record("change_password", user)


def _check_user_fields(username: str, display_name: str, roles: set[Role]) -> list[str]:
    problems = []
    if not username or not username.replace("_", "").replace(".", "").isalnum() or not username.isascii():
        problems.append("用户名只能由字母、数字、下划线和点组成。")
    if not display_name.strip():
        problems.append("请填写姓名。")
    if not roles:
        problems.append("请至少选择一个角色。")
    return problems


def create_user(
    username: str,
    display_name: str,
    password: str | None,
    department_id: int | None,
    roles: set[Role],
    by: User | None = None,
) -> tuple[User, str]:
    """Create an account; returns it with its initial password.  A generated password (none
    given) is shown once to whoever creates the account, so its owner must change it at first login."""
    username = username.strip()
    problems = _check_user_fields(username, display_name, roles)
    if _find_user(username) is not None:
        problems.append("该用户名已存在。")
    generated = not password
    password = password or generate_password()
    problems += passwords.password_problems(password)
    if department_id is not None and db.session.get(Department, department_id) is None:
        problems.append("处室不存在。")
    if problems:
        raise Invalid("用户未创建。", problems)
    with transaction():
        user = User(
            username=username,
            display_name=display_name.strip(),
            password_hash=passwords.hash_password(password),
            department_id=department_id,
            must_change_password=generated,
        )
        user.set_roles(roles)
        db.session.add(user)
        db.session.flush()
        audit.record("create_user", by, details={"user": username, "roles": sorted(r.value for r in roles)})
    return user, password


def update_user(user_id: int, admin: User, display_name: str, department_id: int | None,
                roles: set[Role], active: bool) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    problems = _check_user_fields(user.username, display_name, roles)
    if user.id == admin.id and (Role.ADMIN not in roles or not active):
        problems.append("不能取消自己的管理员角色或停用自己的账号。")
    if department_id is not None and db.session.get(Department, department_id) is None:
        problems.append("处室不存在。")
    if problems:
        raise Invalid("修改未保存。", problems)
    with transaction():
        before = {"roles": sorted(r.value for r in user.roles), "department_id": user.department_id,
                  "active": user.is_active_account}
        if set(user.roles) != set(roles) or (user.is_active_account and not active):
            user.end_sessions()  # new roles or a disabled account: no earlier session carries on
        user.display_name = display_name.strip()
        user.department_id = department_id
        user.set_roles(roles)
        user.is_active_account = active
        audit.record("update_user", admin, details={"user": user.username, "before": before,
                     "after": {"roles": sorted(r.value for r in roles), "department_id": department_id,
                               "active": active}})
    return user


def reset_password(user_id: int, admin: User) -> str:
    """A generated password, shown once to the admin: ends the user's sessions, lifts their
    login throttle, and must be changed at their next login."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    new = generate_password()
    with transaction():
        user.password_hash = passwords.hash_password(new)
        user.must_change_password = True
        user.end_sessions()
        db.session.execute(delete(LoginFailure).where(LoginFailure.username == _name_key(user.username)))
        audit.record("reset_password", admin, details={"user": user.username})
    return new


def save_department(name: str, admin: User | None, department_id: int | None = None,
                    requires_dept_check: bool | None = None) -> Department:
    """Add or rename a department; `requires_dept_check` (None: unchanged) switches its 核稿 on or off."""
    name = name.strip()
    if not name:
        raise Invalid("请填写处室名称。")
    clash = db.session.execute(select(Department).where(Department.name == name)).scalar_one_or_none()
    if clash is not None and clash.id != department_id:
        raise Invalid("已有同名处室。")
    with transaction():
        if department_id is None:
            dept = Department(name=name)
            db.session.add(dept)
        else:
            dept = db.session.get(Department, department_id)
            if dept is None:
                raise NotFound("处室不存在。")
            dept.name = name
        db.session.flush()
        audit.record("save_department", admin, details={"department": name, "id": dept.id})
        if requires_dept_check is not None and bool(dept.requires_dept_check) != requires_dept_check:
            dept.requires_dept_check = requires_dept_check
            audit.record("set_dept_check", admin, details={"department": name, "id": dept.id,
                                                           "on": requires_dept_check})
    return dept


def generate_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8)) + str(secrets.randbelow(9000) + 1000)
