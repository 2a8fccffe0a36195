"""The province registry: the 63 units before 1 July 2025 and the 34 after, loaded from data/."""

import json
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from tenants.models import Province

DATA_FILE = Path(__file__).parent / "data" / "provinces.json"


def _fields(entry: dict) -> dict:
    return {k: entry[k] for k in ("code", "name", "name_en", "kind", "region")}


def load_provinces(path: Path = DATA_FILE) -> dict[str, int]:
    """Insert or update the registry from the data file (idempotent); returns counts."""
    data = json.loads(path.read_text(encoding="utf-8"))
    reorganised = date.fromisoformat(data["reorganised_on"])
    layout_from = date.fromisoformat(data["previous_layout_from"])
    existing = {(p.slug, p.valid_from): p for p in db.session.scalars(sa.select(Province))}

    def upsert(slug, valid_from, valid_to, fields) -> Province:
        province = existing.get((slug, valid_from))
        if province is None:
            province = existing[(slug, valid_from)] = Province(slug=slug, valid_from=valid_from)
            db.session.add(province)
        province.valid_to = valid_to
        for key, value in fields.items():
            setattr(province, key, value)
        return province

    merged_away = {slug for unit in data["after"] for slug in unit.get("from", ())}
    old = {e["slug"]: upsert(e["slug"], layout_from,
                             reorganised - timedelta(days=1) if e["slug"] in merged_away else None, _fields(e))
           for e in data["before"]}
    for unit in data["after"]:
        if unit.get("unchanged"):
            continue
        new = upsert(unit["slug"], reorganised, None, _fields(unit))
        new.predecessors = [old[slug] for slug in unit["from"]]
    db.session.commit()
    return {"before": len(data["before"]), "after": len(data["after"])}


def provinces_on(day: date) -> list[Province]:
    """The units in force on `day`, by code."""
    stmt = sa.select(Province).where(Province.valid_from <= day,
                                     sa.or_(Province.valid_to.is_(None), Province.valid_to >= day))
    return list(db.session.scalars(stmt.order_by(Province.code)))


def current_unit_of(province: Province) -> Province:
    """Follow successor links to the unit in force today (itself if never merged)."""
    while province.valid_to is not None and province.successors:
        province = province.successors[0]
    return province
