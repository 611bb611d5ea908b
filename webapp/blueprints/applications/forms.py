"""Forms of the handler's pages (依申请公开)."""

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...applications_flow import APPLICANT_COLUMNS, CHANNELS, FORMS_WANTED, REMEDY_KINDS, REMEDY_RESULTS, REPLY_OUTCOMES
from ..forms import AppForm

CHANNEL_CHOICES = [(c.value, label) for c, (label, _rule) in CHANNELS.items()]
APPLICANT_CHOICES = [(t.value, label if group == label else f"{group}：{label}")
                     for t, (group, label) in APPLICANT_COLUMNS.items()]


class ChoiceField(SelectField):
    """A select whose value the service checks, with its Chinese message (WTForms' own
    "Not a valid choice" is English)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class RegisterForm(AppForm):
    channel = ChoiceField("申请方式", choices=CHANNEL_CHOICES, validators=[InputRequired(message="请选择申请方式。")])
    received_on = DateField("收到申请之日", validators=[InputRequired(message="请填写收到申请之日。")])
    applicant_type = ChoiceField("申请人类型", choices=APPLICANT_CHOICES,
                                 validators=[InputRequired(message="请选择申请人类型。")])
    applicant_name = StringField("申请人姓名或名称", validators=[InputRequired(message="请填写申请人姓名或名称。"),
                                                         Length(max=100, message="不能超过 100 字。")])
    id_doc_type = StringField("身份证明类型", validators=[Length(max=30, message="不能超过 30 字。")])
    id_doc_number = StringField("身份证明号码", validators=[Length(max=50, message="不能超过 50 字。")])
    contact_phone = StringField("联系电话", validators=[Length(max=30, message="不能超过 30 字。")])
    contact_address = StringField("通信地址", validators=[Length(max=200, message="不能超过 200 字。")])
    contact_email = StringField("电子邮箱", validators=[Length(max=100, message="不能超过 100 字。")])
    description = TextAreaField("所需政府信息的名称、文号或特征描述",
                                validators=[InputRequired(message="请填写所需信息的描述。"),
                                            Length(max=2000, message="不能超过 2000 字。")])
    form_wanted = ChoiceField("获取信息的方式", choices=list(FORMS_WANTED.items()))


class MoveForm(AppForm):
    """Every move's fields; each move reads the ones it needs (the service checks them)."""

    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])
    comment = TextAreaField("说明", validators=[Optional(), Length(max=5000, message="说明不能超过 5000 字。")])
    until = DateField("补正期限", validators=[Optional()])
    party = ChoiceField("征求意见对象", choices=[("third_party", "第三方（第三十二条）"), ("agency", "其他机关（第三十四条）")],
                        validators=[Optional()])
    party_name = StringField("单位或个人名称", validators=[Optional(), Length(max=100, message="不能超过 100 字。")])
    days = IntegerField("延长工作日数", validators=[Optional(), NumberRange(1, 20, message="延长的期限须为 1 至 20 个工作日。")])
    fee_method = ChoiceField("计费方式", choices=[("items", "按件计收"), ("pages", "按量计收")], validators=[Optional()])
    fee_quantity = IntegerField("页数（按量计收时填写）", validators=[Optional(), NumberRange(1, 100000, message="数量须在 1 至 100000 之间。")])
    outcome = ChoiceField("答复类型", choices=[("", "请选择")] + [(o.code, o.report_row) for o in REPLY_OUTCOMES],
                          validators=[Optional()])
    reply_text = TextAreaField("答复内容（可修改）", validators=[Optional(), Length(max=5000, message="不能超过 5000 字。")])


class SearchForm(AppForm):
    notes = TextAreaField("检索情况", validators=[InputRequired(message="请填写检索情况。"),
                                              Length(max=5000, message="不能超过 5000 字。")])


class AssignForm(AppForm):
    handler = ChoiceField("经办人", coerce=int, validators=[InputRequired(message="请选择经办人。")])
    version = IntegerField(validators=[InputRequired(message="缺少版本号，请刷新页面。")])


class RemedyForm(AppForm):
    kind = ChoiceField("类型", choices=[("", "请选择")] + list(REMEDY_KINDS.items()))
    result = ChoiceField("结果", choices=[("", "请选择")] + list(REMEDY_RESULTS.items()))
    note = TextAreaField("说明（案号、机关等）", validators=[Optional(), Length(max=5000, message="不能超过 5000 字。")])


class ProvideForm(AppForm):
    doc_number = StringField("文号", validators=[InputRequired(message="请填写要提供的文件的文号。"),
                                               Length(max=60, message="文号不能超过 60 字。")])


class FindingForm(AppForm):
    decision = ChoiceField("处理", choices=[("mask", "遮盖"), ("keep", "保留")],
                           validators=[InputRequired(message="请选择遮盖或保留。")])
    keep_reason = StringField("保留理由", validators=[Optional(), Length(max=500, message="不能超过 500 字。")])


class EyeCheckForm(AppForm):
    """An attachment the engine cannot read, looked at: sent as it is, or withheld."""
    decision = ChoiceField("目视检查结果", choices=[("send", "随答复提供"), ("withhold", "不提供")],
                           validators=[InputRequired(message="请选择随答复提供或不提供。")])
