"""The logged-in user of a page that only reads, kept between requests and checked at no cost.

Every request needs its user (roles, department, whether the account is active and its session
epoch) before the view runs: an ORM load with two joins, a third of a millisecond of this
process's time and a round trip of its own — on a page that itself needs only one.  So:

- Every load from the database also reads the user's *fingerprint*: one string the database
  makes of every column of the user's row, of their department's row and of their roles
  (`FINGERPRINT`).  What was loaded is kept per app and process (`Kept`, bounded), under the user's id.
- A GET or HEAD of a view that only reads (webapp/readonly.py) whose session names a kept user
  with the same session epoch gets that user rebuilt from the kept values — no statement — and is
  marked *unconfirmed* with the kept fingerprint.
- The navigation's statement, which every page with the top bar runs (services/todo.py, also as
  riders on a page's own statement), carries the user's fingerprint as one more column: the
  confirmation costs no round trip.  A response that ran no navigation (a fragment, a download)
  is confirmed after the view by a statement of its own (`confirm_after_view`), before it leaves.
- If the fingerprint read differs from the kept one — a role taken away, the account disabled,
  the password reset, the department renamed, since the user was kept — the kept user is
  dropped and the response is thrown away unsent: the whole request runs again from the start
  with the user loaded from the database (`RerunOnStaleUser`, the WSGI wrapper).  The first run
  could not write (a reads-only view's statements are checked before they reach the database),
  and its session changes (a flash read, a CSRF token) vanish with its unsent cookie.  No answer
  ever leaves that was computed for a user other than the one the database holds at that moment.

Writes (POST and every view not marked reads-only) always load the user from the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, current_app, g, request
from sqlalchemy import Integer, String, bindparam, cast, func, literal_column, select
from sqlalchemy.orm import joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Department, User, UserRole

KEEP = 1024  # users kept per app and process; the least recently seen goes first
STALE = "gkt.stale_user"  # environ: this run's user was out of date; run the request again
FRESH = "gkt.fresh_user"  # environ: the second run; load the user from the database
EXTENSION = "gkt_session_users"
_LOCK = threading.Lock()


class Kept(OrderedDict):
    """user id → (fingerprint, the user's column values, their department's, their roles); one
    per app (so per database), in app.extensions."""


def _kept() -> Kept:
    return current_app.extensions[EXTENSION]


# The user's columns a request depends on (who they are, whether they may act, what the top bar
# shows); the others change only with the session epoch (the password) or never (id, created_at).
# tests/integration/test_session_user.py names every column of both tables on one side or the other.
USER_COLUMNS = ("session_epoch", "is_active_account", "must_change_password", "department_id", "username",
                "display_name", "email")
DEPARTMENT_COLUMNS = ("name", "requires_dept_check")
_SEP = literal_column("'\x1f'")  # a control character, refused in every input (blueprints/inputs.py)


def _text(column):
    text_ = column if isinstance(column.type, String) else cast(column, String)
    return func.coalesce(text_, literal_column("''")) if column.nullable else text_


def _fingerprint(user_id):
    """The columns above of the user's row and their department's row, then their roles in
    alphabetical order, joined by a control character.  NULL: no such user.  Should the database
    join the roles in another order one day, the user is merely loaded again (a rerun), never
    taken for someone they are not.  Short: it rides on the navigation's statement."""
    held = select(UserRole.role).where(UserRole.user_id == User.id).order_by(UserRole.role).subquery()
    roles = select(func.aggregate_strings(held.c.role, ","))
    parts = [_text(User.__table__.c[name]) for name in USER_COLUMNS]
    parts += [func.coalesce(_text(Department.__table__.c[name]), literal_column("''"))  # no department
              for name in DEPARTMENT_COLUMNS]
    parts.append(func.coalesce(roles.scalar_subquery(), literal_column("''")))
    text_ = parts[0]
    for part in parts[1:]:
        text_ = text_.op("||")(_SEP).op("||")(part)
    return (select(text_).select_from(User).outerjoin(Department, Department.id == User.department_id)
            .where(User.id == user_id).scalar_subquery())


# With the navigation's bind parameter for the user's id (services/standin: who_id).
FINGERPRINT = _fingerprint(bindparam("who_id", type_=Integer))
_LOAD = (select(User, _fingerprint(bindparam("user_id", type_=Integer)).label("fingerprint"))
         .options(joinedload(User.role_rows), joinedload(User.department))
         .where(User.id == bindparam("user_id", type_=Integer)))
