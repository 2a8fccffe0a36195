"""The public API: what each union publishes, on its host or under /tenants/{slug}; pages with Link headers, ETags,
problem documents in the asker's language, CORS; never another union's rows, never a draft."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

HOST_A, HOST_B = "tinh-a.localhost", "tinh-b.localhost"


@pytest.fixture
def world(tenant_a, tenant_b, make_article, make_category, make_document, make_member, make_page):
    culture = make_category(tenant_a, "Văn hóa")
    ids = {"culture": culture.id}
    for n in range(1, 6):
        ids[f"a{n}"] = make_article(tenant_a, f"Giao lưu hữu nghị số {n}", category=culture, tags=("Hữu nghị",),
                                    ago=timedelta(hours=n)).id
    ids["en"] = make_article(tenant_a, "Friendship exchange No. 1", locale="en", category=culture,
                             original=type("O", (), {"id": ids["a1"]})()).id
    ids["draft"] = make_article(tenant_a, "Bản nháp chưa đăng", status="draft").id
    ids["future"] = make_article(tenant_a, "Tin hẹn giờ", ago=-timedelta(days=1)).id
    ids["b"] = make_article(tenant_b, "Tin của tỉnh B").id
    ids["doc"] = make_document(tenant_a, "Kế hoạch đối ngoại nhân dân năm 2025", number="12-KH/LHH").id
    ids["member"] = make_member(tenant_a, "Hội hữu nghị Việt – Lào tỉnh A").id
    ids["page"] = make_page(tenant_a, "Chức năng, nhiệm vụ", slug="chuc-nang-nhiem-vu").id
    ids["hidden_page"] = make_page(tenant_a, "Trang nháp", published=False, slug="trang-nhap").id
    ids["page_b"] = make_page(tenant_b, "Giới thiệu tỉnh B", slug="gioi-thieu").id
    return ids


def _ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


def test_a_union_lists_its_published_articles_on_its_host_and_by_slug(client, world):
    own = client.get("/api/v1/articles", base_url=f"http://{HOST_A}")
    assert own.status_code == 200 and own.mimetype == "application/json"
    assert _ids(own) == [world[f"a{n}"] for n in range(1, 6)]  # newest first; no draft, no future, no B
    by_slug = client.get("/api/v1/tenants/tinh-a/articles", base_url="http://localhost")
    assert _ids(by_slug) == _ids(own)
    first = own.get_json()["items"][0]
    assert first["url"].startswith(f"http://{HOST_A}/tin/{world['a1']}/") and first["tags"][0]["slug"] == "huu-nghi"
    assert first["published_at"].endswith("+00:00")
    assert own.headers["Access-Control-Allow-Origin"] == "*"
    english = client.get("/api/v1/articles?locale=en", base_url=f"http://{HOST_A}")
    assert _ids(english) == [world["en"]]


def test_filters_and_words_without_accents(client, world):
    base = f"http://{HOST_A}"
    assert _ids(client.get("/api/v1/articles?q=giao%20luu%20so%203", base_url=base)) == [world["a3"]]
    assert len(_ids(client.get("/api/v1/articles?tag=huu-nghi", base_url=base))) == 5
    assert _ids(client.get("/api/v1/articles?category=khong-co", base_url=base)) == []
    bad = client.get("/api/v1/articles?since=hom-qua", base_url=base, headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    problem = bad.get_json()
    assert problem["status"] == 422 and "since" in str(problem["errors"]) and problem["title"] == "Could not process"
    vietnamese = client.get("/api/v1/articles?since=hom-qua", base_url=base, headers={"Accept-Language": "vi"})
    assert vietnamese.get_json()["title"] != "Could not process"


def test_pages_with_link_headers_and_a_total(client, world):
    response = client.get("/api/v1/articles?per_page=2&page=2", base_url=f"http://{HOST_A}")
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (2, 2, 5)
    assert response.headers["X-Total-Count"] == "5"
    links = {part.split('rel="')[1].rstrip('"'): part.split(">")[0].lstrip("<")
             for part in response.headers["Link"].split(", ")}
    assert set(links) == {"first", "last", "prev", "next"}
    assert parse_qs(urlsplit(links["next"]).query)["page"] == ["3"]
    assert parse_qs(urlsplit(links["last"]).query)["page"] == ["3"]
    too_many = client.get("/api/v1/articles?per_page=500", base_url=f"http://{HOST_A}")
    assert too_many.status_code == 422


def test_etag_and_not_modified(client, world):
    first = client.get("/api/v1/categories", base_url=f"http://{HOST_A}")
    tag = first.headers["ETag"]
    again = client.get("/api/v1/categories", base_url=f"http://{HOST_A}", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""


def test_another_unions_rows_and_drafts_are_404(client, world):
    base = f"http://{HOST_A}"
    assert client.get(f"/api/v1/articles/{world['a1']}", base_url=base).status_code == 200
    for path in (f"/api/v1/articles/{world['b']}", f"/api/v1/articles/{world['draft']}",
                 f"/api/v1/articles/{world['future']}", f"/api/v1/pages/{world['page_b']}",
                 f"/api/v1/pages/{world['hidden_page']}", "/api/v1/articles/999999"):
        missing = client.get(path, base_url=base)
        assert missing.status_code == 404 and missing.mimetype == "application/problem+json", path
    assert client.get("/api/v1/tenants/khong-co/articles", base_url="http://localhost").status_code == 404
    detail = client.get(f"/api/v1/articles/{world['a1']}", base_url=base).get_json()
    assert [v["id"] for v in detail["versions"]] == [world["en"]] and "<p>" in detail["body_html"]


def test_documents_members_pages_and_the_directory(client, world):
    base = f"http://{HOST_A}"
    docs = client.get("/api/v1/documents?number=12-KH", base_url=base).get_json()
    assert [d["id"] for d in docs["items"]] == [world["doc"]]
    assert client.get("/api/v1/documents?number=99-XX", base_url=base).get_json()["total"] == 0
    assert client.get(f"/api/v1/documents/{world['doc']}", base_url=base).get_json()["number"] == "12-KH/LHH"
    members = client.get("/api/v1/members", base_url=base).get_json()
    assert [m["id"] for m in members] == [world["member"]]
    pages = client.get("/api/v1/pages", base_url=base).get_json()
    assert world["page"] in [p["id"] for p in pages] and world["hidden_page"] not in [p["id"] for p in pages]
    directory = client.get("/api/v1/tenants", base_url="http://localhost").get_json()
    assert {"tinh-a", "tinh-b", "vufo"} <= {u["slug"] for u in directory}


def test_the_description_and_its_docs_page(client, world):
    spec = client.get("/api/v1/openapi.json", base_url="http://localhost")
    assert spec.status_code == 200
    doc = spec.get_json()
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/articles" in doc["paths"] and "/api/v1/tenants/{slug}/articles" in doc["paths"]
    assert "/api/v1/manage/articles" in doc["paths"]
    page = client.get("/api/v1/docs", base_url="http://localhost")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "vendor/swagger-ui/swagger-ui-bundle.js" in html and "cdn" not in html
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    unknown = client.get("/api/v1/khong-co", base_url="http://localhost")
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    html_404 = client.get("/khong-co", base_url=f"http://{HOST_A}")
    assert html_404.status_code == 404 and html_404.mimetype == "text/html"  # the site's own pages unchanged


def test_partners_aid_with_amounts_in_minor_units_visits_and_the_portal(client, tenant_a, make_partner,
                                                                       make_agreement, make_aid_project,
                                                                       make_visit_daily, make_article):
    from datetime import date

    from app.core.money import Money

    locality = make_partner(tenant_a, "Viêng Chăn")
    make_agreement(tenant_a, locality, "Biên bản hợp tác 2023–2027")
    make_partner(tenant_a, "Chưa công bố", published=False)
    make_aid_project(tenant_a, "Trường học vùng cao", transactions=[
        ("commitment", date(2024, 3, 1), Money(31_500_000_000, "VND")),
        ("disbursement", date(2024, 6, 1), Money(1_000_000_000, "VND"))])
    make_aid_project(tenant_a, "Dự án nội bộ", public=False)
    make_visit_daily(tenant_a, date(2024, 1, 2), page_views=40, visitors=12)
    shared = make_article(tenant_a, "Tin chia sẻ lên cổng quốc gia", share_national=True).id
    base = f"http://{HOST_A}"
    partners = client.get("/api/v1/partners", base_url=base).get_json()
    assert [p["name_vi"] for p in partners] == ["Viêng Chăn"]
    assert partners[0]["agreements"][0]["title"] == "Biên bản hợp tác 2023–2027"
    aid = client.get("/api/v1/aid-projects", base_url=base).get_json()
    assert [p["title_vi"] for p in aid["items"]] == ["Trường học vùng cao"]
    committed = {m["currency"]: m["amount"] for m in aid["items"][0]["totals"]["committed"]}
    assert committed["VND"] == 31_500_000_000 and isinstance(committed["USD"], int) and committed["USD"] > 0
    assert {m["currency"]: m["amount"] for m in aid["totals"]["disbursed"]}["VND"] == 1_000_000_000
    visits = client.get("/api/v1/visits", base_url=base).get_json()
    assert visits["total"] >= 12 and set(visits) >= {"online", "today", "this_month"}
    portal = client.get("/api/v1/portal/news?limit=5", base_url="http://localhost").get_json()
    assert [n["article_id"] for n in portal] == [shared] and portal[0]["url"].startswith(f"http://{HOST_A}/tin/")
