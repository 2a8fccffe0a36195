"""The national portal's ranking of provincial sites by visits this month (/thong-ke)."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.stats.clock import local_day, month_start, now_utc
from app.stats.services import national_ranking, record_view


def test_ranks_active_provincial_sites_by_visits_this_month(make_tenant, make_visit_daily, national, tenant_a,
                                                            tenant_b):
    tenant_c = make_tenant("tinh-c", name_vi="Liên hiệp các tổ chức hữu nghị tỉnh C")
    paused = make_tenant("tinh-d", status="suspended")
    today = local_day(now_utc())
    first, last_month = month_start(today), month_start(today) - timedelta(days=1)
    make_visit_daily(tenant_a, first, page_views=90, visitors=30)
    make_visit_daily(tenant_a, last_month, page_views=9000, visitors=5000)  # last month: not this ranking
    make_visit_daily(tenant_b, first, page_views=120, visitors=45)
    make_visit_daily(tenant_c, first, page_views=80, visitors=30)
    make_visit_daily(paused, first, visitors=999)
    make_visit_daily(national, first, visitors=999)
    ranking = national_ranking()
    assert [(r.rank, r.slug, r.visits, r.page_views) for r in ranking] == [
        (1, "tinh-b", 45, 120), (2, "tinh-a", 30, 90), (2, "tinh-c", 30, 80)]  # ties share a rank, by name


def test_counts_not_yet_flushed_are_ranked(tenant_a, tenant_b):
    record_view(tenant_b.id, "v" * 22)
    assert [(r.slug, r.visits) for r in national_ranking()] == [("tinh-b", 1), ("tinh-a", 0)]


def test_the_page_on_the_national_portal(browser, make_visit_daily, national, tenant_a, tenant_b):
    make_visit_daily(tenant_b, local_day(now_utc()), page_views=1400, visitors=1353)
    response = browser.get("/thong-ke")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Thống kê truy cập các trang tỉnh</h1>" in html
    assert "<caption>Xếp hạng tháng" in html and '<th scope="col">Hạng</th>' in html
    assert html.index("tỉnh B") < html.index("tỉnh A")
    assert "1.353" in html  # Vietnamese digit grouping
    assert 'href="//tinh-b.localhost/"' in html
    assert "Provincial friendship unions ranked" in browser.get("/thong-ke?lang=en").get_data(as_text=True)


def test_the_public_cross_tenant_read_is_not_written_to_the_audit_log_per_view(browser, national, tenant_a):
    """Anonymous views of what every site already publishes would flood the audit log (one row per visit)."""
    for _ in range(3):
        assert browser.get("/thong-ke", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "tenancy.all_tenants")) == 0


def test_provincial_hosts_have_no_ranking_page(browser, tenant_a):
    assert browser.get("/thong-ke", host="tinh-a.localhost").status_code == 404
