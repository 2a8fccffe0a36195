"""Aid registry rules: rates, recording transactions, totals per project, union, period and nationally."""

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from app.aid.models import AidProject, AidTransaction, Donor, ExchangeRate, TransactionKind
from app.core.money import Money, MoneyError, exponent, growth_percent, to_decimal
from app.extensions import db
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


class AidError(ValueError):
    """A rule of the registry was broken; the message is shown to the user."""


class RateMissing(AidError):
    pass


# --- sectors -----------------------------------------------------------------------------------

@cache
def sectors() -> dict[str, dict[str, str]]:
    """The curated OECD DAC purpose codes: code -> {'vi': …, 'en': …}."""
    raw = json.loads((Path(__file__).parent / "data" / "dac_sectors.json").read_text(encoding="utf-8"))
    return {row["code"]: {"vi": row["vi"], "en": row["en"]} for row in raw["sectors"]}


def sector_name(code: str | None, locale: str = "vi") -> str:
    names = sectors().get(code or "")
    if names is None:
        return code or ""
    return names["en" if str(locale).startswith("en") else "vi"]


# --- exchange rates ----------------------------------------------------------------------------

def rate_on(currency: str, day: date) -> ExchangeRate:
    """The rate in force on `day`: the newest row dated on or before it."""
    stmt = (sa.select(ExchangeRate).where(ExchangeRate.currency == currency, ExchangeRate.valid_on <= day)
            .order_by(ExchangeRate.valid_on.desc()).limit(1))
    rate = db.session.scalars(stmt).first()
    if rate is None:
        raise RateMissing(f"Không có tỷ giá {currency} áp dụng cho ngày {day:%d/%m/%Y}.")
    return rate


def set_rate(currency: str, valid_on: date, vnd_per_unit, source: str = "") -> ExchangeRate:
    """Create or correct the rate of one currency on one date (national registry)."""
    exponent(currency)
    if currency == "VND":
        raise AidError("VND không cần tỷ giá.")
    rate = db.session.scalars(sa.select(ExchangeRate).where(ExchangeRate.currency == currency,
                                                            ExchangeRate.valid_on == valid_on)).first()
    if rate is None:
        rate = ExchangeRate(currency=currency, valid_on=valid_on)
        db.session.add(rate)
    rate.vnd_per_unit, rate.source = _positive(vnd_per_unit), source
    return rate


def _positive(value):
    try:
        value = to_decimal(value)
    except MoneyError as error:
        raise AidError(f"Tỷ giá không hợp lệ: {value}.") from error
    if value <= 0:
        raise AidError("Tỷ giá phải lớn hơn 0.")
    return value


# --- transactions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Valuation:
    """What an amount is worth in VND and USD on a day, with the rates used."""

    vnd: Money
    vnd_rate: object
    vnd_rate_on: date
    usd: Money
    usd_rate: object


def valuation(money: Money, day: date) -> Valuation:
    """The VND and USD values of `money` at the rates in force on `day` (RateMissing if there is none)."""
    if money.minor < 0:
        raise AidError("Số tiền không được âm.")
    vnd_rate = 1 if money.currency == "VND" else rate_on(money.currency, day).vnd_per_unit
    vnd_rate_on = day if money.currency == "VND" else rate_on(money.currency, day).valid_on
    vnd = money.to_vnd(vnd_rate)
    usd_rate = rate_on("USD", day).vnd_per_unit
    usd = money if money.currency == "USD" else vnd.from_vnd_to("USD", usd_rate)
    return Valuation(vnd, vnd_rate, vnd_rate_on, usd, usd_rate)


def set_transaction_values(tx: AidTransaction, kind: str, day: date, money: Money) -> AidTransaction:
    """Set what a transaction is and fix its VND and USD values at the rates of `day`."""
    if kind not in set(TransactionKind):
        raise AidError(f"Loại giao dịch không hợp lệ: {kind}.")
    value = valuation(money, day)
    tx.kind, tx.date, tx.amount, tx.currency = kind, day, money.minor, money.currency
    tx.vnd_amount, tx.vnd_rate, tx.vnd_rate_on = value.vnd.minor, value.vnd_rate, value.vnd_rate_on
    tx.usd_amount, tx.usd_rate = value.usd.minor, value.usd_rate
    return tx