_CONFIRM = select(FINGERPRINT)
_USER_KEYS = tuple(c.key for c in User.__mapper__.column_attrs)
_DEPARTMENT_KEYS = tuple(c.key for c in Department.__mapper__.column_attrs)


def load(user_id: int, epoch: int) -> User | None:
    """The session's user (None: unknown).  From what is kept when this request may use it (see
    the module), else from the database (and kept).  The caller checks the epoch and whether the
    account is active, whichever way the user came."""
    if _may_use_kept():
        store = _kept()
        kept = store.get(user_id)
        if kept is not None and kept[1]["session_epoch"] == epoch:
            with _LOCK:
                if user_id in store:
                    store.move_to_end(user_id)
            fingerprint, user_values, department_values, roles = kept
            g.user_unconfirmed = (fingerprint, user_id)
            return _rebuild(user_values, department_values, roles)
    row = db.session.execute(_LOAD, {"user_id": user_id}).unique().one_or_none()
    if row is None:
        forget(user_id)
        return None
    user, fingerprint = row
    _keep(user, fingerprint)
    return user


def confirm(fingerprint_now: str | None) -> None:
    """The user's fingerprint as the database holds it now (read by the navigation's statement or
    by `confirm_after_view`): an unconfirmed user whose fingerprint differs is out of date."""
    kept = g.pop("user_unconfirmed", None)
    if kept is None or kept[0] == fingerprint_now:
        return
    request.environ[STALE] = True
    forget(kept[1])


def confirm_after_view(response):
    """after_request: a response whose run read no navigation confirms its user here."""
    if "user_unconfirmed" in g:
        user_id = g.user_unconfirmed[1]
        confirm(db.session.connection().execute(_CONFIRM, {"who_id": user_id}).scalar_one_or_none())
    return response


def forget(user_id: int) -> None:
    with _LOCK:
        _kept().pop(user_id, None)


def _may_use_kept() -> bool:
    return (request.method in ("GET", "HEAD") and bool(g.get("reads_only"))
            and not request.environ.get(FRESH))


def _keep(user: User, fingerprint: str | None) -> None:
    if fingerprint is None:
        return
    department = user.department
    values = (fingerprint, {k: getattr(user, k) for k in _USER_KEYS},
              {k: getattr(department, k) for k in _DEPARTMENT_KEYS} if department is not None else None,
              tuple(sorted(r.role for r in user.role_rows)))
    store = _kept()
    with _LOCK:
        store[user.id] = values
        store.move_to_end(user.id)
        while len(store) > KEEP:
            store.popitem(last=False)


def _persistent(cls, values: dict):
    obj = cls.__mapper__.class_manager.new_instance()
    for key, value in values.items():
        set_committed_value(obj, key, value)
    make_transient_to_detached(obj)
    return obj


def _rebuild(user_values: dict, department_values: dict | None, roles: tuple[str, ...]) -> User:
    """A User in this request's session as a load would leave it — its department and roles
    loaded — made from kept values, with no statement."""
    user = _persistent(User, user_values)
    department = _persistent(Department, department_values) if department_values is not None else None
    role_rows = [_persistent(UserRole, {"user_id": user_values["id"], "role": r}) for r in roles]
    set_committed_value(user, "department", department)
    set_committed_value(user, "role_rows", role_rows)
    db.session.add(user)  # persistent and clean (cascades to its department and roles): nothing to flush
    return user


class RerunOnStaleUser:
    """WSGI wrapper: a run whose kept user turned out to be out of date (environ[STALE]) is
    thrown away unsent — its status, headers and body — and the request runs again with the user
    loaded from the database.  Other runs pass through untouched."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        held: list = []

        def hold(status, headers, exc_info=None):
            held[:] = [status, headers] if exc_info is None else [status, headers, exc_info]
            return lambda data: None  # the `write` of old applications: Flask never uses it

        body = self.wsgi_app(environ, hold)
        if not environ.get(STALE):
            start_response(*held)
            return body
        if hasattr(body, "close"):
            body.close()
        environ = {**environ, FRESH: True}
        environ.pop(STALE, None)
        return self.wsgi_app(environ, start_response)


def install(app: Flask) -> None:
    app.extensions[EXTENSION] = Kept()
    app.after_request(confirm_after_view)
    app.wsgi_app = RerunOnStaleUser(app.wsgi_app)  # type: ignore[method-assign]
