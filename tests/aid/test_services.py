"""Recording transactions at dated rates, and totals per project, union, period and nationally."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.aid import services
from app.aid.models import AidProject, AidTransaction, Donor
from app.core.money import Money
from app.extensions import db
from tenants.context import TenantContextMissing, tenant_context

C, D = "commitment", "disbursement"


def test_a_transaction_stores_vnd_and_usd_at_the_rate_of_its_date(make_aid_project, make_rate, tenant_a):
    make_rate("KRW", date(2023, 1, 1), "18.5")
    make_rate("KRW", date(2023, 7, 1), "17.9")
    make_rate("USD", date(2023, 7, 1), "24000")
    project = make_aid_project(tenant_a, transactions=[
        (C, date(2023, 3, 1), Money(1_000_001, "KRW")),
        (D, date(2023, 8, 15), Money(1_000_001, "KRW")),
        (C, date(2023, 8, 15), Money.of("100.50", "USD")),
    ])
    with tenant_context(tenant_a.id):
        march, august, dollars = db.session.scalars(sa.select(AidTransaction).order_by(AidTransaction.id)).all()
    assert (march.vnd_amount, march.vnd_rate, march.vnd_rate_on) == (18_500_019, Decimal("18.5"), date(2023, 1, 1))
    assert march.usd_amount == 76_352  # 18_500_019 / 24230 = 763.517… USD, half up to cents
    assert (august.vnd_amount, august.vnd_rate) == (17_900_018, Decimal("17.9"))
    assert august.usd_amount == 74_583  # at 24000, the rate in force from 1 July
    assert (dollars.amount, dollars.usd_amount, dollars.vnd_amount) == (10_050, 10_050, 2_412_000)
    assert project.id == march.project_id


def test_a_missing_rate_is_a_clear_error(make_aid_project, tenant_a):
    project = make_aid_project(tenant_a)
    with tenant_context(tenant_a.id), pytest.raises(services.RateMissing, match="EUR.*01/01/2023"):
        services.record_transaction(db.session.merge(project), C, date(2023, 1, 1), Money(100, "EUR"))
    with pytest.raises(services.AidError):
        services.set_rate("USD", date(2023, 1, 1), "0")


def test_a_later_rate_correction_does_not_change_recorded_figures(make_aid_project, make_rate, tenant_a):
    make_aid_project(tenant_a, transactions=[(C, date(2023, 3, 1), Money.of("1000", "USD"))])
    make_rate("USD", date(2020, 1, 1), "30000")  # corrects the rate the transaction used
    with tenant_context(tenant_a.id):
        tx = db.session.scalars(sa.select(AidTransaction)).one()
        assert (tx.vnd_amount, tx.vnd_rate) == (24_230_000, Decimal("24230"))


def _hai_duong_like(make_aid_project, tenant):
    first = make_aid_project(tenant, "Lớp học", transactions=[
        (C, date(2023, 2, 1), Money(1_800_000_000, "VND")),
        (D, date(2023, 5, 1), Money(1_800_000_000, "VND")),
        (C, date(2022, 6, 1), Money(500_000_000, "VND")),
    ])
    second = make_aid_project(tenant, "Nhà vệ sinh", public=False, transactions=[
        (C, date(2023, 9, 1), Money(309_000_000, "VND")),
        (D, date(2023, 12, 31), Money(104_000_000, "VND")),
        (D, date(2024, 1, 1), Money(205_000_000, "VND")),
    ])
    return first, second


def test_totals_per_project_union_and_period(make_aid_project, tenant_a, tenant_b):
    first, second = _hai_duong_like(make_aid_project, tenant_a)
    make_aid_project(tenant_b, "Của B", transactions=[(C, date(2023, 1, 1), Money(7, "VND"))])
    with tenant_context(tenant_a.id):
        per_project = services.project_totals(*services.year_window(2023))
        assert per_project[first.id].committed_vnd == Money(1_800_000_000, "VND")
        assert per_project[second.id].disbursed_vnd == Money(104_000_000, "VND")  # 2024's part is outside
        everything = services.project_totals()
        assert everything[second.id].disbursed_vnd == Money(309_000_000, "VND")
        year = services.union_totals(*services.year_window(2023))
        assert year.committed_vnd == Money(2_109_000_000, "VND")
        assert year.disbursed_vnd == Money(1_904_000_000, "VND")
        assert year.committed_usd == Money(7_428_807 + 1_275_279, "USD")  # each VND amount over 24230, then summed
        assert year.projects == 2
        public = services.union_totals(*services.year_window(2023), public_only=True)
        assert public.committed_vnd == Money(1_800_000_000, "VND") and public.projects == 1
        # the window's edges are inclusive
        assert services.union_totals(date(2023, 12, 31), date(2023, 12, 31)).disbursed_vnd.minor == 104_000_000
        assert services.union_totals(date(2025, 1, 1)).projects == 0
        this, last, growth = services.union_growth(2023)
        assert last.committed_vnd.minor == 500_000_000
        assert growth == Decimal("321.8")


def test_totals_need_a_tenant_or_the_national_opt_out(make_aid_project, tenant_a):
    _hai_duong_like(make_aid_project, tenant_a)
    with pytest.raises(TenantContextMissing):
        services.union_totals()


def test_national_sums_by_union_donor_sector_and_year(make_aid_project, make_donor, tenant_a, tenant_b):
    gpi, copion = make_donor(), make_donor("COPION", acronym="COPION")
    make_aid_project(tenant_a, "A1", donors=[gpi], sector_code="11220", transactions=[
        (C, date(2023, 1, 5), Money(1_000, "VND"), gpi), (D, date(2023, 2, 5), Money(400, "VND"), gpi)])
    make_aid_project(tenant_a, "A2", sector_code="14032", transactions=[(C, date(2022, 1, 5), Money(50, "VND"))])
    make_aid_project(tenant_b, "B1", donors=[gpi, copion], sector_code="11220", transactions=[
        (C, date(2023, 3, 5), Money(300, "VND"), gpi), (C, date(2023, 3, 6), Money(200, "VND"), copion)])

    by_union = {t.slug: totals for t, totals in services.national_totals("union")}
    assert by_union["tinh-a"].committed_vnd.minor == 1_050
    assert by_union["tinh-b"].committed_vnd.minor == 500
    assert by_union["tinh-a"].disbursed_vnd.minor == 400
    by_donor = {getattr(d, "name", d): totals.committed_vnd.minor for d, totals in services.national_totals("donor")}
    assert by_donor == {"Good People International": 1_300, "COPION": 200, None: 50}
    by_sector = {code: totals.committed_vnd.minor for code, totals in services.national_totals("sector")}
    assert by_sector == {"11220": 1_500, "14032": 50}
    by_year = {year: totals.committed_vnd.minor for year, totals in services.national_totals("year")}
    assert by_year == {2023: 1_500, 2022: 50}
    in_2023 = services.national_grand_total(*services.year_window(2023))
    assert in_2023.committed_vnd.minor == 1_500 and in_2023.disbursed_vnd.minor == 400
    assert in_2023.committed_vnd.minor == sum(t.committed_vnd.minor for _, t in
                                              services.national_totals("union", *services.year_window(2023)))
    with pytest.raises(services.AidError):
        services.national_totals("colour")


def test_donor_links_stay_in_the_project_tenant(make_aid_project, make_donor, tenant_a):
    gpi = make_donor()
    project = make_aid_project(tenant_a, donors=[gpi])
    with tenant_context(tenant_a.id):
        rows = db.session.execute(sa.text("select tenant_id, project_id, donor_id from aid_project_donor")).all()
        assert rows == [(tenant_a.id, project.id, gpi.id)]
        assert [d.name for d in db.session.get(AidProject, project.id).donors] == ["Good People International"]


def test_sectors_are_curated_five_digit_codes():
    sectors = services.sectors()
    assert all(len(code) == 5 and code.isdigit() for code in sectors)
    assert services.sector_name("11330") == "Đào tạo nghề"
    assert services.sector_name("11330", "en") == "Vocational training"
    assert services.sector_name("00000") == "00000"


def test_donor_registry_is_national(make_donor, tenant_a, tenant_b):
    make_donor()
    for tenant in (tenant_a, tenant_b):
        with tenant_context(tenant.id):
            assert [d.acronym for d in db.session.scalars(sa.select(Donor))] == ["GPI"]
