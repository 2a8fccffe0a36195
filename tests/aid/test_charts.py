"""National charts and the donors-by-province matrix show exactly the sums of the transactions; report figures."""

import re
from datetime import date

import pytest
from lxml import html as lxml_html

from app.aid import services
from app.core.money import Money
from tenants.models import Province

C, D = "commitment", "disbursement"


@pytest.fixture
def aid(make_aid_project, make_donor, make_rate, tenant_a, tenant_b, app):
    from app.extensions import db

    province = Province(code="30", slug="hai-duong", name="Hải Dương", name_en="Hai Duong", kind="province",
                        region="north", valid_from=date(1997, 1, 1), valid_to=date(2025, 6, 30))
    db.session.add(province)
    tenant_a.province = province
    db.session.commit()
    make_rate("EUR", date(2020, 1, 1), "26000")
    gpi, kccc = make_donor(), make_donor("Korea Children Care Center", acronym="KCCC")
    make_aid_project(tenant_a, "A1", donors=[gpi], sector_code="11220", transactions=[
        (C, date(2022, 12, 31), Money(100_000_000, "VND"), gpi),
        (C, date(2023, 1, 1), Money(1_800_000_000, "VND"), gpi),
        (D, date(2023, 12, 31), Money(1_000_000_000, "VND"), gpi),
        (C, date(2024, 1, 1), Money(7_000_000, "VND"), gpi)])
    make_aid_project(tenant_a, "A2", donors=[kccc], sector_code="11330", public=False, transactions=[
        (C, date(2023, 6, 1), Money.of("1000.50", "EUR"), kccc), (D, date(2023, 7, 1), Money(5_000_000, "VND"))])
    make_aid_project(tenant_b, "B1", donors=[gpi], sector_code="11220", transactions=[
        (C, date(2023, 3, 1), Money.of("2500", "USD"), gpi), (D, date(2023, 4, 1), Money.of("1250.25", "USD"), gpi)])
    return {"gpi": gpi.id, "kccc": kccc.id}


def transactions():
    """(tenant slug, donor acronym, kind, vnd, usd, year, sector) for every transaction, read past the scoping."""
    import sqlalchemy as sa

    from app.aid.models import AidProject, AidTransaction, Donor
    from app.extensions import db
    from tenants.models import Tenant
    from tenants.scoping import all_tenants

    with all_tenants("test"):
        stmt = (sa.select(Tenant.slug, Donor.acronym, AidTransaction.kind, AidTransaction.vnd_amount,
                          AidTransaction.usd_amount, AidTransaction.date, AidProject.sector_code)
                .join(Tenant, Tenant.id == AidTransaction.tenant_id)
                .join(AidProject, AidProject.id == AidTransaction.project_id)
                .outerjoin(Donor, Donor.id == AidTransaction.donor_id))
        return [(s, d, k, v, u, day.year, sec) for s, d, k, v, u, day, sec in db.session.execute(stmt)]


@pytest.fixture
def viewer(make_user, browser, national):
    make_user("viewer@vufo.vn", national_role="national_viewer")
    browser.login("viewer@vufo.vn")
    return browser


def bars(page: str) -> list[tuple[str, int, int]]:
    """(row label, committed, disbursed) read from the chart's SVG."""
    tree = lxml_html.fromstring(page)
    svg = tree.xpath("//svg")[0]
    assert svg.get("role") == "img" and svg.xpath("./title") and svg.xpath("./desc")
    labels = [t.get("data-label") for t in svg.xpath("./text[@data-label]")]
    values = [int(r.get("data-value")) for r in svg.xpath("./rect[@data-value]")]
    return [(label, values[2 * i], values[2 * i + 1]) for i, label in enumerate(labels)]


def test_chart_by_year_equals_the_transaction_sums(aid, viewer):
    page = viewer.get("/national/aid/?by=year").get_data(as_text=True)
    rows = transactions()
    expected = [(str(y), sum(r[3] for r in rows if r[5] == y and r[2] == C),
                 sum(r[3] for r in rows if r[5] == y and r[2] == D)) for y in (2022, 2023, 2024)]
    assert bars(page) == expected
    assert expected[1] == ("2023", 1_800_000_000 + 26_013_000 + 60_575_000, 1_000_000_000 + 5_000_000 + 30_293_558)
    assert 'id="aid-table"' in page and "aria-details=\"aid-table\"" in page  # the table fallback


