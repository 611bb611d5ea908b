import re

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...archives import RETENTIONS
from ...models_transfers import DESTINATION_KINDS, MEDIA
from ...services.transfers import MAX_BATCH, MAX_RECEIPT_BYTES, BatchInput, DestinationInput, Pick
from ..forms import AppForm


class DestinationForm(AppForm):
    # choices are checked by the service, with its Chinese message (validate_choice would answer in English)
    kind = SelectField("类别", choices=list(DESTINATION_KINDS.items()), validate_choice=False,
                       validators=[InputRequired(message="请选择类别。")])
    name = StringField("单位名称", validators=[InputRequired(message="请填写单位名称。"),
                                            Length(max=100, message="单位名称不能超过 100 字。")])
    contact_name = StringField("联系人", validators=[Length(max=50, message="联系人不能超过 50 字。")])
    contact_phone = StringField("联系电话", validators=[Length(max=50, message="联系电话不能超过 50 字。")])
    address = StringField("地址", validators=[Length(max=200, message="地址不能超过 200 字。")])
    period_days = IntegerField("送交周期（天）", default=15,
                               validators=[InputRequired(message="请填写送交周期（天数）。"),
                                           NumberRange(1, 366, message="送交周期应为 1–366 天。")])
    active = BooleanField("启用", default=True)

    def to_input(self) -> DestinationInput:
        return DestinationInput(self.kind.data, self.name.data or "", self.contact_name.data or "",
                                self.contact_phone.data or "", self.address.data or "", self.period_days.data,
                                bool(self.active.data))


class ArchiveSettingsForm(AppForm):
    fonds_no = StringField("全宗号", validators=[InputRequired(message="请填写全宗号。"), Length(max=10)])
    org_code = StringField("机构（问题）代码", validators=[InputRequired(message="请填写机构（问题）代码。"),
                                                     Length(max=10)])
    default_retention = SelectField("默认保管期限", choices=list(RETENTIONS.items()), validate_choice=False)


class FileRecordForm(AppForm):
    retention = SelectField("保管期限", choices=list(RETENTIONS.items()))


class ReceiptForm(AppForm):
    delivered_by = StringField("送交人", validators=[InputRequired(message="请填写送交人。"),
                                                  Length(max=50, message="送交人不能超过 50 字。")])
    received_by = StringField("接收人", validators=[InputRequired(message="请填写接收人。"),
                                                 Length(max=50, message="接收人不能超过 50 字。")])
    received_on = DateField("接收日期", validators=[InputRequired(message="请填写接收日期。")])
    receipt = FileField("签收回执（图片或 PDF，不超过 20 MB）")

    def upload(self) -> tuple[str, bytes]:
        f = self.receipt.data
        if f is None or not getattr(f, "filename", ""):
            return "", b""
        return f.filename, f.read(MAX_RECEIPT_BYTES + 1)


class BatchForm(AppForm):
    medium = SelectField("载体", choices=list(MEDIA.items()), validate_choice=False,
                         validators=[InputRequired(message="请选择载体。")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000, message="说明不能超过 2000 字。")])


_ID = re.compile(r"[0-9]{1,18}")
_SMALL = re.compile(r"[0-9]{1,6}")


def parse_picks(form) -> list[Pick] | str:
    """The checked rows of the pending list with their copies, pages, remark and re-send reason;
    a Chinese message when a value is malformed."""
    ids = form.getlist("select")
    if len(ids) > MAX_BATCH:
        return f"一批最多送交 {MAX_BATCH} 件，请分批。"
    picks = []
    for raw in ids:
        if not _ID.fullmatch(raw or ""):
            return "所选文件无效，请刷新页面后重新选择。"
        copies = (form.get(f"copies-{raw}") or "1").strip()
        pages = (form.get(f"pages-{raw}") or "").strip()
        if not _SMALL.fullmatch(copies) or (pages and not _SMALL.fullmatch(pages)):
            return "份数和页数须为正整数。"
        picks.append(Pick(int(raw), int(copies), int(pages) if pages else None,
                          (form.get(f"remark-{raw}") or "")[:1000], (form.get(f"reason-{raw}") or "")[:5000]))
    return picks


def batch_input(destination_id: int, form: BatchForm, picks: list[Pick]) -> BatchInput:
    return BatchInput(destination_id, form.medium.data, picks, form.note.data or "")


class SelfReviewDecisionForm(AppForm):
    decision = SelectField("复核结论", choices=[("keep", "维持原公开属性"), ("change", "转为主动公开")])
    reason = TextAreaField("理由", validators=[InputRequired(message="请写明复核理由。"),
                                             Length(max=2000, message="理由不能超过 2000 字。")])


class SelfReviewResponseForm(AppForm):
    answer = SelectField("意见", choices=[("agree", "同意转为主动公开"), ("object", "有异议")])
    reason = TextAreaField("理由", validators=[Optional(), Length(max=2000, message="理由不能超过 2000 字。")])
