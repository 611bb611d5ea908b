"""A stand-in user for statements built once per *shape* and run with parameters.

Building a SQLAlchemy statement (the navigation's dozen capped counts, the queue's page) cost more
than running it.  The services that build conditions from a user read only its roles, its id and
its department id; given this stand-in — the roles (and whether there is a department) as they
are, the two ids as bind parameters — they build a statement that serves every user of that shape.
Run it with `params(user)`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam

from ..extensions import db
from ..models import User
from ..workflow import Role


class StandIn:
    __slots__ = ("roles", "id", "department_id")

    def __init__(self, roles: frozenset[Role], has_department: bool):
        self.roles = roles
        self.id = bindparam("who_id", type_=Integer)
        self.department_id = bindparam("who_department", type_=Integer) if has_department else None


def execute(statement, parameters: dict):
    """Run a statement of plain columns (no ORM entity in its result) on the session's own
    connection — the same transaction, the same snapshot — without the ORM's execution layer,
    which cost a third of a millisecond per statement beyond SQLAlchemy Core's.  Pending changes
    are flushed first, as `session.execute` would (autoflush); the engine-level hooks
    (webapp/readonly.py's write guard) apply as to any statement."""
    session = db.session
    session.flush()  # returns at once when nothing is pending
    return session.connection().execute(statement, parameters)


def shape(user: User) -> tuple[frozenset[Role], bool]:
    return user.roles, user.department_id is not None


def params(user: User) -> dict[str, int | None]:
    return {"who_id": user.id, "who_department": user.department_id}


@dataclass(frozen=True)
class Riders:
    """Columns another service adds to a page's own statement, so that they cost no round trip of
    their own (the navigation's counters on a reads-only page: services/todo.navigation_riders).

    `columns` are uncorrelated scalar subqueries (evaluated once, whatever the number of rows),
    built once per `key`; the page's statement, cached per its own shape, adds `key` to that shape.
    `params` are their bind parameters (`who_id` and `who_department` mean what they mean here);
    `take` receives their values from the first row.  A page with no row never calls `take`: the
    other service then runs its own statement, as it would without riders.  `counts`: where among
    `columns` a counter sits that the page may read instead of counting the same thing again, by
    its name in the other service (e.g. "applications_open", capped at 100)."""

    key: Hashable
    columns: tuple
    params: dict
    take: Callable[[Sequence], None]
    counts: Mapping[str, int] = field(default_factory=dict)
