"""Import of a union's projects and transactions from CSV or XLSX: read, check every row, preview, then
create everything in one transaction or nothing. Errors name the row and the column, in Vietnamese.

One row per transaction; rows sharing a 'Mã dự án' (a code used only inside the file) belong to one new
project, whose fields come from its first row (later rows may repeat them or leave them empty).
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from app.aid import services
from app.aid.import_files import (  # noqa: F401 - the limits, templates and errors are used through this module
    HEADERS,
    MAX_BYTES,
    MAX_ROWS,
    FileRejected,
    NumberCell,
    file_kind,
    read_rows,
    template_csv,
    template_xlsx,
)
from app.aid.imports import parse_date
from app.aid.models import AidImport, AidProject, Donor, ProjectStatus, TransactionKind
from app.core.money import CURRENCIES, Money, MoneyError, parse_amount
from app.core.vntext import fold
from app.extensions import db
from tenants.context import current_tenant_id
from tenants.models import utcnow

STAGED_FOR = timedelta(days=2)  # a previewed file not confirmed by then is dropped

PROJECT_FIELDS = ("title_vi", "title_en", "sector", "status", "district", "commune", "start", "end",
                  "beneficiaries", "public", "description")
STATUSES = {"dang van dong": ProjectStatus.PIPELINE, "pipeline": ProjectStatus.PIPELINE,
            "dang thuc hien": ProjectStatus.IMPLEMENTATION, "implementation": ProjectStatus.IMPLEMENTATION,
            "da hoan thanh": ProjectStatus.COMPLETED, "hoan thanh": ProjectStatus.COMPLETED,
            "completed": ProjectStatus.COMPLETED}
KINDS = {"cam ket": TransactionKind.COMMITMENT, "commitment": TransactionKind.COMMITMENT,
         "giai ngan": TransactionKind.DISBURSEMENT, "disbursement": TransactionKind.DISBURSEMENT}
YES, NO = {"co", "x", "1", "yes", "true"}, {"", "khong", "0", "no", "false"}


@dataclass
class RowError:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.line}, cột '{self.column}'" if self.column else f"Dòng {self.line}"
        return f"{where}: {self.message}"


@dataclass
class TxRow:
    line: int
    kind: str
    day: date
    money: Money
    donor: Donor | None
    note: str
    vnd: Money
    usd: Money


@dataclass
class ProjectRow:
    line: int
    ref: str
    values: dict
    first_raw: dict = field(default_factory=dict)  # the texts of its first row, to compare later rows with
    donors: list[Donor] = field(default_factory=list)
    transactions: list[TxRow] = field(default_factory=list)

    @property
    def committed_vnd(self) -> Money:
        return Money.total((t.vnd for t in self.transactions if t.kind == TransactionKind.COMMITMENT), "VND")

    @property
    def disbursed_vnd(self) -> Money:
        return Money.total((t.vnd for t in self.transactions if t.kind == TransactionKind.DISBURSEMENT), "VND")


@dataclass
class Parsed:
    projects: list[ProjectRow]
    errors: list[RowError]

    @property
    def transaction_count(self) -> int:
        return sum(len(p.transactions) for p in self.projects)


def _amount(text: str, currency: str) -> Money:
    return Money.of(text, currency) if isinstance(text, NumberCell) else parse_amount(text, currency)


# --- checking the rows -------------------------------------------------------------------------

class _Row:
    """One row's values and the errors found in it."""

    def __init__(self, line: int, values: dict, errors: list[RowError]):
        self.line, self.values, self.errors = line, values, errors

    def fail(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.line, HEADERS[key], message))

    def text(self, key: str, limit: int = 500) -> str:
        value = self.values.get(key, "")
        if len(value) > limit:
            self.fail(key, f"dài quá {limit} ký tự")
        return value

    def choice(self, key: str, options: dict, what: str, hint: str, default=None):
        raw = self.values.get(key, "")
        if not raw:
            return default
        value = options.get(fold(raw).strip())
        if value is None:
            self.fail(key, f"'{raw}' không phải là {what} hợp lệ ({hint})")
        return value

    def day(self, key: str) -> date | None:
        raw = self.values.get(key, "")
        if not raw:
            return None
        try:
            return parse_date(raw)
        except ValueError:
            self.fail(key, f"'{raw}' không phải là ngày hợp lệ (dd/mm/yyyy)")
            return None


def _donor_index(tenant_id) -> dict[str, Donor]:
    index = {}
    for donor in db.session.scalars(sa.select(Donor).where(Donor.usable_by(tenant_id))):
        for name in (donor.name, donor.acronym):
            if name:
                index.setdefault(fold(name).strip(), donor)
    return index


def _project_values(row: _Row) -> dict:
    values = {"title_vi": row.text("title_vi"), "title_en": row.text("title_en"),
              "district": row.text("district", 255), "commune": row.text("commune", 255),
              "description": row.text("description", 5000)}
    sector = row.values.get("sector", "")
    if sector and sector not in services.sectors():
        row.fail("sector", f"'{sector}' không có trong danh mục lĩnh vực DAC của hệ thống")
    values["sector_code"] = sector
    values["status"] = row.choice("status", STATUSES, "trạng thái", "đang vận động, đang thực hiện, đã hoàn thành",
                                  ProjectStatus.IMPLEMENTATION)
    values["start_date"], values["end_date"] = row.day("start"), row.day("end")
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        row.fail("end", "ngày kết thúc trước ngày bắt đầu")
    raw = row.values.get("beneficiaries", "").replace(".", "").replace(",", "")
    values["beneficiaries"] = int(raw) if raw.isdigit() else None
    if raw and not raw.isdigit():
        row.fail("beneficiaries", f"'{row.values['beneficiaries']}' không phải là số người hợp lệ")
    public = fold(row.values.get("public", "")).strip()
    values["public"] = public in YES
    if public not in YES | NO:
        row.fail("public", f"'{row.values['public']}' phải là 'có' hoặc 'không'")
    return values


