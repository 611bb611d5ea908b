"""Flask extensions, created unbound and initialised in create_app."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def _autogenerate_sees(name, type_, parent_names) -> bool:  # noqa: ARG001
    """The search's trigram index is made by hand (webapp/fulltext.py): not a model object."""
    from .fulltext import is_search_index_object

    return not is_search_index_object(name)


migrate = Migrate(include_name=_autogenerate_sees)
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()
