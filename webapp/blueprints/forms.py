"""Forms shared by several blueprints."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired


class EmptyForm(FlaskForm):
    """Button-only POSTs still carry a CSRF token."""


class VersionedForm(FlaskForm):
    """A POST about a document carries the version the user saw (stale-form guard)."""

    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    next = HiddenField()
