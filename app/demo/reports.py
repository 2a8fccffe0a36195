"""Demo reporting: the emulation template, periods 2022 → 2026 (half-year and annual) and the unions' reports.

Aid figures come from the aid registry's transactions through the `aid.*` auto-sources (registered at
start-up in create_app). Every step upserts (a report that exists is left as it is), so loading twice changes nothing.
"""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.core.timeutil import VN_TZ
from app.demo.data import demo_years
from app.extensions import db
from app.reporting import sources
from app.reporting.models import (
    EmulationCriterion,
    Indicator,
    Report,
    ReportingPeriod,
    ReportNarrative,
    ReportTemplate,
    ReportValue,
    TemplateVersion,
)
from tenants.context import tenant_context
from tenants.models import Tenant

# code, name_vi, name_en, unit, aggregation, required, min, max, auto_source
INDICATORS = (
    ("aid.committed_vnd", "Viện trợ cam kết", "Aid committed", "VND", "sum", False, 0, None, "aid.committed_vnd"),
    ("aid.disbursed_vnd", "Viện trợ giải ngân", "Aid disbursed", "VND", "sum", False, 0, None, "aid.disbursed_vnd"),
    ("members.organisations", "Số tổ chức thành viên", "Member organisations", "count", "latest", True, 0, 200,
     "members.organisations"),
    ("news.published", "Tin bài đăng trên trang thông tin", "News published", "count", "sum", False, 0, None,
     "news.published"),
    ("activities.held", "Hoạt động đối ngoại nhân dân", "People's diplomacy activities", "count", "sum", True, 0,
     None, None),
    ("delegations.received", "Đoàn nước ngoài được đón tiếp", "Foreign delegations received", "count", "sum",
     False, 0, None, None),
    ("plan.completion_bp", "Tỷ lệ hoàn thành kế hoạch năm", "Share of the year's plan completed", "percent",
     "average", True, 0, 10000, None),
)
CRITERIA = (
    ("c1", "Thực hiện các chỉ thị, nghị quyết về công tác đối ngoại nhân dân", "Carrying out the directives", 30),
    ("c2", "Kết quả hoạt động hữu nghị và vận động viện trợ", "Friendship activities and aid mobilisation", 40),
    ("c3", "Xây dựng tổ chức và chế độ báo cáo", "Organisation and reporting", 30),
)
CLUSTER_SLUGS = ("vinh-phuc", "hai-duong", "tuyen-quang", "phu-tho", "bac-ninh", "thai-nguyen")
HAI_DUONG_2023 = {"members.organisations": 13, "activities.held": 42, "delegations.received": 9,
                  "plan.completion_bp": 10000}
HAI_DUONG_2023_NARRATIVE = {
    "results": "<p>Năm 2023, Liên hiệp tỉnh Hải Dương triển khai đầy đủ các văn bản chỉ đạo về công tác đối ngoại "
               "nhân dân, phối hợp với 12 hội hữu nghị thành viên và Trung tâm hợp tác hữu nghị tổ chức các hoạt động "
               "kỷ niệm ngày thiết lập quan hệ ngoại giao với các nước bạn.</p>",
    "shortcomings": "<p>Một số hội thành viên còn thiếu kinh phí hoạt động; việc cập nhật tin bài lên trang thông tin "
                    "chưa đều giữa các quý.</p>",
    "key_tasks": "<p>Năm 2024: củng cố tổ chức các hội thành viên, mở rộng hợp tác với các địa phương kết nghĩa và "
                 "tiếp tục vận động các tổ chức phi chính phủ nước ngoài tài trợ dự án cho tỉnh.</p>",
}


def _template() -> ReportTemplate:
    template = db.session.scalar(sa.select(ReportTemplate).where(ReportTemplate.code == "thi-dua"))
    if template is not None:
        return template
    template = ReportTemplate(code="thi-dua", name_vi="Báo cáo công tác thi đua của Liên hiệp tỉnh, thành phố",
                              name_en="Emulation report of a provincial union")
    version = TemplateVersion(template=template, number=1, published=True)
    for position, (code, vi, en, unit, aggregation, required, low, high, source) in enumerate(INDICATORS):
        version.indicators.append(Indicator(code=code, name_vi=vi, name_en=en, unit=unit, aggregation=aggregation,
                                            required=required, min_value=low, max_value=high, auto_source=source,
                                            position=position))
    for position, (code, vi, en, points) in enumerate(CRITERIA):
        version.criteria.append(EmulationCriterion(code=code, name_vi=vi, name_en=en, max_points=points,
                                                   position=position))
    db.session.add(template)
    db.session.flush()
    return template


