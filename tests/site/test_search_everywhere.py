"""Search everywhere: member organisations, partner localities and their agreements, aid projects and events
join the union's site search (its own, published ones only) and the portal's (every union's, labelled), with a
facet per kind that filters the results and keeps the query through the pages."""

import re
import unicodedata

import pytest

from tests.conftest import PLATFORM_HOST

HOST_A = "tinh-a.localhost"
HOST_B = "tinh-b.localhost"
LABEL_A = 'class="tenant-label">Liên hiệp các tổ chức hữu nghị tỉnh A<'
LABEL_B = 'class="tenant-label">Liên hiệp các tổ chức hữu nghị tỉnh B<'


def search(browser, host: str, q: str, **args) -> str:
    response = browser.get("/tim-kiem", host=host, query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def result_links(body: str) -> list[str]:
    return re.findall(r'<h2><a href="([^"]+)">', body)


@pytest.fixture
def registries(tenant_a, tenant_b, make_member, make_partner, make_agreement, make_aid_project, make_event):
    member = make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao", leader_name="Nguyễn Văn Hùng",
                         description_html="<p>Giao lưu văn hóa với nước bạn.</p>")
    make_member(tenant_a, "Hội hữu nghị bí mật", slug="bi-mat", published=False)
    locality = make_partner(tenant_a, "Viêng Chăn", description="Thủ đô của nước bạn.")
    agreement = make_agreement(tenant_a, locality, "Biên bản hợp tác giáo dục", summary="Trao đổi học bổng.")
    hidden_locality = make_partner(tenant_a, "Luông Pha Bang", published=False)
    make_agreement(tenant_a, hidden_locality, "Thỏa thuận du lịch riêng", summary="Chưa công bố.")
    project = make_aid_project(tenant_a, "Xây trường mầm non Quỳnh Lưu", description="Hai phòng học mới.").id
    make_aid_project(tenant_a, "Dự án nội bộ Quảng Trị", public=False)
    event = make_event(tenant_a, "Đoàn đại biểu tỉnh Gunma thăm hữu nghị")
    make_event(tenant_a, "Sự kiện ẩn chưa đăng", published=False)
    other_member = make_member(tenant_b, "Hội hữu nghị Việt Nam – Mông Cổ", slug="viet-mongco", country_code="MN")
    other_event = make_event(tenant_b, "Lễ kỷ niệm Quốc khánh Mông Cổ", place="Nhà văn hóa tỉnh B")
    return {"member": member, "locality": locality, "agreement": agreement, "project": project, "event": event,
            "other_member": other_member, "other_event": other_event}


def _expected(registries, name):
    return {
        "member": ("viet lao", "Hội hữu nghị <mark>Việt</mark> – <mark>Lào</mark>", "/to-chuc-thanh-vien/viet-lao"),
        "locality": ("vieng chan", "<mark>Viêng</mark> <mark>Chăn</mark>", f"/doi-tac/{registries['locality'].id}"),
        "agreement": ("hoc bong", "Trao đổi <mark>học</mark> <mark>bổng</mark>",
                      f"/doi-tac/thoa-thuan/{registries['agreement'].id}"),
        "project": ("mam non quynh luu", "Xây trường <mark>mầm</mark> <mark>non</mark> <mark>Quỳnh</mark> "
                    "<mark>Lưu</mark>", f"/vien-tro/{registries['project']}"),
        "event": ("GUNMA", "tỉnh <mark>Gunma</mark>", f"/su-kien/{registries['event']}"),
    }[name]


@pytest.mark.parametrize("name", ["member", "locality", "agreement", "project", "event"])
def test_each_kind_is_found_without_diacritics_on_its_union_site(browser, registries, name):
    query, marked, path = _expected(registries, name)
    body = search(browser, HOST_A, query)
    assert marked in body
    assert path in result_links(body)
    assert "tenant-label" not in body  # a union's own site does not label its hits


@pytest.mark.parametrize("name", ["member", "locality", "agreement", "project", "event"])
def test_each_kind_is_found_on_the_portal_with_its_union(browser, registries, name):
    query, marked, path = _expected(registries, name)
    body = search(browser, PLATFORM_HOST, query)
    assert marked in body
    assert f"//{HOST_A}{path}" in result_links(body)
    assert LABEL_A in body


def test_a_union_site_never_shows_another_unions_registries(browser, registries):
    body = search(browser, HOST_A, "mong co")
    assert "0 kết quả" in body and "Mông Cổ" not in body
    own = search(browser, HOST_B, "mong co")
    assert "/to-chuc-thanh-vien/viet-mongco" in result_links(own)
    assert f"/su-kien/{registries['other_event']}" in result_links(own)
    assert "Viêng" not in search(browser, HOST_B, "vieng chan")


def test_portal_labels_each_union(browser, registries):
    body = search(browser, PLATFORM_HOST, "huu nghi")
    links = result_links(body)
    assert f"//{HOST_B}/to-chuc-thanh-vien/viet-mongco" in links and f"//{HOST_A}/to-chuc-thanh-vien/viet-lao" in links
    assert LABEL_A in body and LABEL_B in body


