"""The demo on the 2025 map: Hà Giang's union merged into Tuyên Quang's (and Phú Yên's into Đắk Lắk's) on
01/7/2025, through the platform's merge; the national summaries before and after it."""

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from app.demo.loader import load_demo
from app.extensions import db
from app.reporting.models import ReportingPeriod
from app.reporting.summary import national_view
from tenants.models import Cluster, Tenant
from tenants.scoping import all_tenants


def test_the_old_hosts_land_on_the_same_articles_and_the_summaries_span_the_merge(app, browser):
    load_demo()
    slugs = {t.slug: t for t in db.session.scalars(sa.select(Tenant))}
    assert slugs["ha-giang"].status == "merged" and slugs["ha-giang"].successor_id == slugs["tuyen-quang"].id
    assert slugs["phu-yen"].successor_id == slugs["dak-lak"].id
    with all_tenants("test: a moved article"):
        article_id, slug = db.session.execute(sa.text(
            "SELECT a.id, a.slug FROM news_article a JOIN reorg_moved_row m ON m.row_id = a.id AND "
            "m.table_name = 'news_article' WHERE m.from_tenant_id = :hg ORDER BY a.id LIMIT 1"),
            {"hg": slugs["ha-giang"].id}).one()
    db.session.rollback()
    moved = browser.get(f"/tin/{article_id}/{slug}", host="ha-giang.localhost")
    assert moved.status_code == 301
    target = urlsplit(moved.headers["Location"])
    assert (target.hostname, target.path) == ("tuyen-quang.localhost", f"/tin/{article_id}/{slug}")
    assert browser.get(target.path, host="tuyen-quang.localhost").status_code == 200

    portal = browser.get("/").get_data(as_text=True)
    entry = portal[portal.index('<strong class="unit-name">Tuyên Quang</strong>'):][:1200]
    assert "trước đây: Hà Giang" in entry and "Liên hiệp các tổ chức hữu nghị tỉnh Tuyên Quang" in entry

    annual = {p.year: p for p in db.session.scalars(sa.select(ReportingPeriod).where(ReportingPeriod.kind == "annual"))}
    before = {r.tenant.slug: r for r in national_view(annual[2024]).unions}
    assert "ha-giang" in before and before["ha-giang"].status == "final"  # its own 2024 report
    after = {r.tenant.slug: r for r in national_view(annual[2025]).unions}
    assert "ha-giang" not in after
    code = "activities.held"
    tq = after["tuyen-quang"]
    assert tq.status == "accepted"
    assert tq.previous[code] == before["tuyen-quang"].values[code] + before["ha-giang"].values[code]
    assert tq.growth(code) is not None
    assert len(db.session.scalars(sa.select(Cluster)).all()) >= 4  # clusters by region
    assert len(re.findall(r'class="unit-name"', portal)) == 34
