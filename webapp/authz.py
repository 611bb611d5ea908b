"""Route guards.  Every view carries exactly one of these; a test walks the URL map
and fails for a view without one, and checks the resulting role matrix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user

from .extensions import login_manager
from .workflow import Role


@dataclass(frozen=True)
class AccessRule:
    public: bool
    roles: frozenset[Role]  # empty: any logged-in user


def _mark(view: Callable, rule: AccessRule) -> Callable:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    """Reachable without logging in (the login page, error pages)."""
    return _mark(view, AccessRule(public=True, roles=frozenset()))


def roles_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Logged in, and holding at least one of `roles` (any role when none given)."""
    wanted = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if wanted and not (current_user.roles & wanted):
                abort(403, description="您的角色无权访问此页面。")
            return view(*args, **kwargs)

        return _mark(guarded, AccessRule(public=False, roles=wanted))

    return decorate


login_required = roles_required()
