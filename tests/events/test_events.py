"""Events calendar: the iCalendar feed, the month view's Viet Nam days, the console's rules, isolation, the portal."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.extensions import db
from tenants.context import tenant_context

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOST = "tinh-a.localhost"


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN).astimezone(UTC)


def _next_year() -> int:
    return datetime.now(UTC).year + 1


def test_ical_feed_has_utc_times_and_stable_uids(browser, tenant_a, make_event):
    year = _next_year()
    event_id = make_event(tenant_a, "Hội nghị viện trợ phi chính phủ nước ngoài", starts_at=vn(year, 3, 10, 8, 0),
                          ends_at=vn(year, 3, 10, 11, 30))
    make_event(tenant_a, "Bản nháp", published=False)
    response = browser.get("/su-kien.ics", host=HOST)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # the draft is not in the feed
    item = events[0]
    start = item.decoded("dtstart")
    assert start == datetime(year, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 in Viet Nam is 01:00 UTC
    assert start.astimezone(VN).hour == 8
    assert str(item["uid"]) == f"event-{event_id}@tinh-a.localhost"
    assert str(item["summary"]) == "Hội nghị viện trợ phi chính phủ nước ngoài"
    assert str(item["location"]) == "Trung tâm Hội nghị tỉnh"
    assert "<" not in str(item["description"]) and "Chương trình giao lưu" in str(item["description"])
    assert str(item["url"]).endswith(f"/su-kien/{event_id}")
    assert "dtstamp" in item
    again = Calendar.from_ical(browser.get(f"/su-kien/{event_id}.ics", host=HOST).data).walk("VEVENT")[0]
    assert str(again["uid"]) == str(item["uid"])


def test_all_day_events_are_dates_in_the_feed(browser, tenant_a, make_event):
    year = _next_year()
    make_event(tenant_a, "Lễ hội hữu nghị", all_day=True, starts_at=vn(year, 5, 1), ends_at=vn(year, 5, 3))
    item = Calendar.from_ical(browser.get("/su-kien.ics", host=HOST).data).walk("VEVENT")[0]
    assert item.decoded("dtstart") == date(year, 5, 1)
    assert item.decoded("dtend") == date(year, 5, 3)  # two days: 1 and 2 May (DTEND exclusive)


def test_month_boundaries_are_viet_nam_days(browser, tenant_a, make_event):
    late = make_event(tenant_a, "Tiệc chia tay cuối tháng", starts_at=vn(2026, 1, 31, 23, 30))
    early = make_event(tenant_a, "Đón đoàn đầu tháng", starts_at=vn(2026, 2, 1, 0, 30))
    assert vn(2026, 2, 1, 0, 30).day == 31  # the previous day in UTC
    january = browser.get("/su-kien/thang/2026-01", host=HOST).get_data(as_text=True)
    february = browser.get("/su-kien/thang/2026-02", host=HOST).get_data(as_text=True)
    assert f"/su-kien/{late}" in january and f"/su-kien/{late}" not in february
    assert f"/su-kien/{early}" in february and f"/su-kien/{early}" not in january
    cell = re.search(r'<time datetime="2026-01-31">.*?</td>', january, re.S).group(0)
    assert "Tiệc chia tay cuối tháng" in cell and "23:30" in cell
    assert "<caption>" in january and 'scope="col"' in january
    assert "/su-kien/thang/2025-12" in january and "/su-kien/thang/2026-02" in january


def test_an_event_spanning_days_shows_on_each(browser, tenant_a, make_event):
    make_event(tenant_a, "Tuần văn hoá Nhật Bản", starts_at=vn(2026, 4, 28, 9), ends_at=vn(2026, 5, 2, 17))
    april = browser.get("/su-kien/thang/2026-04", host=HOST).get_data(as_text=True)
    may = browser.get("/su-kien/thang/2026-05", host=HOST).get_data(as_text=True)
    assert april.count("Tuần văn hoá Nhật Bản") == 3  # 28, 29, 30 April
    assert may.count("Tuần văn hoá Nhật Bản") == 2  # 1, 2 May


@pytest.mark.parametrize("path", ["/su-kien/thang/2026-13", "/su-kien/thang/1999-01", "/su-kien/thang/26-1",
                                  "/su-kien/999999", "/su-kien/99999999999999"])
def test_unknown_pages_are_404(browser, tenant_a, path):
    assert browser.get(path, host=HOST).status_code == 404


def test_public_pages(browser, tenant_a, tenant_b, make_event, make_article):
    article = make_article(tenant_a, "Tin về đoàn Gunma")
    upcoming = make_event(tenant_a, "Đoàn tỉnh Gunma sang thăm", articles=[article])
    past = make_event(tenant_a, "Đoàn đã về", starts_at=datetime.now(UTC) - timedelta(days=30))
    draft = make_event(tenant_a, "Chưa đăng", published=False)
    listing = browser.get("/su-kien/", host=HOST).get_data(as_text=True)
    assert "Đoàn tỉnh Gunma sang thăm" in listing and "Đoàn đã về" not in listing and "Chưa đăng" not in listing
    page = browser.get(f"/su-kien/{upcoming}", host=HOST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tỉnh Gunma (Nhật Bản)" in html and "Tin về đoàn Gunma" in html and f"/su-kien/{upcoming}.ics" in html
    assert "<script>x()" not in html  # the description was sanitised on set
    assert browser.get(f"/su-kien/{past}", host=HOST).status_code == 200
    assert browser.get(f"/su-kien/{draft}", host=HOST).status_code == 404
    assert browser.get(f"/su-kien/{upcoming}", host="tinh-b.localhost").status_code == 404
    home = browser.get("/", host=HOST).get_data(as_text=True)
    assert "Đoàn tỉnh Gunma sang thăm" in home and "/su-kien.ics" in home


def test_the_portal_lists_every_unions_upcoming_events(browser, national, tenant_a, tenant_b, make_event):
    make_event(tenant_a, "Sự kiện của tỉnh A")
    make_event(tenant_b, "Sự kiện của tỉnh B")
    make_event(tenant_b, "Bản nháp của B", published=False)
    html = browser.get("/su-kien/").get_data(as_text=True)
    assert "Sự kiện của tỉnh A" in html and "Sự kiện của tỉnh B" in html and "Bản nháp của B" not in html
    assert "Liên hiệp các tổ chức hữu nghị tỉnh A" in html and "//tinh-b.localhost" in html


# --- the console ------------------------------------------------------------------------------------------------

def _editor(make_user, browser, tenant):
    make_user(f"editor@{tenant.slug}.vn", tenant=tenant, role="editor")
    browser.login(f"editor@{tenant.slug}.vn")


def _form(**values) -> dict:
    return {"title": "Giao lưu nhân dân Việt – Lào", "kind": "exchange", "starts_on": "2026-12-20",
            "start_time": "08:00", "ends_on": "", "end_time": "11:00", "place": "Nhà văn hoá tỉnh",
            "partners": "Tỉnh Champasak (Lào)", "description": "<p>Mô tả</p>", "published": "y", **values}


def _events(tenant):
    from app.events.models import Event

    with tenant_context(tenant.id):
        return db.session.scalars(sa.select(Event).options(sa.orm.selectinload(Event.links))).all()


def test_console_creates_an_event_in_viet_nam_time(browser, make_user, tenant_a, make_article):
    from app.core.audit import AuditEntry

    article_id = make_article(tenant_a, "Bài liên quan").id
    _editor(make_user, browser, tenant_a)
    response = browser.post("/manage/tinh-a/events/new", _form(articles=str(article_id)),
                            token_from="/manage/tinh-a/events/new")
    assert response.status_code == 302
    (event,) = _events(tenant_a)
    event_id = event.id
    assert event.starts_at.replace(tzinfo=UTC) == datetime(2026, 12, 20, 1, 0, tzinfo=UTC)
    assert [link.article_id for link in event.links] == [article_id]
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "event.create"))
    listing = browser.get("/manage/tinh-a/events/").get_data(as_text=True)
    assert "Giao lưu nhân dân Việt – Lào" in listing
    edit = browser.get(f"/manage/tinh-a/events/{event_id}").get_data(as_text=True)
    assert 'value="08:00"' in edit and 'value="2026-12-20"' in edit


@pytest.mark.parametrize(("values", "message"), [
    ({"ends_on": "2026-12-19"}, "end before it starts"),
    ({"end_time": "07:00"}, "end before it starts"),
    ({"start_time": ""}, "All day"),
    ({"starts_on": ""}, "start date"),
    ({"starts_on": "0001-01-01"}, "between"),
    ({"starts_on": "not a date"}, ""),
    ({"title": ""}, "title"),
    ({"kind": "party"}, ""),
    ({"articles": "abc"}, ""),
])
def test_console_validation_errors_are_400(browser, make_user, tenant_a, values, message):
    _editor(make_user, browser, tenant_a)
    response = browser.post("/manage/tinh-a/events/new?lang=en", _form(**values),
                            token_from="/manage/tinh-a/events/new?lang=en")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and message in html
    assert _events(tenant_a) == []


def test_an_all_day_event_needs_no_time(browser, make_user, tenant_a):
    _editor(make_user, browser, tenant_a)
    response = browser.post("/manage/tinh-a/events/new", _form(start_time="", end_time="", all_day="y",
                                                                 ends_on="2026-12-22"),
                            token_from="/manage/tinh-a/events/new")
    assert response.status_code == 302
    (event,) = _events(tenant_a)
    assert event.all_day and event.ends_at.replace(tzinfo=UTC) == datetime(2026, 12, 22, 17, 0, tzinfo=UTC)


def test_another_unions_article_cannot_be_related(browser, make_user, tenant_a, tenant_b, make_article, make_event):
    theirs = make_article(tenant_b, "Tin của tỉnh B").id
    make_article(tenant_a, "Tin của tỉnh A")
    _editor(make_user, browser, tenant_a)
    form = browser.get("/manage/tinh-a/events/new").get_data(as_text=True)
    assert "Tin của tỉnh A" in form and "Tin của tỉnh B" not in form
    response = browser.post("/manage/tinh-a/events/new", _form(articles=str(theirs)),
                            token_from="/manage/tinh-a/events/new")
    assert response.status_code == 400 and _events(tenant_a) == []
    event_id = make_event(tenant_a, "Sự kiện của A")
    response = browser.post(f"/manage/tinh-a/events/{event_id}", _form(articles=str(theirs)),
                            token_from="/manage/tinh-a/events/new")
    assert response.status_code == 400
    assert [e.links for e in _events(tenant_a)] == [[]]


def test_delete_asks_first(browser, make_user, tenant_a, make_event):
    event_id = make_event(tenant_a, "Sẽ bị xoá")
    _editor(make_user, browser, tenant_a)
    assert "Sẽ bị xoá" in browser.get(f"/manage/tinh-a/events/{event_id}/delete").get_data(as_text=True)
    assert len(_events(tenant_a)) == 1
    response = browser.post(f"/manage/tinh-a/events/{event_id}/delete", token_from="/manage/tinh-a/events/new")
    assert response.status_code == 302 and _events(tenant_a) == []


def test_authors_read_but_do_not_write(browser, make_user, tenant_a, make_event):
    event_id = make_event(tenant_a, "Chỉ xem")
    make_user("author@tinh-a.vn", tenant=tenant_a, role="author")
    browser.login("author@tinh-a.vn")
    assert browser.get("/manage/tinh-a/events/").status_code == 200
    assert browser.get("/manage/tinh-a/events/new").status_code == 403
    assert browser.post(f"/manage/tinh-a/events/{event_id}", _form(),
                        token_from="/manage/tinh-a/events/").status_code == 403


def test_the_events_auto_source_counts_published_events_that_began_in_the_window(make_event, tenant_a, tenant_b):
    from datetime import UTC, date, datetime

    from app.reporting.sources import AUTO_SOURCES, figure

    assert "events.held" in AUTO_SOURCES
    vn_first_of_july = datetime(2026, 6, 30, 17, 30, tzinfo=UTC)  # 00:30 on 1 July in Viet Nam
    make_event(tenant_a, starts_at=vn_first_of_july)
    make_event(tenant_a, starts_at=datetime(2026, 6, 30, 16, 30, tzinfo=UTC))  # 23:30 on 30 June: before
    make_event(tenant_a, starts_at=datetime(2026, 9, 30, 16, 59, tzinfo=UTC))  # 23:59 on 30 September: inside
    make_event(tenant_a, starts_at=datetime(2026, 8, 1, 2, 0, tzinfo=UTC), published=False)  # a draft
    make_event(tenant_b, starts_at=datetime(2026, 8, 1, 2, 0, tzinfo=UTC))  # another union's
    assert figure("events.held", tenant_a.id, date(2026, 7, 1), date(2026, 9, 30)) == 2
    assert figure("events.held", tenant_b.id, date(2026, 7, 1), date(2026, 9, 30)) == 1
