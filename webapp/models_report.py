"""Models of the annual report (政府信息公开工作年度报告, R12, issue 12).

Imported at the end of models.py.  One row per year: the office's switch for 规章, the three
text sections written in the browser, and the 公文 draft it became (a Document of doc_type 报告
flagged with ``annual_report_year``).  The figures themselves are never stored: they are
computed from the records each time (services/annual_report.py), except the hand entries —
one row per cell, with who entered it and when (and an audit event per change).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models import User, UTCDateTime, utcnow
from .models_applications import Application


class AnnualReport(db.Model):
    __tablename__ = "annual_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    makes_rules: Mapped[bool] = mapped_column(Boolean, default=False)  # the agency makes 规章
    overview_html: Mapped[str] = mapped_column(Text, default="")  # 一、总体情况
    problems_html: Mapped[str] = mapped_column(Text, default="")  # 五、存在的主要问题及改进情况
    other_html: Mapped[str] = mapped_column(Text, default="")  # 六、其他需要报告的事项
    recipients: Mapped[str] = mapped_column(String(500), default="")  # 主送 of the 报告
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}


class AnnualReportEntry(db.Model):
    """A figure entered by hand: a table 二 row the records cannot know, or an adjustment (补录)
    of a table 三/四 cell.  ``value`` is the text typed (an integer, or 万元 for the fees)."""

    __tablename__ = "annual_report_entries"
    __table_args__ = (UniqueConstraint("report_id", "cell", name="uq_annual_report_entries_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("annual_reports.id"))
    cell: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(20))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_by_name: Mapped[str] = mapped_column(String(50), default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The report's aggregate counts read applications by the day received and the day replied.
Index("ix_applications_received_on", Application.received_on)
Index("ix_applications_replied_on", Application.replied_on)
