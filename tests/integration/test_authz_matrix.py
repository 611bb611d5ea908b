"""Every route × every role (and anonymous) × own/other department.

The table below is the authorisation policy written down once more, by hand.
The test walks the application's URL map: a route that has no guard, or no row
here, fails — so a new route cannot ship without its rule.
"""

from __future__ import annotations

import pytest

from tests.conftest import login, make_app
from tests.helpers import act, doc, new_draft, submitted, user
from webapp.extensions import db
from webapp.workflow import Action, Role

PRINCIPALS = ("anonymous", "drafter", "colleague", "secrecy", "office", "leader", "publisher", "archivist", "admin",
              "handler", "other_handler", "head", "dept_head", "other_head")
EVERYONE = frozenset(PRINCIPALS)
LOGGED_IN = EVERYONE - {"anonymous"}
REVIEWERS = {"secrecy", "office", "leader"}
# dept_head: 处室负责人 of the drafters' department (应急救援处); other_head: of 法规处, listed as
# a 会签 department on countersign_doc only.
HEADS = {"dept_head", "other_head"}
DECIDERS = REVIEWERS | HEADS  # who keeps personal opinion phrases

# endpoint -> list of (method, url kwargs (names resolved below), form data, allowed principals)
# Documents: mine_draft (drafter's draft, incomplete), mine_returned (drafter's, returned with a
# proposal), dept_review (colleague's, same department, at office review), other_review (another
# department's, at office review), other_draft (another department's draft), check_doc (colleague's,
# at the department's 核稿), countersign_doc (colleague's, at 会签 with 法规处 listed).
MATRIX: dict[str, list[tuple[str, dict, dict, set[str]]]] = {
    "main.index": [("GET", {}, {}, LOGGED_IN)],
    "main.documents": [("GET", {}, {}, LOGGED_IN)],
    "main.document": [
        ("GET", {"doc_id": "dept_review"}, {}, {"drafter", "colleague", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "other_review"}, {}, REVIEWERS),
        ("GET", {"doc_id": "mine_draft"}, {}, {"drafter"}),
        ("GET", {"doc_id": "other_draft"}, {}, set()),
        ("GET", {"doc_id": "approved"}, {}, {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "check_doc"}, {}, {"drafter", "colleague", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "countersign_doc"}, {}, {"drafter", "colleague"} | HEADS | REVIEWERS),
    ],
    "main.preview_css": [("GET", {}, {}, EVERYONE)],
    "main.preview": [
        ("GET", {"doc_id": "issued"}, {}, {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "other_review"}, {}, REVIEWERS),
        ("GET", {"doc_id": "other_draft"}, {}, set()),
    ],
    "main.download": [
        ("GET", {"doc_id": "issued", "file_id": "official"}, {},
         {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "other_issued", "file_id": "other_official"}, {}, {"publisher", "archivist"} | REVIEWERS),
    ],
    "drafting.add_attachment": [
        ("POST", {"doc_id": "mine_draft"}, {}, {"drafter"}),  # no file: refused as incomplete
        ("POST", {"doc_id": "other_draft"}, {}, set()),
    ],
    "drafting.remove_attachment": [
        ("POST", {"doc_id": "other_draft", "file_id": "other_attachment"}, {}, set()),
        ("POST", {"doc_id": "mine_draft", "file_id": "attachment"}, {}, {"drafter"}),
    ],
    "publishing.eye_checked": [("POST", {"doc_id": "issued", "file_id": "pdf"}, {}, {"publisher"})],
    "publishing.withhold": [("POST", {"doc_id": "issued", "file_id": "pdf"}, {}, {"publisher"})],
    "drafting.import_docx": [("GET", {}, {}, {"drafter", "colleague"}), ("POST", {}, {}, {"drafter", "colleague"})],
    "issuing.queue": [("GET", {}, {}, {"office"})],
    "issuing.issue": [
        ("GET", {"doc_id": "approved"}, {}, {"office"}),
        ("POST", {"doc_id": "approved"}, {}, {"office"}),  # an empty form: refused as incomplete, nothing issued
    ],
    "publishing.queue": [("GET", {}, {}, {"publisher"})],
    "publishing.review": [("GET", {"doc_id": "issued"}, {}, {"publisher"}),
                          ("GET", {"doc_id": "other_issued"}, {}, {"publisher"}),
                          ("GET", {"doc_id": "approved"}, {}, set())],
    # empty forms: refused as invalid after the role check, so nothing changes
    "publishing.decide": [("POST", {"doc_id": "issued", "finding_id": "finding"}, {}, {"publisher"})],
    "publishing.scan": [("POST", {"doc_id": "issued"}, {}, {"publisher"}),
                        ("POST", {"doc_id": "approved"}, {}, set())],
    "publishing.add": [("POST", {"doc_id": "issued"}, {}, {"publisher"})],
    "publishing.confirm": [("POST", {"doc_id": "issued"}, {}, {"publisher"})],
    # publication (issue 8): empty forms are refused as incomplete after the role check
    "publishing.ready": [("GET", {}, {}, {"publisher"})],
    "publishing.publish": [("POST", {}, {}, {"publisher"})],
    "publishing.batch": [("GET", {"batch": "0123456789abcdef"}, {}, {"publisher"})],  # none such: 404 after the role check
    "publishing.retry": [("POST", {"message_id": "message"}, {}, {"publisher"})],
    "publishing.withdraw": [("GET", {"doc_id": "published"}, {}, {"publisher"}),
                            ("POST", {"doc_id": "published"}, {}, {"publisher"}),
                            ("GET", {"doc_id": "withdrawn"}, {}, set())],
    "publishing.republish": [("POST", {"doc_id": "withdrawn"}, {}, {"publisher"}),
                             ("POST", {"doc_id": "published"}, {}, set())],
    "publishing.correct": [("GET", {"doc_id": "withdrawn"}, {}, {"publisher"}),
                           ("POST", {"doc_id": "withdrawn"}, {}, {"publisher"}),  # no note: refused, nothing moves
                           ("GET", {"doc_id": "published"}, {}, set())],
    "publishing.set_abstract": [  # an empty form: refused as incomplete after the role check
        ("POST", {"doc_id": "dept_review"}, {}, {"office"}),
        ("POST", {"doc_id": "approved"}, {"version": "@approved"}, set()),  # past review: refused
    ],
    "publishing.published": [("GET", {}, {}, {"publisher"})],
    "publishing.deadline": [  # dept_head: the head of the drafting department sees its submitted documents
        ("GET", {"doc_id": "issued"}, {}, {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "published"}, {}, {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "other_draft"}, {}, set()),
    ],
    "admin.agency": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    "admin.holidays_page": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    "admin.delete_holiday": [("POST", {"day": "2027-01-01"}, {}, {"admin"})],
    "admin.holiday_year": [("POST", {}, {}, {"admin"})],
    "admin.codes": [("GET", {}, {}, {"admin"})],
    "admin.new_code": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    "admin.edit_code": [("GET", {"code_id": "code"}, {}, {"admin"}), ("POST", {"code_id": "code"}, {}, {"admin"})],
    # the standard catalogue (issue 15): read by everyone logged in, kept by the admin and the office;
    # empty forms and an import that does not exist are refused after the role check
    "catalogue.index": [("GET", {}, {}, LOGGED_IN)],
    "catalogue.export": [("GET", {}, {}, LOGGED_IN)],
    "catalogue.history": [("GET", {"item_id": "item"}, {}, LOGGED_IN)],
    "catalogue.new_item": [("GET", {}, {}, {"admin", "office"}), ("POST", {}, {}, {"admin", "office"})],
    "catalogue.edit_item": [("GET", {"item_id": "item"}, {}, {"admin", "office"}),
                            ("POST", {"item_id": "item"}, {}, {"admin", "office"})],
    "catalogue.import_sheet": [("GET", {}, {}, {"admin", "office"}), ("POST", {}, {}, {"admin", "office"})],
    "catalogue.import_preview": [("GET", {"import_id": 999999}, {}, {"admin", "office"})],
    "catalogue.apply_import": [("POST", {"import_id": 999999}, {}, {"admin", "office"})],
    "catalogue.publish": [("POST", {}, {}, {"admin", "office"})],  # the catalogue to the portal, through the outbox
    "catalogue.document_item": [
        ("POST", {"doc_id": "dept_review"}, {"catalogue_item_id": "", "version": "0"}, {"office"}),
        ("POST", {"doc_id": "other_review"}, {"catalogue_item_id": "", "version": "0"}, {"office"}),
        ("POST", {"doc_id": "approved"}, {"catalogue_item_id": "", "version": "0"}, set()),  # past review
    ],
    "catalogue.confirm_mismatch": [
        ("POST", {"doc_id": "dept_review"}, {"reason": "", "version": "0"}, {"office"}),
        ("POST", {"doc_id": "approved"}, {"reason": "", "version": "0"}, set()),
    ],
    "catalogue.record_channel": [  # an empty form: refused as incomplete after the checks
        ("POST", {"doc_id": "published"}, {}, {"publisher"}),
        ("POST", {"doc_id": "other_draft"}, {}, set()),
    ],
    "auth.login": [("GET", {}, {}, EVERYONE), ("POST", {}, {}, EVERYONE)],
    "auth.logout": [("POST", {}, {}, LOGGED_IN)],
    "auth.change_password": [("GET", {}, {}, LOGGED_IN), ("POST", {}, {}, LOGGED_IN)],
    "drafting.new": [("GET", {}, {}, {"drafter", "colleague"}), ("POST", {}, {}, {"drafter", "colleague"})],
    "drafting.mine": [("GET", {}, {}, {"drafter", "colleague"})],
    "drafting.returned": [("GET", {}, {}, {"drafter", "colleague"})],
    "drafting.department": [("GET", {}, {}, {"drafter", "colleague"})],
    "drafting.edit": [
        ("GET", {"doc_id": "mine_draft"}, {}, {"drafter"}),
        ("GET", {"doc_id": "dept_review"}, {}, set()),
        ("GET", {"doc_id": "other_draft"}, {}, set()),
        ("POST", {"doc_id": "mine_draft"}, {"title": "", "version": "0"}, {"drafter"}),
        ("POST", {"doc_id": "other_draft"}, {"title": "", "version": "0"}, set()),
    ],
    "drafting.submit": [
        ("POST", {"doc_id": "mine_draft"}, {"version": "@mine_draft"}, {"drafter"}),
        ("POST", {"doc_id": "other_draft"}, {"version": "@other_draft"}, set()),
    ],
    "drafting.accept_proposal": [
        ("POST", {"doc_id": "mine_returned"}, {"version": "0"}, {"drafter"}),
        ("POST", {"doc_id": "other_returned"}, {"version": "0"}, set()),
    ],
    "review.queue": [
        ("GET", {"stage": "office_review"}, {}, {"office"}),
        ("GET", {"stage": "secrecy_review"}, {}, {"secrecy"}),
        ("GET", {"stage": "dept_check"}, {}, HEADS),
        ("GET", {"stage": "countersign"}, {}, HEADS),
    ],
    "review.decision_form": [
        ("GET", {"doc_id": "dept_review", "action": "return"}, {}, {"office"}),
        ("GET", {"doc_id": "other_review", "action": "return"}, {}, {"office"}),
        ("GET", {"doc_id": "check_doc", "action": "return"}, {}, {"dept_head"}),
        ("GET", {"doc_id": "countersign_doc", "action": "return"}, {}, {"other_head"}),
    ],
    "review.decide": [
        # a return without its comment: refused as incomplete (422) after the role check, so nothing moves
        ("POST", {"doc_id": "dept_review"}, {"action": "return", "version": "@dept_review"}, {"office"}),
        ("POST", {"doc_id": "other_review"}, {"action": "return", "version": "@other_review"}, {"office"}),
        ("POST", {"doc_id": "approved"}, {"action": "return", "version": "@approved"}, set()),
        ("POST", {"doc_id": "check_doc"}, {"action": "return", "version": "@check_doc"}, {"dept_head"}),
        ("POST", {"doc_id": "countersign_doc"}, {"action": "return", "version": "@countersign_doc"}, {"other_head"}),
    ],
    # 会签 departments: the drafter before submitting, the office while reviewing or during the 会签.
    # Empty forms or an unlisted department: refused as invalid after the permission check.
    "approval.add_countersign": [
        ("POST", {"doc_id": "mine_draft"}, {}, {"drafter"}),
        ("POST", {"doc_id": "dept_review"}, {}, {"office"}),
        ("POST", {"doc_id": "countersign_doc"}, {}, {"office"}),
        ("POST", {"doc_id": "other_draft"}, {}, set()),
        ("POST", {"doc_id": "approved"}, {}, set()),
    ],
    "approval.remove_countersign": [
        ("POST", {"doc_id": "mine_draft", "dept_id": "风险监测处"}, {}, {"drafter"}),
        ("POST", {"doc_id": "countersign_doc", "dept_id": "风险监测处"}, {}, {"office"}),
        ("POST", {"doc_id": "approved", "dept_id": "风险监测处"}, {}, set()),
    ],
    # phrases are each user's own: another's phrase is 404 (tests/integration/test_approval.py)
    "approval.phrases": [("GET", {}, {}, DECIDERS), ("POST", {}, {}, DECIDERS)],
    "approval.delete_phrase": [("POST", {"phrase_id": "phrase"}, {}, DECIDERS)],
    "approval.sheet": [
        ("GET", {"doc_id": "issued"}, {}, {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "other_issued"}, {}, {"publisher", "archivist"} | REVIEWERS),
        ("GET", {"doc_id": "countersign_doc"}, {}, {"drafter", "colleague"} | HEADS | REVIEWERS),
        ("GET", {"doc_id": "other_draft"}, {}, set()),
    ],
    "approval.sheet_docx": [
        ("GET", {"doc_id": "issued"}, {}, {"drafter", "colleague", "publisher", "archivist", "dept_head"} | REVIEWERS),
        ("GET", {"doc_id": "other_issued"}, {}, {"publisher", "archivist"} | REVIEWERS),
        ("GET", {"doc_id": "other_draft"}, {}, set()),
    ],
    "approval.queue": [("GET", {}, {}, {"leader"})],
    "admin.users": [("GET", {}, {}, {"admin"})],
    "admin.new_user": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    "admin.edit_user": [("GET", {"user_id": "target"}, {}, {"admin"}), ("POST", {"user_id": "target"}, {}, {"admin"})],
    "admin.reset_password": [("POST", {"user_id": "target"}, {}, {"admin"})],
    "admin.departments": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    "admin.edit_department": [("GET", {"dept_id": "dept"}, {}, {"admin"}), ("POST", {"dept_id": "dept"}, {}, {"admin"})],
    # transfers and 归档 (issue 11): empty forms are refused as incomplete after the role check
    "transfers.dashboard": [("GET", {}, {}, {"archivist"})],
    "transfers.pending": [("GET", {"dest_id": "dest"}, {}, {"archivist"})],
    "transfers.create_batch": [("POST", {"dest_id": "dest"}, {}, {"archivist"})],
    "transfers.batch": [("GET", {"batch_id": "batch"}, {}, {"archivist"})],
    "transfers.receipt": [("POST", {"batch_id": "batch"}, {}, {"archivist"})],
    "transfers.download": [("GET", {"batch_id": "batch", "file_id": "transfer_list"}, {}, {"archivist"})],
    "transfers.file_record": [("POST", {"doc_id": "published"}, {}, {"archivist"})],
    "transfers.destinations": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    "transfers.edit_destination": [("GET", {"dest_id": "dest"}, {}, {"admin"}),
                                   ("POST", {"dest_id": "dest"}, {}, {"admin"})],
    "transfers.archive_settings": [("GET", {}, {}, {"admin"}), ("POST", {}, {}, {"admin"})],
    # the yearly self-review (R10): the office decides, the archivist reads, the drafter answers
    "transfers.self_review_list": [("GET", {}, {}, {"office", "archivist"})],
    "transfers.self_review_decide": [("POST", {"doc_id": "published"}, {}, {"office"})],
    "transfers.self_review_summary": [("GET", {}, {}, {"office", "archivist"})],
    "transfers.self_review_mine": [("GET", {}, {}, {"drafter", "colleague"})],
    "transfers.self_review_respond": [("POST", {"review_id": "999999"}, {}, {"drafter", "colleague"})],
    # R11: the clean-up of 行政规范性文件 — the office decides, the archivist reads
    "validity.due": [("GET", {}, {}, {"office", "archivist"})],
    "validity.document": [("GET", {"doc_id": "published"}, {}, {"office", "archivist"})],
    "validity.decide": [("POST", {"doc_id": "published"}, {}, {"office"})],
    # citizens' applications (issue 9): "application" registered by the handler (办公室), "other_application"
    # by the handler of 风险监测处; the office and the head of the disclosure office see both.  Empty forms:
    # refused as incomplete (422) after the role and ownership checks, so nothing changes.
    # issue 12: the dashboard and the lists behind its numbers for the office and the leaders; the
    # 待办 list and the reminders for everyone (a reminder of another's, or none such: 404)
    "dashboard.index": [("GET", {}, {}, {"office", "leader"})],
    "dashboard.records": [("GET", {"metric": "published"}, {}, {"office", "leader"}),
                          ("GET", {"metric": "applications", "due": "overdue"}, {}, {"office", "leader"})],
    "dashboard.todo_page": [("GET", {}, {}, LOGGED_IN)],
    "dashboard.reminders_page": [("GET", {}, {}, LOGGED_IN)],
    "dashboard.mark_read": [("POST", {"reminder_id": 999999}, {}, LOGGED_IN)],
    "dashboard.mark_all_read": [("POST", {}, {}, LOGGED_IN)],
    "applications.queue": [("GET", {}, {}, {"handler", "other_handler", "head", "office"})],
    "applications.register": [("GET", {}, {}, {"handler", "other_handler"}),
                              ("POST", {}, {}, {"handler", "other_handler"})],
    "applications.detail": [("GET", {"app_id": "application"}, {}, {"handler", "head", "office"}),
                            ("GET", {"app_id": "other_application"}, {}, {"other_handler", "head", "office"})],
    "applications.clock_page": [("GET", {"app_id": "application"}, {}, {"handler", "head", "office"}),
                                ("GET", {"app_id": "other_application"}, {}, {"other_handler", "head", "office"})],
    "applications.act": [("POST", {"app_id": "application", "action": "request_extension"}, {}, {"handler", "head", "office"}),
                         ("POST", {"app_id": "other_application", "action": "approve_extension"}, {},
                          {"other_handler", "head", "office"})],
    "applications.assign": [("POST", {"app_id": "application"}, {}, {"head", "office"}),
                            ("POST", {"app_id": "other_application"}, {}, {"head", "office"})],
    "applications.remedy": [("POST", {"app_id": "application"}, {}, {"handler", "head", "office"}),
                            ("POST", {"app_id": "other_application"}, {}, {"other_handler", "head", "office"})],
    "applications.search": [("POST", {"app_id": "application"}, {}, {"handler"}),
                            ("POST", {"app_id": "other_application"}, {}, {"other_handler"})],
    # documents a reply provides and their de-identification review: the handler(s) of the application and the office
    "applications.provide": [("POST", {"app_id": "application"}, {}, {"handler", "office"}),
                             ("POST", {"app_id": "other_application"}, {}, {"other_handler", "office"})],
    "applications.remove_provided": [("POST", {"app_id": "application", "provided_id": "999999"}, {},
                                      {"handler", "office"}),
                                     ("POST", {"app_id": "other_application", "provided_id": "999999"}, {},
                                      {"other_handler", "office"})],
    "applications.decide_finding": [("POST", {"app_id": "application", "provided_id": "999999", "finding_id": "999999"},
                                     {}, {"handler", "office"})],
    "applications.check_attachment": [("POST", {"app_id": "application", "provided_id": "999999",
                                                 "attachment_id": "999999"}, {}, {"handler", "office"}),
                                       ("POST", {"app_id": "other_application", "provided_id": "999999",
                                                 "attachment_id": "999999"}, {}, {"other_handler", "office"})],
    "applications.confirm_provided": [("POST", {"app_id": "other_application", "provided_id": "999999"}, {},
                                       {"other_handler", "office"})],
    "applications.resend_status": [("POST", {"app_id": "application"}, {}, {"handler", "head", "office"}),
                                   ("POST", {"app_id": "other_application"}, {}, {"other_handler", "head", "office"})],
    "applications.download": [("GET", {"app_id": "application", "file_id": "receipt"}, {}, {"handler", "head", "office"}),
                              ("GET", {"app_id": "other_application", "file_id": "other_receipt"}, {},
                               {"other_handler", "head", "office"})],
    # the annual report (issue 12): read by the office, the leader and the head of the disclosure office,
    # written by the office; empty forms are refused as incomplete after the role check
    "annual_report.index": [("GET", {}, {}, {"office", "leader", "head"})],
    "annual_report.report": [("GET", {"year": 2025}, {}, {"office", "leader", "head"})],
    "annual_report.cell": [("GET", {"year": 2025, "cell": "t3.new.total"}, {}, {"office", "leader", "head"})],
    "annual_report.download": [("GET", {"year": 2025}, {}, {"office", "leader", "head"})],
    "annual_report.open_report": [("POST", {"year": 2025}, {}, {"office"})],
    "annual_report.entries": [("POST", {"year": 2025}, {}, {"office"})],
    "annual_report.text": [("POST", {"year": 2025}, {}, {"office"})],
    "annual_report.draft": [("POST", {"year": 2025}, {}, {"office"})],
}