def record_transaction(project: AidProject, kind: str, day: date, money: Money, *, donor: Donor | None = None,
                       note: str = "") -> AidTransaction:
    """Add a commitment or disbursement; its VND and USD values are fixed now, at the rates of `day`."""
    tx = set_transaction_values(AidTransaction(donor=donor, note=note), kind, day, money)
    tx.project = project
    db.session.add(tx)
    return tx


# --- totals ------------------------------------------------------------------------------------

@dataclass
class Totals:
    committed_vnd: Money = field(default_factory=lambda: Money.zero("VND"))
    disbursed_vnd: Money = field(default_factory=lambda: Money.zero("VND"))
    committed_usd: Money = field(default_factory=lambda: Money.zero("USD"))
    disbursed_usd: Money = field(default_factory=lambda: Money.zero("USD"))
    projects: int = 0

    def add(self, kind: str, vnd: int, usd: int) -> None:
        if kind == TransactionKind.COMMITMENT:
            self.committed_vnd += Money(int(vnd or 0), "VND")
            self.committed_usd += Money(int(usd or 0), "USD")
        else:
            self.disbursed_vnd += Money(int(vnd or 0), "VND")
            self.disbursed_usd += Money(int(usd or 0), "USD")


def _window(stmt, start: date | None, end: date | None):
    if start is not None:
        stmt = stmt.where(AidTransaction.date >= start)
    if end is not None:
        stmt = stmt.where(AidTransaction.date <= end)
    return stmt


def _sums(key, start=None, end=None, *, public_only: bool = False, join_project: bool = False):
    """(key, kind, Σ vnd, Σ usd, project count) rows for the current scope."""
    stmt = sa.select(key, AidTransaction.kind, sa.func.sum(AidTransaction.vnd_amount),
                     sa.func.sum(AidTransaction.usd_amount), sa.func.count(sa.distinct(AidTransaction.project_id)))
    if public_only or join_project:
        stmt = stmt.join(AidProject, sa.and_(AidProject.id == AidTransaction.project_id,
                                             AidProject.tenant_id == AidTransaction.tenant_id))
    if public_only:
        stmt = stmt.where(AidProject.public.is_(True))
    stmt = _window(stmt, start, end).group_by(key, AidTransaction.kind)
    return db.session.execute(stmt).all()


def _grouped(rows) -> dict:
    result: dict = {}
    for key, kind, vnd, usd, count in rows:
        totals = result.setdefault(key, Totals())
        totals.add(kind, vnd, usd)
        totals.projects = max(totals.projects, count)
    return result


def project_totals(start: date | None = None, end: date | None = None) -> dict[int, Totals]:
    """Totals of each of the current union's projects (transactions dated inside the window)."""
    result = _grouped(_sums(AidTransaction.project_id, start, end))
    for totals in result.values():
        totals.projects = 1
    return result


def union_totals(start: date | None = None, end: date | None = None, *, public_only: bool = False) -> Totals:
    """The current union's totals over the window (its public projects only, for the public site)."""
    rows = _sums(sa.literal(1), start, end, public_only=public_only)
    totals = _grouped(rows).get(1, Totals())
    count = sa.select(sa.func.count(sa.distinct(AidTransaction.project_id)))
    if public_only:
        count = count.join(AidProject, AidProject.id == AidTransaction.project_id).where(AidProject.public.is_(True))
    totals.projects = db.session.scalar(_window(count, start, end)) or 0
    return totals


