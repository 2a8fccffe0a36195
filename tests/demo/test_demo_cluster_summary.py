"""Issue 5's "done when", on the demo data: the national union opens the 2023 annual summary of Cụm thi đua số 01,
sees each union's status and figures with Hải Dương's +91,1 %, and downloads the Word and Excel reports."""

from decimal import Decimal

import sqlalchemy as sa

from app.demo.loader import DEMO_PASSWORD, load_demo
from app.extensions import db
from app.reporting.models import ReportingPeriod
from tenants.models import Cluster
from tests.reporting.screen import docx_tables, docx_text, union_rows, xlsx_sheets

HAI_DUONG = "Liên hiệp các tổ chức hữu nghị tỉnh Hải Dương"


def test_cluster_01_annual_2023_summary_and_its_exports(app, browser):
    load_demo()
    period = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.kind == "annual",
                                                                ReportingPeriod.year == 2023))
    cluster = db.session.scalar(sa.select(Cluster).where(Cluster.code == "01"))
    browser.login("viewer@vufo.demo", DEMO_PASSWORD)
    period_page = browser.get(f"/national/reports/{period.id}").get_data(as_text=True)
    base = f"/national/reports/{period.id}/clusters/{cluster.id}"
    assert base in period_page
    page = browser.get(base)
    assert page.status_code == 200
    rows = union_rows(page.get_data(as_text=True))
    assert len(rows) == 6 and all(row[0] == "Đã phê duyệt cuối cùng" for row in rows.values())
    # aid committed: 31,5 tỷ đồng against 2022's 16,48 tỷ → +91,1 %
    assert rows[HAI_DUONG][1:3] == ["31.500.000.000 ₫", "+91,1 %"]
    html = page.get_data(as_text=True)
    assert "Trích nội dung báo cáo" in html and "12 hội hữu nghị thành viên" in html  # Hải Dương's narrative

    word = browser.get(base + "/export.docx")
    assert word.status_code == 200
    unions = docx_tables(word.data)[1]
    hai_duong = next(row for row in unions if row[0] == HAI_DUONG)
    assert hai_duong[2:4] == ["31.500.000.000 ₫", "+91,1 %"]
    assert "Cụm thi đua số 01" in docx_text(word.data) and "12 hội hữu nghị thành viên" in docx_text(word.data)

    excel = browser.get(base + "/export.xlsx")
    assert excel.status_code == 200
    sheet = list(xlsx_sheets(excel.data).values())[1]
    hai_duong = next(row for row in sheet if row[0] == HAI_DUONG)
    assert hai_duong[2] == 31_500_000_000 and round(Decimal(str(hai_duong[3])), 3) == Decimal("0.911")

    dashboard = browser.get(f"/national/reports/dashboard/clusters/{cluster.id}?period={period.id}&projector=1")
    assert dashboard.status_code == 200
    text = dashboard.get_data(as_text=True)
    assert "31,5 tỷ đồng" in text and "2025" in text  # the aid chart across the annual periods