@pytest.fixture(scope="module")
def world(database_url):
    """One app, one cast, one set of documents and one logged-in client per principal."""
    app = make_app(database_url, WTF_CSRF_ENABLED=False)
    from tests.conftest import People

    people = People(app)
    ids = {
        "drafter": people.user("drafter", Role.DRAFTER),
        "colleague": people.user("colleague", Role.DRAFTER),
        "other": people.user("other", Role.DRAFTER, department="风险监测处"),
        "secrecy": people.user("secrecy", Role.SECRECY, department="保密办"),
        "office": people.user("office", Role.OFFICE, department="办公室"),
        "leader": people.user("leader", Role.LEADER, department="办公室"),
        "publisher": people.user("publisher", Role.PUBLISHER, department="办公室"),
        "archivist": people.user("archivist", Role.ARCHIVIST, department="办公室"),
        "admin": people.user("admin", Role.ADMIN, department="办公室"),
        "target": people.user("target", Role.DRAFTER),
        "handler": people.user("handler", Role.HANDLER, department="办公室"),
        "other_handler": people.user("other_handler", Role.HANDLER, department="风险监测处"),
        "head": people.user("head", Role.DISCLOSURE_HEAD, department="办公室"),
        "dept_head": people.user("dept_head", Role.DEPT_HEAD),
        "other_head": people.user("other_head", Role.DEPT_HEAD, department="法规处"),
    }
    with app.app_context():
        docs = {
            "mine_draft": new_draft(ids["drafter"], disclosure=None),
            "other_draft": new_draft(ids["other"], disclosure=None),
            "dept_review": submitted(ids["colleague"]),
            "other_review": submitted(ids["other"]),
            "mine_returned": submitted(ids["drafter"]),
            "other_returned": submitted(ids["other"]),
            "approved": submitted(ids["colleague"]),
            "issued": new_draft(ids["colleague"]),
            "other_issued": submitted(ids["other"]),
            "published": new_draft(ids["colleague"]),
            "withdrawn": new_draft(ids["colleague"]),
        }
        from webapp.services import drafting

        drafting.add_attachment(docs["issued"], user(ids["colleague"]), "扫描件.pdf", b"%PDF-1.4 scan\n%%EOF\n")
        from webapp.models import Department
        from webapp.services import accounts, countersign, opinions

        depts = {d.name: d.id for d in db.session.execute(db.select(Department)).scalars()}
        docs["countersign_doc"] = new_draft(ids["colleague"])
        countersign.add_department(docs["countersign_doc"], user(ids["colleague"]), depts["法规处"])
        act(docs["countersign_doc"], ids["colleague"], Action.SUBMIT)
        act(docs["countersign_doc"], ids["office"], Action.APPROVE)
        accounts.save_department("应急救援处", None, depts["应急救援处"], requires_dept_check=True)
        docs["check_doc"] = submitted(ids["colleague"])  # waits for the department's 核稿
        accounts.save_department("应急救援处", None, depts["应急救援处"], requires_dept_check=False)
        phrase_id = opinions.save_phrase(user(ids["office"]), "拟同意。").id
        act(docs["issued"], ids["colleague"], Action.SUBMIT)
        drafting.add_attachment(docs["mine_draft"], user(ids["drafter"]), "附件.txt", b"text")
        drafting.add_attachment(docs["other_draft"], user(ids["other"]), "附件.txt", b"text")
        for key in ("mine_returned", "other_returned"):
            act(docs[key], ids["office"], Action.RETURN, "请改为不予公开", proposed_disclosure="not_public",
                proposal_reason="涉及内部事务")
        for key in ("approved", "issued", "other_issued"):
            act(docs[key], ids["office"], Action.APPROVE)
            act(docs[key], ids["leader"], Action.APPROVE)
        from webapp.models import Department
        from webapp.services import files, issuing

        code = issuing.save_code(None, "豫应急办", "河南省应急管理厅文件", "河南省应急管理厅", "河南省应急管理厅办公室")
        for key in ("issued", "other_issued"):
            d = doc(docs[key])
            issuing.issue_document(d.id, user(ids["office"]), d.version,
                                   issuing.IssueInput(code.id, issuing.default_written_date(d), issuing.default_written_date(d)))
        from webapp.services import deid_review

        deid_review.add_by_hand(docs["issued"], user(ids["publisher"]), "*", "政务公开", "person_name")
        from tests.pubhelpers import set_agency
        from webapp.services import publication

        set_agency(ids["admin"])
        for key in ("published", "withdrawn"):
            act(docs[key], ids["colleague"], Action.SUBMIT)
            act(docs[key], ids["office"], Action.APPROVE)
            act(docs[key], ids["leader"], Action.APPROVE)
            d = doc(docs[key])
            issuing.issue_document(d.id, user(ids["office"]), d.version,
                                   issuing.IssueInput(code.id, issuing.default_written_date(d), issuing.default_written_date(d)))
            for f in deid_review.findings_of(d.id):
                deid_review.decide(d.id, f.id, user(ids["publisher"]), "mask")
            deid_review.confirm(d.id, user(ids["publisher"]), doc(d.id).version)
            publication.publish(d.id, user(ids["publisher"]), doc(d.id).version)
        publication.withdraw(docs["withdrawn"], user(ids["publisher"]), doc(docs["withdrawn"]).version, "测试撤回")
        from webapp.models import OutboxMessage

        message_id = db.session.execute(db.select(OutboxMessage.id)).scalars().first()
        finding_id = deid_review.findings_of(docs["issued"])[0].id
        file_ids = {"official": files.latest(docs["issued"], "official").id,
                    "pdf": files.latest(docs["issued"], "attachment").id,
                    "attachment": files.latest(docs["mine_draft"], "attachment").id,
                    "other_attachment": files.latest(docs["other_draft"], "attachment").id,
                    "other_official": files.latest(docs["other_issued"], "official").id}
        dept = db.session.execute(db.select(Department)).scalars().first().id
        code_id = code.id
        from webapp.services import catalogue

        catalogue.seed_first_level()
        item_id = catalogue.tree()[0].item.id
        from webapp.services import transfers

        dest = transfers.save_destination(user(ids["admin"]), None, transfers.DestinationInput(
            "library", "省图书馆", "王老师", "0371-1", "", 15)).id
        batch = transfers.create_batch(user(ids["archivist"]), transfers.BatchInput(
            dest, "paper", [transfers.Pick(docs["published"])])).id
        file_ids["transfer_list"] = transfers.batch_files(batch)[0].id
        from webapp import clock as agency_clock
        from webapp.services import applications

        def application(who: str) -> int:
            return applications.register(user(ids[who]), applications.RegisterInput(
                "in_person", agency_clock.agency_today(), "person", "李明", "某文件", contact_phone="13800001234")).id

        apps = {"application": application("handler"), "other_application": application("other_handler")}
        for key, app_id in list(apps.items()):
            file_ids[key.replace("application", "receipt")] = applications.files_of(app_id)[0].id
    clients = {"anonymous": app.test_client()}
    for name in PRINCIPALS[1:]:
        clients[name] = app.test_client()
        login(clients[name], name)
    yield {"app": app, "ids": ids, "docs": docs, "dept": dept, "clients": clients, "files": file_ids, "apps": apps,
           "dest": dest, "batch": batch,
           "code": code_id, "finding": finding_id, "message": message_id, "item": item_id,
           "depts": depts, "phrase": phrase_id}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _resolve(world, kwargs: dict) -> dict:
    out = {}
    for k, v in kwargs.items():
        if k == "doc_id":
            out[k] = world["docs"][v]
        elif k == "app_id":
            out[k] = world["apps"][v]
        elif k == "user_id":
            out[k] = world["ids"][v]
        elif k == "dept_id":
            out[k] = world["depts"].get(v, world["dept"])
        elif k == "file_id":
            out[k] = world["files"][v]
        elif k == "code_id":
            out[k] = world["code"]
        elif k == "finding_id":
            out[k] = world["finding"]
        elif k in ("dest_id", "batch_id"):
            out[k] = world[k.removesuffix("_id")]
        elif k == "message_id":
            out[k] = world["message"]
        elif k == "item_id":
            out[k] = world["item"]
        elif k == "phrase_id":
            out[k] = world["phrase"]
        else:
            out[k] = v
    return out


