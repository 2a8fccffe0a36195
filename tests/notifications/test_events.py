"""Events: the editorial signals, tenant suspension, the reporting API, preferences, digest and reminders."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.news import signals
from app.notifications import digest, reminders
from app.notifications.events import EVENT_TYPES, notify, send_invitation, set_preference
from tenants import lifecycle
from tenants.context import tenant_context
from tests.notifications.conftest import notifications_of, outbox_rows


def article_of(make_article, tenant, author, title="Bài về giao lưu nhân dân"):
    article = make_article(tenant, title, status="in_review")
    with tenant_context(tenant.id):
        article = db.session.merge(article)
        article.author_id = author.id
        db.session.commit()
        db.session.refresh(article)
    return article


def recipients(tenant) -> dict[str, list[str]]:
    from app.accounts.models import User

    out: dict[str, list[str]] = {}
    for user_id, event_type, *_ in notifications_of(tenant):
        out.setdefault(event_type, []).append(db.session.get(User, user_id).email)
    return out


def test_submitted_goes_to_the_tenants_editors_and_admins_only(staff, tenant_a, tenant_b, make_article, mailbox):
    article = article_of(make_article, tenant_a, staff["a_author"])
    with tenant_context(tenant_a.id):
        signals.article_submitted.send(article, actor=staff["a_author"])
        db.session.commit()
    assert sorted(recipients(tenant_a)["article.submitted"]) == ["admin@tinh-a.vn", "bien-tap@tinh-a.vn"]
    assert notifications_of(tenant_b) == [] and outbox_rows(tenant_b) == []  # B's staff hear nothing
    assert sorted(m["To"].addresses[0].addr_spec for m in mailbox.wait(2)) == ["admin@tinh-a.vn",
                                                                                "bien-tap@tinh-a.vn"]


def test_returned_approved_published_go_to_the_author(staff, tenant_a, make_article):
    article = article_of(make_article, tenant_a, staff["a_author"])
    with tenant_context(tenant_a.id):
        signals.article_returned.send(article, actor=staff["a_editor"], comment="Thêm ảnh minh họa")
        signals.article_approved.send(article, actor=staff["a_editor"])
        signals.article_published.send(article, actor=staff["a_editor"])
        signals.article_published.send(article, actor=None)  # published again later: said once
        db.session.commit()
    rows = notifications_of(tenant_a, staff["a_author"])
    assert [r[1] for r in rows] == ["article.returned", "article.approved", "article.published"]
    assert "Thêm ảnh minh họa" in rows[0][3] and rows[0][3].startswith("Bien-Tap đã trả lại")
    assert notifications_of(tenant_a, staff["a_editor"]) == []


def test_an_author_approving_their_own_article_is_not_told(staff, tenant_a, make_article):
    article = article_of(make_article, tenant_a, staff["a_editor"])
    with tenant_context(tenant_a.id):
        signals.article_approved.send(article, actor=staff["a_editor"])
        db.session.commit()
    assert notifications_of(tenant_a) == []


def test_nomination_decisions_reach_the_union_even_from_the_national_console(staff, national, tenant_a,
                                                                             make_article):
    article = article_of(make_article, tenant_a, staff["a_author"])
    with tenant_context(national.id):  # the national editor decides in the national tenant's context
        signals.nomination_decided.send(article, actor=None, approved=False, comment="Ảnh chưa rõ nguồn")
        signals.nomination_decided.send(article, actor=None, approved=True)
        db.session.commit()
    got = recipients(tenant_a)
    assert sorted(got["nomination.declined"]) == ["admin@tinh-a.vn", "bien-tap@tinh-a.vn", "tac-gia@tinh-a.vn"]
    assert sorted(got["nomination.approved"]) == sorted(got["nomination.declined"])
    assert notifications_of(national) == []


def test_suspending_a_tenant_tells_its_admins(staff, tenant_a, tenant_b, mailbox):
    lifecycle.set_status(tenant_a, "suspended")
    assert recipients(tenant_a) == {"tenant.suspended": ["admin@tinh-a.vn"]}
    assert notifications_of(tenant_b) == []
    (msg,) = mailbox.wait(1)
    assert "tỉnh A" in str(msg["Subject"])


def test_report_events_api(staff, tenant_a, tenant_b, mailbox):
    """What reporting will call: a report of B submitted, told to the cluster leader A's admin."""
    notify("report.submitted", [staff["a_admin"]], {"union": "Tỉnh B", "period": "Tổng kết 2025"},
           tenant_id=tenant_a.id, key="report-submitted:7:1")
    notify("report.submitted", [staff["a_admin"]], {"union": "Tỉnh B", "period": "Tổng kết 2025"},
           tenant_id=tenant_a.id, key="report-submitted:7:1")  # the same event twice: told once
    notify("report.accepted", [staff["b_admin"]], {"period": "Tổng kết 2025"}, tenant_id=tenant_b.id)
    notify("report.period_opened", [staff["a_admin"], staff["b_admin"]],
           {"period": "Sơ kết 2026", "due_date": "15/06/2026"}, tenant_id=tenant_a.id)
    db.session.commit()
    assert [r[1] for r in notifications_of(tenant_a)] == ["report.submitted", "report.period_opened",
                                                          "report.period_opened"]
    assert [r[1] for r in notifications_of(tenant_b)] == ["report.accepted"]
    assert len(mailbox.wait(4)) == 4


