"""The province registry: 63 units before 1 July 2025, 34 after, with predecessor links."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from tenants.models import Province
from tenants.registry import current_unit_of, load_provinces, provinces_on


def by_slug_on(slug: str, day: date) -> Province:
    return next(p for p in provinces_on(day) if p.slug == slug)


def test_counts_before_and_after_the_reorganisation():
    load_provinces()
    assert len(provinces_on(date(2025, 6, 30))) == 63
    assert len(provinces_on(date(2025, 7, 1))) == 34
    assert len(provinces_on(date(2026, 11, 23))) == 34


def test_merges_link_predecessors():
    load_provinces()
    phu_tho = by_slug_on("phu-tho", date(2025, 7, 1))
    assert sorted(p.name for p in phu_tho.predecessors) == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]
    hai_phong = by_slug_on("hai-phong", date(2025, 7, 1))
    assert {p.slug for p in hai_phong.predecessors} == {"hai-phong", "hai-duong"}
    vinh_phuc = by_slug_on("vinh-phuc", date(2025, 6, 30))
    assert vinh_phuc.valid_to == date(2025, 6, 30)
    assert current_unit_of(vinh_phuc).name == "Phú Thọ"


def test_unchanged_units_continue():
    load_provinces()
    ha_noi = by_slug_on("ha-noi", date(2025, 7, 1))
    assert ha_noi.valid_to is None and ha_noi.predecessors == []
    assert ha_noi is by_slug_on("ha-noi", date(2020, 1, 1))
    assert current_unit_of(ha_noi) is ha_noi


def test_loading_twice_changes_nothing():
    load_provinces()
    count = db.session.scalar(sa.select(sa.func.count(Province.id)))
    load_provinces()
    assert db.session.scalar(sa.select(sa.func.count(Province.id))) == count == 63 + 23
