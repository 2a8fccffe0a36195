"""A member organisation's page lists the news that names it: own tenant, public articles only."""

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from app.core.timeutil import utcnow
from app.extensions import db
from app.members import services
from tenants.context import tenant_context

HOST_A = "tinh-a.localhost"


def related_titles(browser, slug: str, host: str = HOST_A, lang: str | None = None) -> list[str]:
    response = browser.get(f"/to-chuc-thanh-vien/{slug}", host=host, query_string={"lang": lang} if lang else {})
    assert response.status_code == 200
    section = re.search(r'<ul class="related-news">(.*?)</ul>', response.get_data(as_text=True), re.S)
    return re.findall(r'<a href="/tin/\d+/[^"]*">([^<]+)</a>', section.group(1)) if section else []


def test_member_page_lists_public_news_naming_it_in_its_own_tenant(browser, tenant_a, tenant_b, make_member,
                                                                   make_article):
    make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao")
    make_member(tenant_b, "Hội hữu nghị Việt – Lào", slug="viet-lao")
    make_article(tenant_a, "Gặp mặt sinh viên Lào dịp Tết Bunpimay", ago=timedelta(days=2),
                 body="<p>Hội hữu nghị Việt – Lào tỉnh tổ chức gặp mặt sinh viên.</p>")
    make_article(tenant_a, "Hội hữu nghị Việt Nam – Lào trao quà", ago=timedelta(days=1))  # the longer spelling
    make_article(tenant_a, "Thăm cựu quân tình nguyện", ago=timedelta(days=3), tags=("Hội hữu nghị Việt – Lào",))
    make_article(tenant_a, "Bản nháp về hội hữu nghị Việt – Lào", status="draft")
    make_article(tenant_a, "Tin hẹn giờ: Hội hữu nghị Việt – Lào", published_at=utcnow() + timedelta(days=2))
    make_article(tenant_a, "Hội hữu nghị Việt – Đức gặp mặt doanh nhân; Lào và Việt Nam hợp tác")  # words apart
    make_article(tenant_b, "Tin của tỉnh B về Hội hữu nghị Việt – Lào")

    titles = related_titles(browser, "viet-lao")
    assert titles == ["Hội hữu nghị Việt Nam – Lào trao quà", "Gặp mặt sinh viên Lào dịp Tết Bunpimay",
                      "Thăm cựu quân tình nguyện"]
    assert related_titles(browser, "viet-lao", host="tinh-b.localhost") == ["Tin của tỉnh B về Hội hữu nghị Việt – Lào"]


def test_member_without_news_has_no_related_section(browser, tenant_a, make_member, make_article):
    make_member(tenant_a, "Hội hữu nghị Việt Nam – Cuba", slug="viet-nam-cuba", country_code="CU")
    make_article(tenant_a, "Hội hữu nghị Việt – Lào trao quà")
    page = browser.get("/to-chuc-thanh-vien/viet-nam-cuba", host=HOST_A).get_data(as_text=True)
    assert 'class="related-news"' not in page


def test_english_visitors_see_the_english_version_where_one_exists(browser, tenant_a, make_member, make_article):
    make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao")
    original = make_article(tenant_a, "Hội hữu nghị Việt – Lào trao học bổng")
    make_article(tenant_a, "Laos friendship association gives scholarships", locale="en", original=original)
    assert related_titles(browser, "viet-lao", lang="en") == ["Laos friendship association gives scholarships"]


def test_like_metacharacters_in_a_name_are_literal(tenant_a, make_member, make_article):
    member = make_member(tenant_a, "Hội 100_phần_trăm", slug="hoi-100")
    make_article(tenant_a, "Hội 100 phần trăm và hội 1000xphanxtram")
    make_article(tenant_a, "Tin về Hội 100_phần_trăm")
    with tenant_context(tenant_a.id):
        titles = [item.article.title for item in services.related_news(member)]
    assert titles == ["Tin về Hội 100_phần_trăm"]


def test_related_news_costs_the_same_statements_for_one_or_many_articles(tenant_a, make_member, make_article):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao")

    @contextmanager
    def counting():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)

    def cost():
        with tenant_context(tenant_a.id), counting() as statements:
            assert services.related_news(member)
        return len(statements)

    make_article(tenant_a, "Hội hữu nghị Việt – Lào số 1")
    one = cost()
    for index in range(2, 8):
        make_article(tenant_a, f"Hội hữu nghị Việt – Lào số {index}")
    assert cost() == one <= 2
