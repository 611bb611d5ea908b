from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from ... import taxonomy
from ...disclosure import DISCLOSURE_CHOICES, LEGAL_BASES
from ...doctypes import DOC_TYPES
from ...richtext import clean_html
from ...services.drafting import MAX_BODY_CHARS, DraftInput, NewAttachment
from ...urgency import URGENCY_CHOICES
from ..forms import AppForm


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _option(value: str, label: str, chosen: str) -> str:
    return f"<option {html_params(value=value, selected=value == chosen)}>{escape(label)}</option>"


class _GroupedSelect(Select):
    """<option value="">请选择</option>, then one <optgroup> per first-level class."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        chosen = field.data or ""
        html = [f"<select {html_params(name=field.name, **kwargs)}>", _option("", "请选择", chosen)]
        for group, options in taxonomy.choices():
            html.append(f"<optgroup {html_params(label=group)}>")
            html.extend(_option(value, label, chosen) for value, label in options)
            html.append("</optgroup>")
        html.append("</select>")
        return Markup("".join(html))


class TopicField(SelectField):
    """主题分类: the State Council's two-level taxonomy (REFERENCE.md §1), stored as "一级/二级"."""

    widget = _GroupedSelect()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[("", "请选择"), *((c, c) for c in taxonomy.codes())],
                         validate_choice=False, **kwargs)

    def pre_validate(self, form):
        if self.data and not taxonomy.is_valid(self.data):
            raise ValidationError("请从列表中选择主题分类（国务院公文主题分类）。")


class DocumentForm(AppForm):
    title = StringField("标题", validators=[InputRequired(message="请填写标题。"), Length(max=200, message="标题不能超过 200 字。")])
    doc_type = SelectField("文种", choices=[(t, t) for t in DOC_TYPES])
    urgency = SelectField("紧急程度", choices=[(str(v), label) for v, label in URGENCY_CHOICES], default="0",
                          validate_choice=False)  # checked by the service, with its Chinese message
    recipients = StringField("主送机关", validators=[Length(max=500)])
    body_html = TextAreaField("正文")
    attachments_text = TextAreaField("附件说明", description="每行一个附件名称，如：2026年度政务公开工作要点", validators=[Length(max=5000)])
    topic_category = TopicField("主题分类", validators=[Optional()])
    catalogue_item_id = SelectField("目录事项", choices=[], validate_choice=False,
                                    coerce=lambda v: "" if v is None else str(v))  # issue 15
    disclosure = RadioField("公开属性", choices=DISCLOSURE_CHOICES, validators=[Optional()],
                            validate_choice=True)
    disclosure_reason = TextAreaField("不公开（依申请公开）理由", validators=[Length(max=5000)])
    legal_basis_codes = MultiCheckboxField("法律依据", choices=[(b.code, b.title) for b in LEGAL_BASES])
    may_involve_secrets = BooleanField("可能涉及国家秘密（先送保密办审查）")
    needs_interpretation = BooleanField("需要政策解读（解读材料与文件同步报审、同步发布）")
    interpretation_html = TextAreaField("解读材料")
    # 关键词 and 内容概述 (issue 8): shown on the portal and in its search; proposed when empty
    keywords = StringField("关键词", validators=[Length(max=300, message="关键词过长。")])
    summary = TextAreaField("内容概述", validators=[Length(max=300, message="内容概述不能超过 100 字。")])
    submit_comment = TextAreaField("提交说明（可选，如对公开属性建议的意见）", validators=[Length(max=2000)])
    # A file chosen here is saved together with the draft: an upload never reloads the
    # page over unsaved text (the buttons carry intent=attach or intent=detach-<file id>).
    file = FileField("上传附件")
    version = HiddenField()
    intent = HiddenField(default="save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ...services import catalogue  # the 目录事项 the drafter picks from (issue 15)

        self.catalogue_item_id.choices = [("", "（未选择）")] + catalogue.choices()

    def new_attachment(self, max_bytes: int) -> NewAttachment | None:
        """The file chosen in the form, read up to one byte past the limit; None when none was chosen."""
        upload = self.file.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        return NewAttachment(upload.filename, upload.read(max_bytes + 1))

    def detach_file_id(self) -> int | None:
        """The attachment whose 删除 button was pressed (intent=detach-<id>)."""
        intent = self.intent.data or ""
        if intent.startswith("detach-") and intent[7:].isascii() and intent[7:].isdigit() and len(intent) < 20:
            return int(intent[7:])
        return None

    def keep_clean_markup(self) -> None:
        """Before the form is shown again after a refusal: what goes back into the editor is the
        allow-listed HTML, never the markup as submitted (a body over the limit, refused for that,
        comes back cut at the limit)."""
        for name in ("body_html", "interpretation_html"):
            field = getattr(self, name)
            field.data = clean_html((field.data or "")[:MAX_BODY_CHARS])

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
            keywords=self.keywords.data or "",
            summary=self.summary.data or "",
            catalogue_item_id=int(self.catalogue_item_id.data) if (self.catalogue_item_id.data or "").isascii() and (self.catalogue_item_id.data or "").isdigit()
            and len(self.catalogue_item_id.data) < 12 else None,
            urgency=int(self.urgency.data) if (self.urgency.data or "0").isascii() and (self.urgency.data or "0").isdigit()
            and len(self.urgency.data or "0") < 4 else -1,
        )


class ImportForm(AppForm):
    file = FileField("Word 草稿（.docx）", validators=[FileRequired(message="请选择要上传的 .docx 文件。")])
    title = StringField("标题（可选，默认取文档中识别出的标题，否则取文件名）", validators=[Length(max=200)])
    doc_type = SelectField("文种", choices=[(t, t) for t in DOC_TYPES])


class AttachmentForm(AppForm):
    file = FileField("附件文件", validators=[FileRequired(message="请选择要上传的附件。")])
