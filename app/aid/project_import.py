"""Import of a union's projects and transactions from CSV or XLSX: read, check every row, preview, then
create everything in one transaction or nothing. Errors name the row and the column, in Vietnamese.

One row per transaction; rows sharing a 'Mã dự án' (a code used only inside the file) belong to one new
project, whose fields come from its first row (later rows may repeat them or leave them empty).
"""

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.aid import services
from app.aid.models import AidImport, AidProject, Donor, ProjectStatus, TransactionKind
from app.core.money import CURRENCIES, Money, MoneyError, parse_amount
from app.core.vntext import fold
from app.extensions import db
from tenants.context import current_tenant_id
from tenants.models import utcnow

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_XLSX_UNPACKED = 20 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
STAGED_FOR = timedelta(days=2)

# key, header in the template, other headers accepted (compared without diacritics or case)
COLUMNS = [
    ("ref", "Mã dự án", ("ref", "project code")),
    ("title_vi", "Tên dự án", ("title", "title_vi")),
    ("title_en", "Tên tiếng Anh", ("title_en", "english title")),
    ("sector", "Mã lĩnh vực (DAC)", ("mã lĩnh vực", "sector", "sector_code")),
    ("status", "Trạng thái", ("status",)),
    ("district", "Huyện", ("district", "quận/huyện")),
    ("commune", "Xã", ("commune", "xã/phường")),
    ("start", "Ngày bắt đầu", ("start", "start_date")),
    ("end", "Ngày kết thúc", ("end", "end_date")),
    ("beneficiaries", "Số người hưởng lợi", ("beneficiaries",)),
    ("public", "Công khai", ("public",)),
    ("description", "Mô tả", ("description",)),
    ("kind", "Loại giao dịch", ("kind", "transaction")),
    ("date", "Ngày giao dịch", ("date", "transaction date")),
    ("amount", "Số tiền", ("amount",)),
    ("currency", "Tiền tệ", ("currency",)),
    ("donor", "Nhà tài trợ", ("donor",)),
    ("note", "Ghi chú", ("note",)),
]
HEADERS = {key: header for key, header, _aliases in COLUMNS}
PROJECT_FIELDS = ("title_vi", "title_en", "sector", "status", "district", "commune", "start", "end",
                  "beneficiaries", "public", "description")
STATUSES = {"dang van dong": ProjectStatus.PIPELINE, "pipeline": ProjectStatus.PIPELINE,
            "dang thuc hien": ProjectStatus.IMPLEMENTATION, "implementation": ProjectStatus.IMPLEMENTATION,
            "da hoan thanh": ProjectStatus.COMPLETED, "hoan thanh": ProjectStatus.COMPLETED,
            "completed": ProjectStatus.COMPLETED}
KINDS = {"cam ket": TransactionKind.COMMITMENT, "commitment": TransactionKind.COMMITMENT,
         "giai ngan": TransactionKind.DISBURSEMENT, "disbursement": TransactionKind.DISBURSEMENT}
YES, NO = {"co", "x", "1", "yes", "true"}, {"", "khong", "0", "no", "false"}


class FileRejected(services.AidError):
    """The file as a whole cannot be read (wrong type, too big, no header…)."""


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


# --- reading the file --------------------------------------------------------------------------

def file_kind(filename: str) -> str:
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xlsx"):
        return "xlsx"
    raise FileRejected("Chỉ nhận tệp .csv hoặc .xlsx.")


def _csv_rows(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected("Tệp CSV không phải văn bản UTF-8. Hãy lưu tệp với bảng mã UTF-8.") from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
                raise FileRejected("Tệp Excel quá lớn khi giải nén.")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileRejected:
        raise
    except Exception:  # openpyxl raises many kinds of errors for a damaged or foreign file
        raise FileRejected("Không đọc được tệp Excel (.xlsx). Hãy dùng tệp mẫu.") from None
    rows = []
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        rows.append(list(row))
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


class _Number(str):
    """A numeric spreadsheet cell as plain decimal text: its '.' is a decimal point, never a thousands mark."""


def _cell_text(value) -> str:
    """A cell as text. An Excel number arrives as a binary double; its shortest repr is the decimal Excel
    wrote, which is then read exactly (and refused if it has more decimals than the currency has)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return _Number(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return _Number(text[:-2] if text.endswith(".0") else text)
    return str(value).strip()


def _amount(text: str, currency: str) -> Money:
    return Money.of(text, currency) if isinstance(text, _Number) else parse_amount(text, currency)


def _header_map(header: list) -> dict[int, str]:
    known = {}
    for key, title, aliases in COLUMNS:
        for name in (title, key, *aliases):
            known[fold(name).strip()] = key
    mapping = {}
    for index, name in enumerate(header):
        key = known.get(fold(_cell_text(name)).strip())
        if key:
            mapping[index] = key
    missing = [HEADERS[k] for k in ("ref", "title_vi", "sector") if k not in mapping.values()]
    if missing:
        raise FileRejected("Thiếu cột: " + ", ".join(f"'{m}'" for m in missing) + ". Hãy dùng tệp mẫu.")
    return mapping


def read_rows(data: bytes, kind: str) -> list[tuple[int, dict]]:
    """(row number as the spreadsheet shows it, {column key: text}) for each non-empty data row."""
    if len(data) > MAX_BYTES:
        raise FileRejected(f"Tệp quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB).")
    table = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    if not table:
        raise FileRejected("Tệp trống.")
    mapping = _header_map(table[0])
    rows = []
    for line, raw in enumerate(table[1:], start=2):
        values = {key: _cell_text(raw[i]) if i < len(raw) else "" for i, key in mapping.items()}
        if any(values.values()):
            rows.append((line, values))
    if len(rows) > MAX_ROWS:
        raise FileRejected(f"Tệp có quá {MAX_ROWS} dòng dữ liệu. Hãy chia thành nhiều tệp.")
    if not rows:
        raise FileRejected("Tệp không có dòng dữ liệu nào.")
    return rows


# --- checking the rows -------------------------------------------------------------------------

def _date(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


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
            return _date(raw)
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


def template_csv() -> bytes:
    """The template with its header and two example rows (UTF-8 with BOM, so Excel reads the diacritics)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _k, header, _a in COLUMNS])
    for example in _EXAMPLES:
        writer.writerow([example.get(key, "") for key, _h, _a in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Vien tro"
    sheet.append([header for _k, header, _a in COLUMNS])
    for example in _EXAMPLES:
        sheet.append([example.get(key, "") for key, _h, _a in COLUMNS])
    for column in sheet.iter_cols(min_row=1, max_row=200):  # amounts and dates typed as text stay exact
        for cell in column:
            cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_EXAMPLES = [
    {"ref": "DA1", "title_vi": "Xây dựng nhà lớp học", "sector": "11220", "status": "đang thực hiện",
     "district": "huyện Tứ Kỳ", "commune": "xã Ngọc Kỳ", "start": "10/01/2024", "public": "có",
     "kind": "cam kết", "date": "10/01/2024", "amount": "1.800.000.000", "currency": "VND", "donor": "COPION"},
    {"ref": "DA1", "kind": "giải ngân", "date": "31/05/2024", "amount": "1.800.000.000", "currency": "VND",
     "donor": "COPION"},
]