def _periods(template: ReportTemplate) -> list[ReportingPeriod]:
    periods = []
    for year in demo_years():
        for kind in ("half_year", "annual"):
            period = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.kind == kind,
                                                                        ReportingPeriod.year == year))
            if period is None:
                half = kind == "half_year"
                end = date(year, 6, 14) if half else date(year, 12, 14)  # counted 15/12 of the year before → 14/…
                period = ReportingPeriod(
                    kind=kind, year=year, template=template, window_start=date(year - 1, 12, 15), window_end=end,
                    due_date=end + timedelta(days=6), lock_after_days=30,
                    name_vi=f"{'Sơ kết 6 tháng đầu năm' if half else 'Tổng kết năm'} {year}",
                    name_en=f"{'Half-year review' if half else 'Annual review'} {year}")
                db.session.add(period)
            periods.append(period)
    db.session.commit()
    return periods


def _figures(n: int, period: ReportingPeriod) -> dict[str, int]:
    """Plausible figures that grow a little each year (the half-year about half the year's)."""
    scale = 1 if period.kind == "annual" else 2
    grow = period.year - 2021
    return {"members.organisations": 6 + n, "activities.held": (18 + 4 * n + 3 * grow) // scale,
            "delegations.received": (3 + n + grow) // scale, "plan.completion_bp": 8600 + 150 * grow + 40 * n}


def _status(period: ReportingPeriod, n: int) -> str | None:
    """The report's state, or None where the union has not opened it. In a period still open for submissions
    (2026's annual review, due 20/12/2026), Tuyên Quang, Phú Thọ and Thái Nguyên have yet to start: the demo
    walk-through fills and submits one."""
    from app.reporting.workflow import period_closed

    if not period_closed(period):
        return ("draft", "draft", None, None, "submitted", None)[n % 6]
    if period.year < 2025:
        return "final"
    if period.kind == "half_year":
        return "accepted"
    # Tuyên Quang (n = 2) accepted: its first annual review after absorbing Hà Giang's union shows its growth
    return ("submitted", "accepted", "accepted", "returned", "draft", "accepted")[n % 6]


def _report(tenant: Tenant, n: int, period: ReportingPeriod) -> bool:
    if _status(period, n) is None:
        return False
    with tenant_context(tenant.id):
        if db.session.scalar(sa.select(Report.id).where(Report.period_id == period.id)) is not None:
            return False
        version = period.template.versions[-1]
        figures = _figures(n, period)
        if tenant.slug == "hai-duong" and period.year == 2023 and period.kind == "annual":
            figures = HAI_DUONG_2023
        report = Report(period_id=period.id, version_id=version.id, status="draft")
        for indicator in version.indicators:
            value = figures.get(indicator.code)
            prefilled = sources.figure(indicator.auto_source, tenant.id, period.window_start, period.window_end)
            if value is None and (indicator.code == "news.published" or indicator.code.startswith("aid.")):
                value = prefilled  # taken from the platform as it stands (news, and aid from the transactions)
            report.values.append(ReportValue(indicator_id=indicator.id, value=value, prefilled=prefilled))
        if figures is HAI_DUONG_2023:
            for key, html in HAI_DUONG_2023_NARRATIVE.items():
                report.narratives.append(ReportNarrative(key=key, body_html=html))
        db.session.add(report)
        db.session.flush()
        report.status = _status(period, n)
        if report.status != "draft":
            submitted = datetime.combine(period.due_date - timedelta(days=n % 4), time(9, 30), VN_TZ)
            report.submitted_at = min(submitted, datetime.now(VN_TZ) - timedelta(days=3))  # never in the future
        db.session.commit()
        return True


def load_reports(tenants: list[Tenant]) -> int:
    """The template, the periods and a report per cluster union and period; then the rollups."""
    from app.demo import reorg
    from app.reporting.rollups import compute_full

    periods = _periods(_template())
    by_slug = {t.slug: t for t in tenants}
    created = 0
    for n, slug in enumerate(CLUSTER_SLUGS):
        if slug in by_slug:
            created += sum(_report(by_slug[slug], n, period) for period in periods)
    # The rest of the 2025 map: the regional clusters' unions from 2024 on, the merged unions until the merge.
    predecessors = {spec["slug"] for spec in reorg.PREDECESSORS}
    for n, tenant in enumerate(sorted(tenants, key=lambda t: t.slug)):
        if tenant.is_national or tenant.slug in CLUSTER_SLUGS:
            continue
        for period in periods:
            if tenant.slug in predecessors:
                wanted = reorg.before_merge(period)
            else:
                wanted = period.year in reorg.REGIONAL_YEARS and tenant.status != "merged"
            if wanted:
                created += _report(tenant, n, period)
    compute_full()
    return created