@pytest.mark.parametrize("host", [HOST_A, PLATFORM_HOST])
@pytest.mark.parametrize("query", ["bi mat", "noi bo quang tri", "su kien an", "luong pha bang", "du lich rieng"])
def test_unpublished_rows_are_never_found(browser, registries, host, query):
    body = search(browser, host, query)
    assert "0 kết quả" in body
    assert not result_links(body)


def test_text_stored_decomposed_is_found(browser, tenant_a, make_member):
    make_member(tenant_a, unicodedata.normalize("NFD", "Hội hữu nghị Việt – Đức"), slug="viet-duc")
    for host in (HOST_A, PLATFORM_HOST):
        body = search(browser, host, "viet duc")
        assert any(link.endswith("/to-chuc-thanh-vien/viet-duc") for link in result_links(body))


@pytest.fixture
def mixed(registries, make_article, tenant_a):
    make_article(tenant_a, "Tăng cường tình hữu nghị Việt – Lào")
    make_article(tenant_a, "Gặp mặt hữu nghị cuối năm")


@pytest.mark.parametrize("host", [HOST_A, PLATFORM_HOST])
def test_facets_count_each_kind_and_filter(browser, mixed, host):
    body = search(browser, host, "huu nghi")
    nav = re.search(r'<nav class="search-facets" aria-label="[^"]+">(.*?)</nav>', body, re.S).group(1)
    counts = dict(re.findall(r'<a href="[^"]*"[^>]*>([^<]+?) <span class="facet-count">\((\d+)\)</span>', nav))
    members = 2 if host == PLATFORM_HOST else 1  # the portal also has B's association
    events = 1  # B's event is not about "hữu nghị"; A's unpublished one is never counted
    assert counts["Bài viết"] == "2"
    assert counts["Tổ chức thành viên"] == str(members)
    assert counts["Sự kiện"] == str(events)
    assert int(counts.pop("Tất cả")) == sum(int(n) for n in counts.values())
    assert 'aria-current="page">Tất cả' in nav
    assert "Văn bản" not in nav  # a kind without hits is not offered

    filtered = search(browser, host, "huu nghi", kind="member")
    assert f"{members} kết quả" in filtered
    links = result_links(filtered)
    assert len(links) == members and all("/to-chuc-thanh-vien/" in link for link in links)
    nav = re.search(r'<nav class="search-facets".*?</nav>', filtered, re.S).group(0)
    assert re.search(r'kind=member"[^>]*aria-current="page">Tổ chức thành viên', nav)
    assert re.search(r'href="/tim-kiem\?q=huu\+nghi&amp;kind=event"', nav)  # the facets keep the query
    assert 'aria-current="page">Tất cả' not in nav


def test_an_unknown_kind_shows_every_kind(browser, mixed):
    body = search(browser, HOST_A, "huu nghi", kind="<script>")
    assert 'aria-current="page">Tất cả' in body and "<script>" not in body.split("</form>", 1)[1]


@pytest.mark.parametrize("host", [HOST_A, PLATFORM_HOST])
def test_pagination_keeps_the_facet_and_the_query(browser, tenant_a, make_event, make_article, host):
    for n in range(12):
        make_event(tenant_a, f"Giao lưu hữu nghị đợt {n + 1}")
    make_article(tenant_a, "Giao lưu hữu nghị trong tin tức")
    first = search(browser, host, "giao luu", kind="event")
    assert "12 kết quả" in first
    assert len(result_links(first)) == 10
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1)
    assert "kind=event" in next_link and "q=giao+luu" in next_link and "page=2" in next_link
    second = search(browser, host, "giao luu", kind="event", page=2)
    links = result_links(second)
    assert len(links) == 2 and all("/su-kien/" in link for link in links)
    assert not set(links) & set(result_links(first))
    assert re.search(r'<a rel="prev" href="[^"]*kind=event', second)
    everything = search(browser, host, "giao luu")
    assert "13 kết quả" in everything
    beyond = search(browser, host, "giao luu", kind="event", page=99)  # clamped to the last page
    assert result_links(beyond) == links


def test_the_portal_on_postgresql_ranks_counts_and_pages_in_sql(browser, app, registries, make_page, tenant_b,
                                                                 monkeypatch):
    from app.extensions import db
    from app.site import search as site_search

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's portal is searched in Python")
    make_page(tenant_b, "Chức năng nhiệm vụ")
    monkeypatch.setattr(site_search, "_collect", lambda *args, **kwargs: pytest.fail("rows loaded into Python"))
    body = search(browser, PLATFORM_HOST, "chuc nang")
    assert "<mark>Chức</mark> <mark>năng</mark> nhiệm vụ" in body and LABEL_B in body
    assert any(link.startswith(f"//{HOST_B}/") for link in result_links(body))
    events = search(browser, PLATFORM_HOST, "gunma", kind="event")
    links = result_links(events)  # B's event has Gunma among its partners too
    assert f"//{HOST_A}/su-kien/{registries['event']}" in links and all("/su-kien/" in link for link in links)
