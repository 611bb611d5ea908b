"""Accounts: log in with throttling, change password, and the admin's user and department management."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from .. import passwords
from ..extensions import db
from ..models import Department, User, utcnow
from ..workflow import Role
from . import audit
from .errors import Invalid, NotFound
from .tx import transaction

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""


def _find_user(username: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()


def authenticate(username: str, password: str) -> LoginResult:
    """Check a login; five failures lock the account for fifteen minutes."""
    user = _find_user(username)
    if user is None:
        passwords.burn_time(password)
        return LoginResult(None, "用户名或密码错误。")
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return LoginResult(None, f"该账号连续登录失败 {MAX_FAILURES} 次，已暂停登录，请约 {minutes} 分钟后再试。")
    if not user.is_active_account:
        passwords.burn_time(password)
        return LoginResult(None, "该账号已停用，请联系管理员。")
    with transaction():
        if not passwords.verify_password(user.password_hash, password):
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                audit.record("account_locked", user, details={"minutes": 15})
                return LoginResult(None, f"连续登录失败 {MAX_FAILURES} 次，该账号已暂停登录 15 分钟。")
            left = MAX_FAILURES - user.failed_logins
            return LoginResult(None, f"用户名或密码错误。再失败 {left} 次，账号将暂停登录 15 分钟。")
        user.failed_logins = 0
        user.locked_until = None
    return LoginResult(user)


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise Invalid("当前密码不正确。")
    problems = passwords.password_problems(new)
    if problems:
        raise Invalid("新密码不符合要求。", problems)
    with transaction():
        user.password_hash = passwords.hash_password(new)
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
    """Create an account; returns it with its initial password (generated when none is given)."""
    username = username.strip()
    problems = _check_user_fields(username, display_name, roles)
    if _find_user(username) is not None:
        problems.append("该用户名已存在。")
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
        user.display_name = display_name.strip()
        user.department_id = department_id
        user.set_roles(roles)
        user.is_active_account = active
        audit.record("update_user", admin, details={"user": user.username, "before": before,
                     "after": {"roles": sorted(r.value for r in roles), "department_id": department_id,
                               "active": active}})
    return user


def reset_password(user_id: int, admin: User) -> str:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    new = generate_password()
    with transaction():
        user.password_hash = passwords.hash_password(new)
        user.failed_logins = 0
        user.locked_until = None
        audit.record("reset_password", admin, details={"user": user.username})
    return new


def save_department(name: str, admin: User | None, department_id: int | None = None) -> Department:
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
    return dept


def generate_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8)) + str(secrets.randbelow(9000) + 1000)
