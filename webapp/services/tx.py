"""One transaction per use case: commit on success, roll back on any error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .errors import Conflict


@contextmanager
def transaction() -> Iterator[None]:
    try:
        yield
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise Conflict() from exc
    except BaseException:
        db.session.rollback()
        raise
