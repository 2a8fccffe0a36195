"""Exports of a period's cluster or national summary: XLSX (openpyxl), DOCX (python-docx) and CSV.

Every builder takes the PeriodView the screen renders and goes through the same tables, so the files hold the
screen's numbers by construction. `cluster_export(fmt, period, cluster, accepted_only)` is the entry point for
any route (national or a cluster leader's).
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from flask import Response, send_file
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.vntext import slugify
from app.reporting.formats import excerpt, format_figure, format_growth, including, status_label
from app.reporting.summary import PeriodView, cluster_view, national_view

FORMATS = ("xlsx", "docx", "csv")
MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "csv": "text/csv; charset=utf-8"}
GROWTH = "growth"  # a cell kind besides the units: year-on-year change in basis points
NUMBER_FORMATS = {"VND": '#,##0" ₫"', "USD": '#,##0.00" USD"', "count": "#,##0", "percent": "0.0%",
                  GROWTH: "+0.0%;-0.0%;0.0%"}


@dataclass
class Table:
    sheet: str  # a short name (an Excel sheet's name has at most 31 characters)
    title: str
    headers: list[str]
    rows: list[list[tuple]]  # cells (value, kind): kind None for text, else a unit or GROWTH


# --- the tables, from the read model --------------------------------------------------------------------

def _locale() -> str:
    return str(get_locale() or "vi")


def union_label(row, locale: str) -> str:
    name = row.tenant.name(locale)
    if not row.includes:
        return name
    return f"{name} ({including(row.includes, locale)})"


def _unit_suffix(unit: str) -> str:
    return {"VND": " (VND)", "USD": " (USD)", "percent": " (%)"}.get(unit, "")


def completeness_table(view: PeriodView) -> Table:
    locale = _locale()
    parts = [(view.cluster.name(locale), view.completeness)] if view.cluster else \
        [(s.cluster.name(locale), s.completeness) for s in view.clusters] + [(_("Nationally"), view.completeness)]
    headers = [_("Cluster"), _("Expected"), _("Submitted"), _("Accepted"), _("On time"), _("Late"), _("Missing")]
    rows = [[(label, None), *((n, "count") for n in (c.expected, c.submitted, c.accepted, c.on_time, c.late,
                                                      c.missing))] for label, c in parts]
    return Table(_("Completeness"), _("Completeness and timeliness"), headers, rows)


def unions_table(view: PeriodView) -> Table:
    locale = _locale()
    headers = [_("Union"), _("Status")]
    for indicator in view.indicators:
        name = indicator.name(locale)
        headers += [name + _unit_suffix(indicator.unit), _("%(indicator)s: growth (%%)", indicator=name)]
    rows = []
    for row in view.unions:
        cells = [(union_label(row, locale), None), (status_label(row.status), None)]
        for indicator in view.indicators:
            cells += [(row.values.get(indicator.code), indicator.unit), (row.growth(indicator.code), GROWTH)]
        rows.append(cells)
    return Table(_("Unions"), _("Each union's figures"), headers, rows)


def totals_table(view: PeriodView) -> Table:
    locale = _locale()
    headers = [_("Indicator"), _("Value"), _("Unions counted"), _("Same period last year"), _("Growth")]
    rows = []
    for indicator in view.indicators:
        total = view.total(indicator.code)
        if total is not None:
            rows.append([(indicator.name(locale), None), (total.aggregate, indicator.unit),
                         (total.contributing_count, "count"), (total.previous_aggregate, indicator.unit),
                         (total.growth_bp, GROWTH)])
    title = _("Cluster figures") if view.cluster else _("National figures")
    return Table(_("Totals"), title, headers, rows)


def tables(view: PeriodView) -> list[Table]:
    return [completeness_table(view), unions_table(view), totals_table(view)]


def title(view: PeriodView) -> str:
    locale = _locale()
    scope = view.cluster.name(locale) if view.cluster else _("national summary")
    return f"{view.period.name(locale)} – {scope}"


def counting_note(view: PeriodView) -> str:
    if view.accepted_only:
        return _("Figures count accepted reports only.")
    return _("Figures count every submitted report.")


def display(value, kind) -> str:
    """A cell as the screen shows it."""
    if kind is None:
        return str(value)
    return format_growth(value) if kind == GROWTH else format_figure(value, kind)


def number(value, kind):
    """A cell as a spreadsheet number: USD from cents, percentages and growth as fractions."""
    if value is None or kind is None:
        return value
    if kind == "USD":
        return Decimal(value) / 100
    if kind in ("percent", GROWTH):
        return Decimal(value) / 10000
    return value


# --- builders -------------------------------------------------------------------------------------------

def build_xlsx(view: PeriodView) -> bytes:
    """One sheet per table; figures are numbers with a number format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title(view)
    for table in tables(view):
        sheet = workbook.create_sheet(table.sheet)
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([number(value, kind) for value, kind in row])
            for cell, (_value, kind) in zip(sheet[sheet.max_row], row, strict=True):
                if kind is not None:
                    cell.number_format = NUMBER_FORMATS[kind]
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_docx(view: PeriodView) -> bytes:
    """The Word report of a cluster conference: headings, the tables, then narrative excerpts per union."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.core_properties.title = title(view)
    document.add_heading(title(view), 0)
    document.add_paragraph(counting_note(view))
    for table in tables(view):
        document.add_heading(table.title, 1)
        grid = document.add_table(rows=1, cols=len(table.headers), style="Table Grid")
        for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(header).bold = True
        for row in table.rows:
            for cell, (value, kind) in zip(grid.add_row().cells, row, strict=True):
                cell.text = display(value, kind)
                if kind is not None:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for paragraph in (p for row in grid.rows for cell in row.cells for p in cell.paragraphs):
            for run in paragraph.runs:
                run.font.size = Pt(8)
    _narratives_docx(document, view)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _narratives_docx(document, view: PeriodView) -> None:
    locale = _locale()
    unions = [t for row in view.unions for t in (row.tenant, *row.includes) if t.id in view.narratives]
    if not unions:
        return
    document.add_heading(_("Narrative excerpts"), 1)
    for tenant in unions:
        document.add_heading(tenant.name(locale), 2)
        for heading, html in view.narratives[tenant.id]:
            document.add_heading(heading, 3)
            for text in excerpt(html):
                document.add_paragraph(text)


def build_csv(view: PeriodView) -> bytes:
    """Each union's figures, one table; UTF-8 with a BOM so that Excel reads the diacritics."""
    table = unions_table(view)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_value(value, kind) for value, kind in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value, kind):
    """Plain numbers: VND and counts whole, USD with its cents, percentages and growth in percent."""
    if value is None:
        return ""
    if kind in ("percent", GROWTH):
        return Decimal(value) / 100
    return number(value, kind)


BUILDERS = {"xlsx": build_xlsx, "docx": build_docx, "csv": build_csv}


# --- responses ------------------------------------------------------------------------------------------

def attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """A download named in Vietnamese (RFC 5987 filename*) with a plain ASCII fallback (no diacritics, đ → d)."""
    stem, extension = filename.rsplit(".", 1)
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
    response.headers.set("Content-Disposition", "attachment", filename=f"{slugify(stem)}.{extension}",
                         **{"filename*": "UTF-8''" + quote(filename, safe="")})
    response.headers["Cache-Control"] = "private, no-store"
    return response


def export(fmt: str, view: PeriodView) -> Response:
    return attachment(BUILDERS[fmt](view), MIMETYPES[fmt], f"{title(view)}.{fmt}")


def cluster_export(fmt: str, period, cluster, accepted_only: bool = False) -> Response:
    """A cluster's summary of a period as a download (for the national console and the cluster leader)."""
    return export(fmt, cluster_view(period, cluster, accepted_only))


def national_export(fmt: str, period, accepted_only: bool = False, grouped: bool = False) -> Response:
    return export(fmt, national_view(period, accepted_only, grouped))