@pytest.mark.parametrize(("by", "index", "labels"), [
    ("union", 0, {"tinh-a": "Liên hiệp các tổ chức hữu nghị tỉnh A",
                  "tinh-b": "Liên hiệp các tổ chức hữu nghị tỉnh B"}),
    ("donor", 1, {"GPI": "Good People International (GPI)", "KCCC": "Korea Children Care Center (KCCC)",
                  None: "Chưa ghi nhà tài trợ"}),
    ("sector", 6, {"11220": "11220 – Giáo dục tiểu học", "11330": "11330 – Đào tạo nghề"}),
])
def test_charts_by_union_donor_sector_equal_the_sums(aid, viewer, by, index, labels):
    rows = [r for r in transactions() if r[5] == 2023]
    page = viewer.get(f"/national/aid/?by={by}&year=2023").get_data(as_text=True)
    expected = {labels[key]: (sum(r[3] for r in rows if r[index] == key and r[2] == C),
                              sum(r[3] for r in rows if r[index] == key and r[2] == D)) for key in labels}
    assert {label: (c, d) for label, c, d in bars(page)} == expected


def test_donors_by_province_matrix(aid, viewer):
    page = viewer.get("/national/aid/provinces?year=2023").get_data(as_text=True)
    tree = lxml_html.fromstring(page)
    table = tree.get_element_by_id("province-matrix")
    provinces = [th.text_content() for th in table.xpath("./thead/tr/th")[1:-3]]
    assert set(provinces) == {"Hải Dương", "Liên hiệp các tổ chức hữu nghị tỉnh B"}  # B has no province: its name
    rows = [r for r in transactions() if r[5] == 2023]
    slug_of = {"Hải Dương": "tinh-a", "Liên hiệp các tổ chức hữu nghị tỉnh B": "tinh-b"}
    for tr in table.xpath("./tbody/tr"):
        donor = tr.xpath("./th")[0].text_content()
        acronym = re.search(r"\((\w+)\)$", donor)
        acronym = acronym.group(1) if acronym else None
        cells = [int(td.get("data-minor")) for td in tr.xpath("./td[@data-minor]")]
        assert cells == [sum(r[3] for r in rows if r[0] == slug_of[p] and r[1] == acronym and r[2] == C)
                         for p in provinces], donor
        assert int(tr.xpath("./td[@data-total]")[0].get("data-total")) == sum(cells)
    totals = [int(td.get("data-province-total")) for td in table.xpath("./tfoot//td[@data-province-total]")]
    assert totals == [sum(r[3] for r in rows if r[0] == slug_of[p] and r[2] == C) for p in provinces]
    assert int(table.xpath("//td[@data-grand]")[0].get("data-grand")) == sum(r[3] for r in rows if r[2] == C)
    assert "Hải Dương, Liên hiệp các tổ chức hữu nghị tỉnh B" in page or \
        "Liên hiệp các tổ chức hữu nghị tỉnh B, Hải Dương" in page  # GPI works in both


def test_union_staff_cannot_open_the_province_view(aid, make_user, browser, tenant_a):
    make_user("admin@a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@a.vn")
    assert browser.get("/national/aid/provinces").status_code == 403


def test_report_figures_equal_hand_sums_with_inclusive_edges(aid, tenant_a, tenant_b):
    rows = transactions()
    figures = services.report_figures(tenant_a.id, date(2023, 1, 1), date(2023, 12, 31))
    a2023 = [r for r in rows if r[0] == "tinh-a" and r[5] == 2023]
    assert figures == {
        "committed_vnd": sum(r[3] for r in a2023 if r[2] == C), "disbursed_vnd": sum(r[3] for r in a2023 if r[2] == D),
        "committed_usd_cents": sum(r[4] for r in a2023 if r[2] == C),
        "disbursed_usd_cents": sum(r[4] for r in a2023 if r[2] == D)}
    assert figures["committed_vnd"] == 1_800_000_000 + 26_013_000  # 31/12/2022 and 01/01/2024 stay out
    assert figures["disbursed_vnd"] == 1_005_000_000  # 31/12/2023, the last day, counts
    edge = services.report_figures(tenant_a.id, date(2022, 12, 31), date(2022, 12, 31))
    assert edge["committed_vnd"] == 100_000_000 and edge["disbursed_vnd"] == 0
    b = services.report_figures(tenant_b.id, date(2023, 1, 1), date(2023, 12, 31))
    assert (b["committed_usd_cents"], b["disbursed_usd_cents"]) == (250_000, 125_025)  # A's never included
    assert services.report_figures(tenant_a.id, date(2025, 1, 1), date(2025, 12, 31)) == dict.fromkeys(figures, 0)
    assert all(isinstance(v, int) for v in figures.values())