def _transaction(row: _Row, donor: Donor | None) -> TxRow | None:
    if not any(row.values.get(k) for k in ("kind", "date", "amount")):
        return None
    for key in ("kind", "date", "amount"):
        if not row.values.get(key):
            row.fail(key, "không được để trống khi dòng có giao dịch")
    kind = row.choice("kind", KINDS, "loại giao dịch", "cam kết, giải ngân")
    day = row.day("date")
    currency = (row.values.get("currency") or "VND").upper()
    if currency not in CURRENCIES:
        row.fail("currency", f"'{row.values['currency']}' không phải là mã tiền tệ hợp lệ ("
                 + ", ".join(CURRENCIES) + ")")
        return None
    money = None
    if row.values.get("amount"):
        try:
            money = _amount(row.values["amount"], currency)
        except MoneyError:
            row.fail("amount", f"'{row.values['amount']}' không phải là số tiền {currency} hợp lệ")
        if money is not None and money.minor < 0:
            row.fail("amount", "số tiền không được âm")
            money = None
    if kind is None or day is None or money is None:
        return None
    try:
        value = services.valuation(money, day)
    except services.AidError as error:
        row.fail("date", str(error).rstrip("."))
        return None
    return TxRow(row.line, kind, day, money, donor, row.text("note"), value.vnd, value.usd)


def check_rows(rows: list[tuple[int, dict]]) -> Parsed:
    """Every row checked against the registry (donors, sectors, rates); nothing is written."""
    errors: list[RowError] = []
    donors = _donor_index(current_tenant_id())
    projects: dict[str, ProjectRow] = {}
    for line, values in rows:
        row = _Row(line, values, errors)
        ref = row.text("ref", 60)
        if not ref:
            row.fail("ref", "không được để trống")
            continue
        donor = None
        if values.get("donor"):
            donor = donors.get(fold(values["donor"]).strip())
            if donor is None:
                row.fail("donor", f"'{values['donor']}' không có trong danh bạ nhà tài trợ (đề xuất thêm nếu cần)")
        project = projects.get(ref)
        if project is None:
            if not values.get("title_vi"):
                row.fail("title_vi", "không được để trống ở dòng đầu tiên của dự án")
            if not values.get("sector"):
                row.fail("sector", "không được để trống ở dòng đầu tiên của dự án")
            project = projects[ref] = ProjectRow(line, ref, _project_values(row), first_raw=dict(values))
        else:
            for key in PROJECT_FIELDS:
                first = project.first_raw.get(key, "")
                if values.get(key) and values[key] != first:
                    row.fail(key, f"khác với dòng {project.line} của cùng dự án '{ref}'")
        if donor is not None and donor not in project.donors:
            project.donors.append(donor)
        tx = _transaction(row, donor)
        if tx is not None:
            project.transactions.append(tx)
    return Parsed(list(projects.values()), sorted(errors, key=lambda e: e.line))


def parse(data: bytes, kind: str) -> Parsed:
    return check_rows(read_rows(data, kind))


# --- staging and confirming --------------------------------------------------------------------

def stage(data: bytes, filename: str, user_id: int | None) -> tuple[AidImport, Parsed]:
    """Keep an uploaded file (the caller commits) and return its check; a bad file raises FileRejected."""
    kind = file_kind(filename)
    parsed = parse(data, kind)
    # files previewed but never confirmed are not kept for long
    db.session.execute(sa.delete(AidImport).where(AidImport.status == "staged",
                                                  AidImport.created_at < utcnow() - STAGED_FOR))
    staged = AidImport(filename=filename[-255:], kind=kind, data=data, sha256=hashlib.sha256(data).hexdigest(),
                       projects=len(parsed.projects), transactions=parsed.transaction_count, created_by_id=user_id)
    db.session.add(staged)
    return staged, parsed


class AlreadyImported(services.AidError):
    pass


class ImportRejected(services.AidError):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"Không nhập dữ liệu nào: {len(errors)} lỗi trong tệp.")
        self.errors = errors


def confirm(staged: AidImport) -> list[AidProject]:
    """Create every project and transaction of a staged file (the caller commits), exactly once."""
    claimed = db.session.execute(sa.update(AidImport).where(AidImport.id == staged.id, AidImport.status == "staged")
                                 .values(status="imported", imported_at=utcnow()))
    if claimed.rowcount != 1:  # a second confirmation, even a concurrent one, finds nothing to claim
        raise AlreadyImported("Tệp này đã được nhập rồi.")
    parsed = parse(staged.data, staged.kind)  # checked again: the registry or the rates may have changed
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    created = []
    for row in parsed.projects:
        project = AidProject(**row.values, donors=list(row.donors))
        db.session.add(project)
        for tx in row.transactions:
            services.record_transaction(project, tx.kind, tx.day, tx.money, donor=tx.donor, note=tx.note)
        created.append(project)
    db.session.flush()
    return created

