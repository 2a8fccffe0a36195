"""Exchange-rate CSV import: every row checked first, nothing saved if any row is wrong (errors in Vietnamese)."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.aid import services
from app.core.money import CURRENCIES, MoneyError, to_decimal
from app.extensions import db

RATE_COLUMNS = ("currency", "date", "vnd_per_unit", "source")
MAX_ROWS = 5000


@dataclass
class RateRow:
    line: int
    currency: str
    valid_on: date
    vnd_per_unit: Decimal
    source: str


@dataclass
class RowError:
    line: int
    message: str


def parse_date(text: str) -> date:
    """dd/mm/yyyy (as Vietnamese offices write it) or yyyy-mm-dd."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise services.AidError("Tệp không phải văn bản UTF-8. Hãy lưu tệp CSV với bảng mã UTF-8.") from None


def parse_rates_csv(data: bytes) -> tuple[list[RateRow], list[RowError]]:
    """Rows of currency,date,vnd_per_unit,source (header required); decimals use a dot: 24230.5."""
    reader = csv.DictReader(io.StringIO(_decode(data)))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in RATE_COLUMNS[:3] if c not in header]
    if missing:
        raise services.AidError("Thiếu cột: " + ", ".join(missing) + ". Dòng đầu phải là: " + ",".join(RATE_COLUMNS))
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            errors.append(RowError(line, f"Tệp có quá {MAX_ROWS} dòng."))
            break
        raw = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(raw.values()):
            continue
        problems = []
        currency = raw.get("currency", "").upper()
        if currency not in CURRENCIES or currency == "VND":
            problems.append(f"mã tiền tệ «{raw.get('currency', '')}» không hợp lệ (dùng "
                            + ", ".join(c for c in CURRENCIES if c != "VND") + ")")
        try:
            valid_on = parse_date(raw.get("date", ""))
        except ValueError:
            valid_on = None
            problems.append(f"ngày «{raw.get('date', '')}» không đúng dạng dd/mm/yyyy")
        try:
            rate = to_decimal(raw.get("vnd_per_unit", ""))
            if rate <= 0:
                raise MoneyError("not positive")
        except MoneyError:
            rate = None
            problems.append(f"tỷ giá «{raw.get('vnd_per_unit', '')}» phải là số dương, phần thập phân dùng dấu chấm")
        key = (currency, valid_on)
        if not problems and key in seen:
            problems.append(f"trùng với dòng {seen[key]} (cùng tiền tệ và ngày)")
        if problems:
            errors.append(RowError(line, "Dòng {}: {}.".format(line, "; ".join(problems))))
            continue
        seen[key] = line
        rows.append(RateRow(line, currency, valid_on, rate, raw.get("source", "")))
    if not rows and not errors:
        raise services.AidError("Tệp không có dòng dữ liệu nào.")
    return rows, errors


def import_rates(data: bytes) -> int:
    """Stage every row of a rates CSV (the caller commits), or none: ImportRejected lists the row errors."""
    rows, errors = parse_rates_csv(data)
    if errors:
        raise ImportRejected(errors)
    for row in rows:
        services.set_rate(row.currency, row.valid_on, row.vnd_per_unit, row.source)
    db.session.flush()
    return len(rows)


class ImportRejected(services.AidError):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"Không nhập dữ liệu nào: {len(errors)} dòng có lỗi.")
        self.errors = errors