def test_invitation_is_mail_only_in_the_chosen_language(tenant_a, mailbox):
    send_invitation(tenant_id=tenant_a.id, email="moi@tinh-a.vn", union="Tỉnh A", role="biên tập viên",
                    inviter="Quản Trị", link="http://localhost/auth/invite/abc", locale="vi")
    db.session.commit()
    (msg,) = mailbox.wait(1)
    assert str(msg["Subject"]) == "Lời mời tham gia trang quản trị của Tỉnh A"
    assert "http://localhost/auth/invite/abc" in msg.get_body(("plain",)).get_content()
    assert notifications_of(tenant_a) == []


def test_preferences_are_honoured(staff, tenant_a, mailbox):
    set_preference(staff["a_editor"], "article.submitted", "in_app")
    set_preference(staff["a_admin"], "article.submitted", "digest")
    db.session.commit()
    notify("article.submitted", [staff["a_editor"], staff["a_admin"]], {"title": "Bài A", "actor": "X"},
           tenant_id=tenant_a.id)
    db.session.commit()
    assert len(notifications_of(tenant_a)) == 2  # both see it in the console
    assert outbox_rows(tenant_a) == []  # neither gets an e-mail now
    assert mailbox.wait(0, timeout=1) == []
    with pytest.raises(ValueError):
        set_preference(staff["a_admin"], "article.submitted", "pigeon")


def test_digest_gathers_pending_items_once_a_day(staff, tenant_a, tenant_b, mailbox):
    for user in (staff["a_admin"], staff["b_admin"]):
        set_preference(user, "article.submitted", "digest")
    set_preference(staff["a_admin"], "report.accepted", "digest")
    db.session.commit()
    notify("article.submitted", [staff["a_admin"]], {"title": "Bài thứ nhất", "actor": "X"}, tenant_id=tenant_a.id)
    notify("report.accepted", [staff["a_admin"]], {"period": "Tổng kết 2025"}, tenant_id=tenant_a.id)
    notify("article.submitted", [staff["b_admin"]], {"title": "Bài của B", "actor": "Y"}, tenant_id=tenant_b.id)
    notify("article.published", [staff["a_admin"]], {"title": "Ngoài tóm tắt"}, tenant_id=tenant_a.id)
    db.session.commit()
    immediate = mailbox.wait(1)
    assert len(immediate) == 1  # only the e-mail-channel event went at once
    assert digest.send_digests() == 2  # A's admin and B's admin, each in their tenant
    messages = mailbox.wait(3)[1:]
    by_to = {m["To"].addresses[0].addr_spec: m.get_body(("plain",)).get_content() for m in messages}
    assert "Bài thứ nhất" in by_to["admin@tinh-a.vn"] and "Tổng kết 2025" in by_to["admin@tinh-a.vn"]
    assert "Ngoài tóm tắt" not in by_to["admin@tinh-a.vn"] and "Bài của B" not in by_to["admin@tinh-a.vn"]
    assert "Bài của B" in by_to["admin@tinh-b.vn"] and "Bài thứ nhất" not in by_to["admin@tinh-b.vn"]
    assert {r[4] for r in notifications_of(tenant_a, staff["a_admin"]) if r[1] != "article.published"} == {"sent"}
    assert digest.send_digests() == 0  # nothing pending, nothing twice
    notify("article.submitted", [staff["a_admin"]], {"title": "Bài muộn", "actor": "X"}, tenant_id=tenant_a.id)
    db.session.commit()
    assert digest.send_digests() == 0  # today's digest went: the late item waits for tomorrow
    assert [r[4] for r in notifications_of(tenant_a, staff["a_admin"])][-1] == "pending"


def test_deadline_reminders_before_on_the_day_and_overdue_once_each(app, staff, tenant_a, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_REMINDER_DAYS_BEFORE", (7, 3))
    due = date(2025, 12, 15)

    def source(today):
        yield reminders.Deadline("report:42", tenant_a.id, "Tổng kết 2025", due, [staff["a_reporter"].id])

    reminders.register_deadline_source(source)
    try:
        sent = {}
        for offset in range(-9, 4):
            today = due + timedelta(days=offset)
            for _ in range(2):  # beat may run twice: no duplicates
                sent[today] = sent.get(today, 0) + reminders.send_deadline_reminders(today)
    finally:
        reminders.unregister_deadline_source(source)
    assert {d: n for d, n in sent.items() if n} == {date(2025, 12, 8): 1, date(2025, 12, 12): 1,
                                                     date(2025, 12, 15): 1, date(2025, 12, 16): 1}
    titles = [r[2] for r in notifications_of(tenant_a, staff["a_reporter"])]
    assert titles == ["Report due in 7 days: Tổng kết 2025", "Report due in 3 days: Tổng kết 2025",
                      "Report due today: Tổng kết 2025", "Report overdue: Tổng kết 2025"]  # an English reader


def test_every_event_type_renders_in_both_languages(app):
    from flask_babel import force_locale

    context = {"title": "T", "actor": "A", "comment": "C", "period": "P", "due_date": "01/01/2026",
               "kind": "before", "days": 3, "union": "U", "reason": "R"}
    for event in EVENT_TYPES.values():
        with force_locale("vi"):
            vi = event.render(context)
        with force_locale("en"):
            en = event.render(context)
        assert vi != en and all(vi) and all(en), event.name
