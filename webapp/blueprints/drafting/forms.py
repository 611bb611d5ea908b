from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...disclosure import DISCLOSURE_CHOICES, LEGAL_BASES
from ...services.drafting import DOC_TYPES, TOPIC_CATEGORIES, DraftInput
from ...urgency import URGENCY_CHOICES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DocumentForm(FlaskForm):
    title = StringField("标题", validators=[InputRequired(message="请填写标题。"), Length(max=200, message="标题不能超过 200 字。")])
    doc_type = SelectField("文种", choices=[(t, t) for t in DOC_TYPES])
    urgency = SelectField("紧急程度", choices=[(str(v), label) for v, label in URGENCY_CHOICES], default="0",
                          validate_choice=False)  # checked by the service, with its Chinese message
    recipients = StringField("主送机关", validators=[Length(max=500)])
    body_html = TextAreaField("正文")
    attachments_text = TextAreaField("附件说明", description="每行一个附件名称，如：2026年度政务公开工作要点", validators=[Length(max=5000)])
    topic_category = SelectField("主题分类", choices=[("", "请选择")] + [(c, c) for c in TOPIC_CATEGORIES], validators=[Optional()])
    disclosure = RadioField("公开属性", choices=DISCLOSURE_CHOICES, validators=[Optional()],
                            validate_choice=True)
    disclosure_reason = TextAreaField("不公开（依申请公开）理由", validators=[Length(max=5000)])
    legal_basis_codes = MultiCheckboxField("法律依据", choices=[(b.code, b.title) for b in LEGAL_BASES])
    may_involve_secrets = BooleanField("可能涉及国家秘密（先送保密办审查）")
    needs_interpretation = BooleanField("需要政策解读（解读材料与文件同步报审、同步发布）")
    interpretation_html = TextAreaField("解读材料")
    submit_comment = TextAreaField("提交说明（可选，如对公开属性建议的意见）", validators=[Length(max=2000)])
    version = HiddenField()
    intent = HiddenField(default="save")

    def to_input(self) -> DraftInput:
        return DraftInput(
            title=self.title.data or "",
            doc_type=self.doc_type.data or "",
            recipients=self.recipients.data or "",
            body_html=self.body_html.data or "",
            attachments_text=self.attachments_text.data or "",
            topic_category=self.topic_category.data or "",
            disclosure=self.disclosure.data or None,
            disclosure_reason=self.disclosure_reason.data or "",
            legal_basis_codes=list(self.legal_basis_codes.data or []),
            may_involve_secrets=bool(self.may_involve_secrets.data),
            needs_interpretation=bool(self.needs_interpretation.data),
            interpretation_html=self.interpretation_html.data or "",
            urgency=int(self.urgency.data) if (self.urgency.data or "0").isdigit() else -1,
        )


class ImportForm(FlaskForm):
    file = FileField("Word 草稿（.docx）", validators=[FileRequired(message="请选择要上传的 .docx 文件。")])
    title = StringField("标题（可选，默认取文件名）", validators=[Length(max=200)])
    doc_type = SelectField("文种", choices=[(t, t) for t in DOC_TYPES])


class AttachmentForm(FlaskForm):
    file = FileField("附件文件", validators=[FileRequired(message="请选择要上传的附件。")])
