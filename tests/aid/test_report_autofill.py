"""A union's periodic report pre-fills aid committed/disbursed (VND and USD) from its own transactions in the
period's window, exactly the sums of those transactions."""

from datetime import date

import pytest

from app.core.money import Money
from app.extensions import db
from tenants.context import tenant_context

AID_CODES = ("aid.committed_vnd", "aid.disbursed_vnd", "aid.committed_usd_cents", "aid.disbursed_usd_cents")


@pytest.fixture
def aid_period(app):
    from app.reporting.models import Indicator, ReportingPeriod, ReportTemplate, TemplateVersion

    template = ReportTemplate(code="vien-tro", name_vi="Báo cáo viện trợ", name_en="Aid report")
    version = TemplateVersion(template=template, number=1, published=True)
    for position, code in enumerate(AID_CODES):
        unit = "USD" if code.endswith("usd_cents") else "VND"
        version.indicators.append(Indicator(code=code, name_vi=code, name_en=code, unit=unit, aggregation="sum",
                                            required=False, auto_source=code, position=position))
    period = ReportingPeriod(kind="annual", year=2023, name_vi="Tổng kết 2023", name_en="Annual 2023",
                             window_start=date(2022, 12, 15), window_end=date(2023, 12, 14),
                             due_date=date(2023, 12, 20), template=template)
    db.session.add_all([template, period])
    db.session.commit()
    return period.id


def test_report_prefill_equals_the_transaction_sums(aid_period, make_aid_project, tenant_a, tenant_b):
    from app.reporting import workflow
    from app.reporting.models import ReportingPeriod

    make_aid_project(tenant_a, "Lớp học cho trẻ em vùng cao", transactions=[
        ("commitment", date(2022, 12, 15), Money(1_800_000_000, "VND")),  # first day of the window: in
        ("commitment", date(2023, 6, 1), Money(50_000_00, "USD")),  # 50 000 USD at 24 230 đ
        ("disbursement", date(2023, 12, 14), Money(309_000_000, "VND")),  # last day: in
        ("disbursement", date(2023, 12, 15), Money(999_000_000, "VND")),  # the next window: out
        ("commitment", date(2022, 12, 14), Money(777_000_000, "VND")),  # the previous window: out
    ])
    make_aid_project(tenant_b, "Dự án của tỉnh B", transactions=[
        ("commitment", date(2023, 3, 1), Money(5_000_000_000, "VND"))])  # another union: never counted
    with tenant_context(tenant_a.id):
        period = db.session.get(ReportingPeriod, aid_period)
        report = workflow.open_report(period)
        prefilled = {v.indicator.code: v.prefilled for v in report.values}
        assert prefilled == {v.indicator.code: v.value for v in report.values}  # pre-filled = the value offered
    committed_vnd = 1_800_000_000 + 50_000 * 24_230
    assert prefilled["aid.committed_vnd"] == committed_vnd
    assert prefilled["aid.disbursed_vnd"] == 309_000_000
    # USD in cents: the VND commitment converted at the rate of its date (half up, integers only), plus the USD one
    def cents(dong: int) -> int:
        return (dong * 100 + 24_230 // 2) // 24_230

    assert prefilled["aid.committed_usd_cents"] == cents(1_800_000_000) + 50_000_00
    assert prefilled["aid.disbursed_usd_cents"] == cents(309_000_000)
