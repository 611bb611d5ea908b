"""Every form of the application answers in Chinese.

The test walks every form class in webapp (a new form is included without being
listed), feeds each field values that fail each kind of check, and reads every
message that comes back; it also reads every message written into a validator.
"""

from __future__ import annotations

import re

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectFieldBase

from tests.conftest import TEST_CONFIG
from webapp import create_app
from webapp.blueprints.forms import AppForm

# ASCII words a Chinese message may carry (names of things, not English sentences).
ASCII_WORDS = {"NUL", "CSRF", "Word", "docx", "MAC", "UUID", "URL", "IP"}
CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_VALUES = ["", "\u200b\u3000", "x" * 20_000, "²", "99999999999999999999", "-5", "2026-13-45", "abc",
              "a\x00b", "不存在的选项"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An empty schema: some forms read their choices (目录事项) from the database."""
    from webapp.extensions import db

    url = f"sqlite:///{tmp_path_factory.mktemp('forms') / 'forms.db'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
    return app


def all_subclasses(cls) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *all_subclasses(sub)]
    return out


def app_forms(app) -> list[type[AppForm]]:
    return sorted({c for c in all_subclasses(AppForm) if c.__module__.startswith("webapp.")},
                  key=lambda c: f"{c.__module__}.{c.__name__}")


def is_chinese(message: str) -> bool:
    words = set(re.findall(r"[A-Za-z]{2,}", message))
    return bool(CJK.search(message)) and words <= ASCII_WORDS


def build(form_cls, formdata, csrf: bool = False):
    form = form_cls(formdata=formdata, meta={"csrf": csrf})
    for field in form:
        if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is None:
            # the choices the view sets from the database
            field.choices = [(field.coerce("1"), "应急救援处")] if field.coerce is int else [("", "全部"), ("1", "应急救援处")]
    return form


def messages_of(form) -> list[str]:
    return [m for msgs in form.errors.values() for m in msgs]


def test_every_form_in_the_application_derives_from_the_base_form(app):
    flask_forms = {c for c in all_subclasses(FlaskForm) if c.__module__.startswith("webapp.")}
    assert flask_forms, "no forms found"
    assert {c for c in flask_forms if not issubclass(c, AppForm)} == set()
    assert len(app_forms(app)) >= 15


def test_no_validator_carries_an_english_message(app):
    with app.test_request_context():
        for form_cls in app_forms(app):
            for field in build(form_cls, None):
                for validator in field.validators:
                    message = getattr(validator, "message", None)
                    if isinstance(message, str):
                        assert is_chinese(message), f"{form_cls.__name__}.{field.name}: {message!r}"


def test_no_bad_value_in_any_field_gets_an_english_message(app):
    seen: set[str] = set()
    with app.test_request_context(method="POST"):
        for form_cls in app_forms(app):
            names = [f.name for f in build(form_cls, None)]
            for name in names:
                for value in BAD_VALUES:
                    form = build(form_cls, MultiDict([(name, value)]))
                    form.validate()
                    for message in messages_of(form):
                        seen.add(message)
                        assert is_chinese(message), f"{form_cls.__name__}.{name}={value[:20]!r}: {message!r}"
    # the kinds of check this walk reaches, in Chinese: required, length, choice, number, date
    for expected in ("此项为必填项。", "不能超过", "选项无效", "请填写整数。", "日期无效", "控制字符"):
        assert any(expected in m for m in seen), expected


def test_a_form_without_its_token_says_so_in_chinese(app):
    with app.test_request_context(method="POST"):
        for form_cls in app_forms(app):
            if not build(form_cls, None).meta.csrf:
                continue  # GET filters carry no token
            form = build(form_cls, MultiDict(), csrf=True)
            form.validate()
            assert form.csrf_token.errors, form_cls.__name__
            assert all(is_chinese(m) for m in form.csrf_token.errors), form.csrf_token.errors


def test_the_library_messages_are_our_chinese_ones(app):
    from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
    from wtforms.validators import InputRequired, Length, NumberRange

    class Probe(AppForm):
        text = StringField(validators=[InputRequired(), Length(max=3)])
        number = IntegerField(validators=[NumberRange(min=1, max=9)])
        when = DateField()
        pick = SelectField(choices=[("a", "甲")])
        many = SelectMultipleField(choices=[("a", "甲")])
        count = IntegerField()

    with app.test_request_context(method="POST"):
        form = Probe(formdata=MultiDict([("text", "长长长长"), ("number", "x"), ("when", "2026-02-30"),
                                          ("pick", "b"), ("many", "<b>很长的非法值</b>" * 50)]), meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {
            "text": ["不能超过 3 个字。"], "number": ["请填写整数。"], "when": ["日期无效，请按“2026-03-05”的格式填写。"],
            "pick": ["选项无效，请从列表中选择。"], "many": ["所选的选项无效，请从列表中选择。"],
        }
        form = Probe(formdata=MultiDict([("text", "\u200b"), ("count", "99999999999"), ("pick", "a")]),
                     meta={"csrf": False})
        assert not form.validate()
        assert form.errors["text"] == ["此项为必填项。"]  # only an invisible character: empty
        assert form.errors["count"] == ["数值超出范围。"]  # never sent to an INTEGER column


def test_an_optional_date_or_number_left_empty_is_no_error(app):
    from wtforms import DateField, IntegerField
    from wtforms.validators import InputRequired, Optional

    class Probe(AppForm):
        when = DateField(validators=[Optional()])
        count = IntegerField(validators=[Optional()])
        due = DateField(validators=[InputRequired(message="请填写印发日期。")])

    with app.test_request_context(method="POST"):
        form = Probe(formdata=MultiDict([("when", ""), ("count", ""), ("due", "")]), meta={"csrf": False})
        assert form.errors == {} and not form.validate()
        assert form.errors == {"due": ["请填写印发日期。"]}  # empty and required: its own message
        form = Probe(formdata=MultiDict([("when", "2026-13-01"), ("count", "七"), ("due", "2026-03-05")]),
                     meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {"when": ["日期无效，请按“2026-03-05”的格式填写。"], "count": ["请填写整数。"]}
