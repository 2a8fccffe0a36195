"""Reading an aid import file (CSV or XLSX) into rows of text, and the template users start from."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

from app.aid import services
from app.core.vntext import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_XLSX_UNPACKED = 20 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it

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

class FileRejected(services.AidError):
    """The file as a whole cannot be read (wrong type, too big, no header…)."""


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


class NumberCell(str):
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
        return NumberCell(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return NumberCell(text[:-2] if text.endswith(".0") else text)
    return str(value).strip()


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



# --- the template ----------------------------------------------------------------------------

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
