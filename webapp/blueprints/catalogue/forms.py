from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ...catalogue import AUDIENCES, MODES
from ..forms import AppForm, VersionedForm


class ItemForm(AppForm):
    domain = StringField("领域", description="如：安全生产、救灾", validators=[Length(max=30, message="领域不能超过 30 字。")])
    name = StringField("公开事项名称", validators=[Length(max=100, message="名称不能超过 100 字。")])
    content = TextAreaField("公开内容（要素）", validators=[Length(max=2000, message="不能超过 2000 字。")])
    basis = TextAreaField("公开依据", description="法律法规及条款，如：《中华人民共和国政府信息公开条例》第二十条",
                          validators=[Length(max=2000, message="不能超过 2000 字。")])
    time_limit = StringField("公开时限", description="如：信息形成或变更之日起20个工作日内；实时；每季度",
                             validators=[Length(max=100, message="不能超过 100 字。")])
    subject = StringField("公开主体", validators=[Length(max=200, message="不能超过 200 字。")])
    channels = StringField("公开渠道和载体", description="用顿号分隔，如：政府网站、政务新媒体、公开栏",
                           validators=[Length(max=300, message="不能超过 300 字。")])
    audience = SelectField("公开对象", choices=[("", "（未填）")] + [(a, a) for a in AUDIENCES], validators=[Optional()])
    mode = SelectField("公开方式", choices=[("", "（未填）")] + [(m, m) for m in MODES], validators=[Optional()])
    level = StringField("公开层级", description="县级、乡级，或二者", validators=[Length(max=20, message="不能超过 20 字。")])

    def values(self) -> dict[str, str]:
        return {f: getattr(self, f).data or "" for f in
                ("domain", "name", "content", "basis", "time_limit", "subject", "channels", "audience", "mode", "level")}


class ImportForm(AppForm):
    file = FileField("目录表格（.xlsx）")


class DocumentItemForm(VersionedForm):
    catalogue_item_id = SelectField("目录事项", choices=[], validate_choice=False)


class MismatchForm(VersionedForm):
    reason = TextAreaField("确认理由", validators=[Length(max=1000, message="理由不能超过 1000 字。")])


class ChannelForm(AppForm):
    channel = SelectField("发布渠道", choices=[], validate_choice=False)
    start_date = DateField("发布（张贴）日期", validators=[Optional()], format="%Y-%m-%d")
    end_date = DateField("撤下日期（可空）", validators=[Optional()], format="%Y-%m-%d")
    place = StringField("张贴地点（公开栏）", validators=[Length(max=200, message="地点不能超过 200 字。")])
    account = StringField("账号名称（政务新媒体）", validators=[Length(max=100, message="账号不能超过 100 字。")])
    link = StringField("链接", validators=[Length(max=500, message="链接不能超过 500 字。")])
    note = StringField("说明", validators=[Length(max=500, message="说明不能超过 500 字。")])
