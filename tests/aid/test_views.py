"""The aid pages: public per union, console list/detail, national tables, IATI downloads; roles and hosts."""

import re
from datetime import date

import pytest
from lxml import etree

from app.core.money import Money
from app.demo.loader import DEMO_PASSWORD, load_demo

C, D = "commitment", "disbursement"


@pytest.fixture
def demo(app):
    load_demo()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_hai_duong_public_page_shows_the_2023_totals(demo, browser):
    page = browser.get("/vien-tro/", host="hai-duong.localhost")
    assert page.status_code == 200
    body = text(page)
    for figure in ("31,5 tỷ đồng", "31.500.000.000 ₫", "1,3 triệu USD", "1,24 triệu USD",
                   "Xây dựng nhà lớp học 1 tầng 2 phòng", "1.800.000.000 ₫", "GIBTK"):
        assert figure in body, figure
    assert "Dự án đang vận động" not in body  # Phú Thọ's, and not public anyway
    earlier = text(browser.get("/vien-tro/?year=2022", host="hai-duong.localhost"))
    assert "16,5 tỷ đồng" in earlier and "Xây dựng nhà lớp học" not in earlier
    assert browser.get("/vien-tro/?year=abc", host="hai-duong.localhost").status_code == 200


def test_console_list_and_detail_for_permitted_roles(demo, browser):
    browser.login("reporter@hai-duong.demo", DEMO_PASSWORD)
    body = text(browser.get("/manage/hai-duong/aid/"))
    assert "31,5 tỷ đồng" in body and "1,24 triệu USD" in body and "+91,1 %" in body
    link = re.search(r'href="/manage/hai-duong/aid/(\d+)"', body).group(1)
    detail = browser.get(f"/manage/hai-duong/aid/{link}")
    assert detail.status_code == 200
    assert "Tổng của dự án" in text(detail) and "Giao dịch" in text(detail)
    tx_link = re.search(r'href="/manage/hai-duong/aid/transactions/(\d+)"', text(detail)).group(1)
    tx = text(browser.get(f"/manage/hai-duong/aid/transactions/{tx_link}"))
    assert "Tỷ giá áp dụng" in tx


def test_author_may_not_open_the_aid_console(demo, browser):
    browser.login("author@hai-duong.demo", DEMO_PASSWORD)
    assert browser.get("/manage/hai-duong/aid/").status_code == 403


def test_console_aid_is_not_served_on_a_tenant_host(demo, browser):
    browser.login("admin@hai-duong.demo", DEMO_PASSWORD)
    assert browser.get("/manage/hai-duong/aid/", host="hai-duong.localhost").status_code == 404
    assert browser.get("/national/aid/", host="hai-duong.localhost").status_code == 404


def test_national_view_sums_every_union(demo, browser):
    browser.login("viewer@vufo.demo", DEMO_PASSWORD)
    by_union = text(browser.get("/national/aid/?by=union&year=2023"))
    assert "Liên hiệp các tổ chức hữu nghị tỉnh Hải Dương" in by_union
    assert "31.500.000.000 ₫" in by_union
    assert "Tuyên Quang" in by_union and "Phú Thọ" in by_union
    for by in ("donor", "sector", "year"):
        response = browser.get(f"/national/aid/?by={by}")
        assert response.status_code == 200, by
    assert "COPION" in text(browser.get("/national/aid/?by=donor&year=2023"))
    assert "Đào tạo nghề" in text(browser.get("/national/aid/?by=sector&year=2023"))
    assert browser.get("/national/aid/?by=nonsense").status_code == 200


def test_union_staff_cannot_open_the_national_view(demo, browser):
    browser.login("admin@hai-duong.demo", DEMO_PASSWORD)
    assert browser.get("/national/aid/").status_code == 403


def test_iati_downloads(demo, browser):
    browser.login("platform@vufo.demo", DEMO_PASSWORD)
    union = browser.get("/manage/hai-duong/aid/iati.xml")
    assert union.status_code == 200 and union.mimetype == "application/xml"
    assert len(etree.fromstring(union.data).findall("iati-activity")) == 13
    national = browser.get("/national/aid/iati.xml")
    refs = {a.find("reporting-org").get("ref") for a in etree.fromstring(national.data).findall("iati-activity")}
    assert refs == {"VN-LHHN-HAI-DUONG", "VN-LHHN-VINH-PHUC", "VN-LHHN-TUYEN-QUANG", "VN-LHHN-PHU-THO"}
    empty = browser.get("/manage/dak-lak/aid/iati.xml")
    assert empty.status_code == 302  # nothing public to export: back to the list with a message


def test_a_union_never_sees_another_unions_projects(make_aid_project, make_user, browser, tenant_a, tenant_b):
    make_aid_project(tenant_a, "Trang riêng của A", transactions=[(C, date(2023, 1, 1), Money(5, "VND"))])
    make_aid_project(tenant_b, "Dự án của B", transactions=[(C, date(2023, 1, 1), Money(7, "VND"))])
    make_user("editor@b.vn", tenant=tenant_b, role="editor")
    browser.login("editor@b.vn")
    console = text(browser.get("/manage/tinh-b/aid/?year=all"))
    public = text(browser.get("/vien-tro/?year=all", host="tinh-b.localhost"))
    for body in (console, public):
        assert "Dự án của B" in body and "Trang riêng của A" not in body
        assert "7 ₫" in body and "12 ₫" not in body
