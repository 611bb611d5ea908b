"""Forms shared by several blueprints, and the one base class every form derives from.

`AppForm` gives every form of the application the same input rules (webapp/textinput.py):

- every message WTForms or Flask-WTF can produce is Chinese (our own wording, with
  WTForms' zh catalogue behind it), the parse errors of dates and numbers included;
- a field holding a control character is refused with a message next to it;
- a one-line text field keeps no line breaks, and a text with nothing visible (only
  spaces or zero-width characters) is empty, so a required field refuses it;
- a number is written in ASCII digits (Python's int() also reads ٣ and 1_0) and stays
  within what the columns hold (PostgreSQL INTEGER): anything else is refused, not sent to SQL.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.fields import PasswordField, StringField, TextAreaField
from wtforms.i18n import get_translations
from wtforms.validators import InputRequired

from .. import textinput

# Our wording for every message WTForms 3 and Flask-WTF put through gettext.  Keys are
# the library's English msgids; a message missing here falls back to WTForms' zh catalogue.
MESSAGES: dict[str, str] = {
    "This field is required.": "此项为必填项。",
    "Invalid input.": "输入无效。",
    "Field must be equal to %(other_name)s.": "须与%(other_name)s一致。",
    "Field must be at least %(min)d character long.": "至少需要 %(min)d 个字。",
    "Field must be at least %(min)d characters long.": "至少需要 %(min)d 个字。",
    "Field cannot be longer than %(max)d character.": "不能超过 %(max)d 个字。",
    "Field cannot be longer than %(max)d characters.": "不能超过 %(max)d 个字。",
    "Field must be exactly %(max)d character long.": "须为 %(max)d 个字。",
    "Field must be exactly %(max)d characters long.": "须为 %(max)d 个字。",
    "Field must be between %(min)d and %(max)d characters long.": "长度须在 %(min)d 到 %(max)d 个字之间。",
    "Number must be at least %(min)s.": "数值不能小于 %(min)s。",
    "Number must be at most %(max)s.": "数值不能大于 %(max)s。",
    "Number must be between %(min)s and %(max)s.": "数值须在 %(min)s 到 %(max)s 之间。",
    "Date must be at least %(min)s.": "日期不能早于 %(min)s。",
    "Date must be at most %(max)s.": "日期不能晚于 %(max)s。",
    "Date must be between %(min)s and %(max)s.": "日期须在 %(min)s 到 %(max)s 之间。",
    "Invalid email address.": "电子邮件地址无效。",
    "Invalid IP address.": "IP 地址无效。",
    "Invalid Mac address.": "MAC 地址无效。",
    "Invalid URL.": "网址无效。",
    "Invalid UUID.": "UUID 无效。",
    "Invalid value, must be one of: %(values)s.": "取值无效，只能是：%(values)s。",
    "Invalid value, can't be any of: %(values)s.": "取值无效，不能是：%(values)s。",
    "This field cannot be edited.": "此项不能修改。",
    "This field is disabled and cannot have a value.": "此项已停用，不能填写。",
    "Invalid CSRF Token.": "表单校验码无效，没有做任何修改。请刷新页面后重试。",
    "CSRF token missing.": "缺少表单校验码，没有做任何修改。请刷新页面后重试。",
    "CSRF failed.": "表单校验失败，没有做任何修改。请刷新页面后重试。",
    "CSRF token expired.": "表单已过期，没有做任何修改。请刷新页面后重试。",
    "Invalid Choice: could not coerce.": "选项无效，请从列表中选择。",
    "Choices cannot be None.": "没有可选的选项。",
    "Not a valid choice.": "选项无效，请从列表中选择。",
    "Invalid choice(s): one or more data inputs could not be coerced.": "所选的选项中有无效的，请从列表中选择。",
    # The submitted value is not echoed back: it may be anything, of any length.
    "'%(value)s' is not a valid choice for this field.": "所选的选项无效，请从列表中选择。",
    "'%(value)s' are not valid choices for this field.": "所选的选项无效，请从列表中选择。",
    "Not a valid datetime value.": "日期时间无效，请按“2026-03-05 09:30”的格式填写。",
    "Not a valid date value.": "日期无效，请按“2026-03-05”的格式填写。",
    "Not a valid time value.": "时间无效，请按“09:30”的格式填写。",
    "Not a valid week value.": "周次无效。",
    "Not a valid integer value.": "请填写整数。",
    "Not a valid decimal value.": "请填写数字。",
    "Not a valid float value.": "请填写数字。",
    "Invalid field name '%s'.": "字段名无效。",
    "File does not have an approved extension.": "不支持该文件类型。",
    "File does not have an approved extension: {extensions}": "不支持该文件类型，只接受：{extensions}。",
}

# Messages Flask-WTF raises as plain English strings, not through gettext.
RAISED_IN_ENGLISH: dict[str, str] = {
    "The CSRF token is missing.": MESSAGES["CSRF token missing."],
    "The CSRF session token is missing.": MESSAGES["CSRF token missing."],
    "The CSRF token has expired.": MESSAGES["CSRF token expired."],
    "The CSRF token is invalid.": MESSAGES["Invalid CSRF Token."],
    "The CSRF tokens do not match.": MESSAGES["Invalid CSRF Token."],
}

OUT_OF_RANGE = "数值超出范围。"


class ChineseTranslations:
    """The gettext interface WTForms asks for, answering in Chinese."""

    def __init__(self) -> None:
        self._catalogue = get_translations(["zh"])

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string) or self._catalogue.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        chosen = singular if n == 1 else plural
        return MESSAGES.get(chosen) or MESSAGES.get(singular) or self._catalogue.ngettext(singular, plural, n)


TRANSLATIONS = ChineseTranslations()


def _clean_single_line(value):
    return textinput.clean_field(value, multiline=False) if isinstance(value, str) else value


def _clean_multiline(value):
    return textinput.clean_field(value, multiline=True) if isinstance(value, str) else value


_ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")


def _takes_integers(field) -> bool:
    return isinstance(field, IntegerField) or getattr(field, "coerce", None) is int


def _required_message(field) -> str:
    for validator in field.validators:
        if "required" in getattr(validator, "field_flags", {}) and getattr(validator, "message", None):
            return validator.message
    return TRANSLATIONS.gettext("This field is required.")


class AppForm(FlaskForm):
    """The base of every form in the application (a test walks them all)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            cls = unbound_field.field_class
            if issubclass(cls, StringField) and not issubclass(cls, PasswordField):
                cleaner = _clean_multiline if issubclass(cls, TextAreaField) else _clean_single_line
                options = {**options, "filters": [*unbound_field.kwargs.get("filters", ()), cleaner]}
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            errors = list(field.errors)
            raw = [v for v in (field.raw_data or []) if isinstance(v, str)]
            if any(textinput.has_forbidden(v) for v in raw):
                errors = [textinput.FORBIDDEN_MESSAGE]
            elif _takes_integers(field) and any(v.strip() and not _ASCII_INTEGER.fullmatch(v.strip()) for v in raw):
                # Python's int() reads ٣ as 3 and 1_0 as 10: a number here is written in ASCII digits
                errors = [TRANSLATIONS.gettext("Not a valid integer value." if isinstance(field, IntegerField)
                                               else "Not a valid choice.")]
            elif field.process_errors and errors and any(v.strip() for v in raw):
                # something typed that does not parse: say only that (an empty one gets its required message)
                errors = list(field.process_errors)
            elif field.flags.required and field.data == "" and not errors:
                errors.append(_required_message(field))  # only spaces or zero-width characters
            elif isinstance(field.data, int) and not isinstance(field.data, bool) \
                    and abs(field.data) > textinput.MAX_INT and not errors:
                errors.append(OUT_OF_RANGE)
            errors = [RAISED_IN_ENGLISH.get(e, e) if isinstance(e, str) else e for e in errors]
            if errors != list(field.errors):
                field.errors = errors
                ok = False
        return ok

    def labelled_errors(self) -> list[str]:
        """Every message with its field's label ("状态：选项无效…"), for a summary away from the fields."""
        return [f"{field.label.text}：{message}" if field.label.text else message
                for field in self for message in field.errors]


class EmptyForm(AppForm):
    """Button-only POSTs still carry a CSRF token."""


class VersionedForm(AppForm):
    """A POST about a document carries the version the user saw (stale-form guard)."""

    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    next = HiddenField()