def _version(world, key: str) -> str:
    from webapp.models import Document

    with world["app"].app_context():
        return str(db.session.get(Document, world["docs"][key]).version)


def allowed(resp) -> bool:
    if resp.status_code in (401, 403):
        return False
    if resp.status_code == 302 and "/login?next=" in resp.headers.get("Location", ""):
        return False
    assert resp.status_code < 500, resp.get_data(as_text=True)[:500]
    return True


def test_every_route_has_a_guard_and_a_row(world):
    app = world["app"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "access_rule"), f"{rule.endpoint} has no access guard"
        assert rule.endpoint in MATRIX, f"{rule.endpoint} has no row in the authorisation matrix"
        methods = {m for m in rule.methods if m in ("GET", "POST")}
        covered = {m for m, *_ in MATRIX[rule.endpoint]}
        assert methods == covered, f"{rule.endpoint}: methods {methods} vs matrix {covered}"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_allows_exactly_its_principals(world, endpoint):
    from flask import url_for

    for method, kwargs, data, expected in MATRIX[endpoint]:
        with world["app"].test_request_context():
            url = url_for(endpoint, **_resolve(world, kwargs))
        got = set()
        for principal in PRINCIPALS:
            form = {k: (_version(world, v[1:]) if isinstance(v, str) and v.startswith("@") else v)
                    for k, v in data.items()}
            client = world["clients"][principal]
            headers = {"HX-Request": "true"} if endpoint == "review.decision_form" else {}
            resp = client.get(url, headers=headers) if method == "GET" else client.post(url, data=form)
            if allowed(resp):
                got.add(principal)
            if endpoint == "auth.logout" and principal != "anonymous":
                login(client, principal)  # stay logged in for the next routes
        assert got == set(expected), f"{method} {url}: allowed {sorted(got)}, expected {sorted(expected)}"