def year_window(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def union_growth(year: int) -> tuple[Totals, Totals, object]:
    """This year's and last year's totals, and the growth of commitments in VND (percent, one decimal)."""
    this, last = union_totals(*year_window(year)), union_totals(*year_window(year - 1))
    return this, last, growth_percent(this.committed_vnd.minor, last.committed_vnd.minor)


NATIONAL_DIMENSIONS = ("union", "donor", "sector", "year")


def national_totals(by: str, start: date | None = None, end: date | None = None, *,
                    actor_id: int | None = None) -> list[tuple[object, Totals]]:
    """Every union's transactions summed by union, donor, sector or year (an audited cross-tenant read)."""
    if by not in NATIONAL_DIMENSIONS:
        raise AidError(f"Không thể tổng hợp theo {by!r}.")
    key = {"union": AidTransaction.tenant_id, "donor": AidTransaction.donor_id, "sector": AidProject.sector_code,
           "year": sa.extract("year", AidTransaction.date)}[by]
    with all_tenants(f"aid: national totals by {by}", actor_id=actor_id):
        grouped = _grouped(_sums(key, start, end, join_project=by == "sector"))
        labels = _labels(by, grouped.keys())
    rows = [(labels.get(k, k), totals) for k, totals in grouped.items()]
    return sorted(rows, key=lambda row: (-row[1].committed_vnd.minor, str(row[0])))


def _labels(by: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if by == "union":
        return {t.id: t for t in db.session.scalars(sa.select(Tenant).where(Tenant.id.in_(keys)))}
    if by == "donor":
        return {d.id: d for d in db.session.scalars(sa.select(Donor).where(Donor.id.in_(keys)))}
    if by == "year":
        return {k: int(k) for k in keys}
    return {k: k for k in keys}


def national_grand_total(start: date | None = None, end: date | None = None) -> Totals:
    total = Totals()
    for _label, totals in national_totals("union", start, end):
        total.committed_vnd += totals.committed_vnd
        total.disbursed_vnd += totals.disbursed_vnd
        total.committed_usd += totals.committed_usd
        total.disbursed_usd += totals.disbursed_usd
        total.projects += totals.projects
    return total


def ensure_money(amount, currency: str) -> Money:
    """Parse a user-entered amount ('1.800.000.000' is refused as ambiguous; use digits and one '.')."""
    try:
        return Money.of(amount, currency)
    except MoneyError as error:
        raise AidError(f"Số tiền không hợp lệ: {amount} {currency}.") from error


def report_figures(tenant_id: int, start: date, end: date) -> dict[str, int]:
    """One union's committed and disbursed totals from transactions dated in [start, end] (both inclusive):
    VND in đồng and USD in cents, for the periodic report's aid indicators."""
    with tenant_context(tenant_id):
        totals = union_totals(start, end)
    return {"committed_vnd": totals.committed_vnd.minor, "disbursed_vnd": totals.disbursed_vnd.minor,
            "committed_usd_cents": totals.committed_usd.minor, "disbursed_usd_cents": totals.disbursed_usd.minor}


@dataclass
class ProvinceMatrix:
    """Committed VND per donor and province, with the totals of each row and column."""

    provinces: list[str]
    donors: list[object]  # Donor, or None for transactions without a donor
    cells: dict[tuple[object, str], Money]
    donor_totals: dict[object, Totals]
    province_totals: dict[str, Totals]
    grand: Totals

    def provinces_of(self, donor) -> list[str]:
        return [p for p in self.provinces if (donor, p) in self.cells]


def _province_label(tenant: Tenant) -> str:
    return tenant.province.name if tenant.province is not None else tenant.name_vi


def donors_by_province(start: date | None = None, end: date | None = None, *,
                       actor_id: int | None = None) -> ProvinceMatrix:
    """Which donors work in which provinces (the province of the union that records the aid)."""
    stmt = _window(sa.select(AidTransaction.tenant_id, AidTransaction.donor_id, AidTransaction.kind,
                             sa.func.sum(AidTransaction.vnd_amount), sa.func.sum(AidTransaction.usd_amount)),
                   start, end).group_by(AidTransaction.tenant_id, AidTransaction.donor_id, AidTransaction.kind)
    with all_tenants("aid: donors by province", actor_id=actor_id):
        rows = db.session.execute(stmt).all()
        tenants = _labels("union", {r[0] for r in rows})
        donors = _labels("donor", {r[1] for r in rows})
        provinces = {tid: _province_label(t) for tid, t in tenants.items()}
    cells, donor_totals, province_totals, grand = {}, {}, {}, Totals()
    for tenant_id, donor_id, kind, vnd, usd in rows:
        donor, province = donors.get(donor_id), provinces[tenant_id]
        for totals in (donor_totals.setdefault(donor, Totals()), province_totals.setdefault(province, Totals()),
                       grand):
            totals.add(kind, vnd, usd)
        if kind == TransactionKind.COMMITMENT:
            cells[(donor, province)] = cells.get((donor, province), Money.zero("VND")) + Money(int(vnd or 0), "VND")
    order = sorted(donor_totals, key=lambda d: (-donor_totals[d].committed_vnd.minor, d.name if d else "~"))
    columns = sorted(province_totals, key=lambda p: (-province_totals[p].committed_vnd.minor, p))
    return ProvinceMatrix(columns, order, cells, donor_totals, province_totals, grand)
