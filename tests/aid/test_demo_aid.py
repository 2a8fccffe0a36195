"""The Hải Dương demo reconciles to its 2023 review: 1,3 triệu USD (31,5 tỷ đồng, +91,1 %), 1,24 triệu USD disbursed."""

import sqlalchemy as sa

from app.aid import services
from app.aid.models import AidProject, AidTransaction, Donor, ExchangeRate
from app.core.money import format_full, format_percent, format_words
from app.demo.loader import load_demo
from app.extensions import db
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


def _counts():
    with all_tenants("test: demo counts"):
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                     for m in (Donor, ExchangeRate, AidProject, AidTransaction))


def test_hai_duong_2023_matches_the_seed(app):
    load_demo()
    hai_duong = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "hai-duong")).one()
    with tenant_context(hai_duong.id):
        this, last, growth = services.union_growth(2023)
    assert format_full(this.committed_vnd) == "31.500.000.000 ₫"
    assert format_words(this.committed_vnd) == "31,5 tỷ đồng"
    assert format_words(this.committed_usd) == "1,3 triệu USD"
    assert format_words(this.disbursed_usd) == "1,24 triệu USD"
    assert format_percent(growth) == "+91,1 %"
    assert last.committed_vnd.minor == 16_480_000_000
    national = {t.slug: totals for t, totals in services.national_totals("union", *services.year_window(2023))}
    assert national["hai-duong"].committed_vnd == this.committed_vnd
    assert national["hai-duong"].disbursed_usd == this.disbursed_usd
    assert {"vinh-phuc", "tuyen-quang", "phu-tho"} <= set(national)


def test_demo_aid_is_idempotent(app):
    load_demo()
    first = _counts()
    load_demo()
    assert _counts() == first
    assert first[2] >= 15


def test_the_2023_filler_says_what_it_is(app):
    from app.demo.aid import FILLER_TITLE

    load_demo()
    hai_duong = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "hai-duong")).one()
    with tenant_context(hai_duong.id):
        # a demo DB loaded before the filler was renamed: the next load renames it instead of adding a second one
        filler = db.session.scalars(sa.select(AidProject).where(AidProject.title_vi == FILLER_TITLE)).one()
        filler.title_vi = "Các khoản viện trợ nhỏ khác năm 2023"
        db.session.commit()
    before = _counts()
    load_demo()
    assert _counts() == before
    with tenant_context(hai_duong.id):
        filler = db.session.scalars(sa.select(AidProject).where(AidProject.title_vi == FILLER_TITLE)).one()
        assert "dữ liệu mẫu" in filler.title_vi and "không phải một dự án" in filler.description
        assert filler.donors == [] and {t.donor_id for t in filler.transactions} == {None}
        assert format_full(services.union_totals(*services.year_window(2023)).committed_vnd) == "31.500.000.000 ₫"


def test_hai_duong_calendar_years_equal_its_report_windows_and_old_dates_move(app):
    from datetime import date

    from app.core.money import Money

    load_demo()
    hai_duong = db.session.scalars(sa.select(Tenant).where(Tenant.slug == "hai-duong")).one()
    with tenant_context(hai_duong.id):
        for year in (2022, 2023):
            window = services.union_totals(date(year - 1, 12, 15), date(year, 12, 14))
            calendar = services.union_totals(*services.year_window(year))
            assert (window.committed_vnd, window.disbursed_vnd) == (calendar.committed_vnd, calendar.disbursed_vnd)
        # a demo DB loaded when this disbursement was dated 15/12/2022: the next load moves it, adding nothing
        moved = db.session.scalars(sa.select(AidTransaction).where(AidTransaction.amount == 780_000_000,
                                                                   AidTransaction.kind == "disbursement")).one()
        services.set_transaction_values(moved, "disbursement", date(2022, 12, 15), Money(780_000_000, "VND"))
        db.session.commit()
    before = _counts()
    load_demo()
    assert _counts() == before
    with tenant_context(hai_duong.id):
        assert db.session.get(AidTransaction, moved.id).date == date(2022, 12, 10)
        assert services.union_totals(date(2022, 12, 15), date(2023, 12, 14)).disbursed_vnd.minor == 30_045_000_000
