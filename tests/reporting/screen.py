"""Reading the summary screens and their exports back, to compare the numbers they show."""

import csv
import io

import docx
import openpyxl
from lxml import html as lxml_html


def union_rows(page_html: str) -> dict[str, list[str]]:
    """The screen's 'each union's figures' table: union name -> [status, value, growth, value, growth, …]."""
    table = lxml_html.fromstring(page_html).find_class("union-figures")[0]
    rows = {}
    for tr in table.xpath("./tbody/tr[th]"):
        name = tr.xpath("./th")[0].text.strip()
        cells = tr.xpath("./td")
        figures = []
        for td in cells[1:]:
            figures += [td.text.strip(), td.xpath("./small")[0].text_content().strip()]
        rows[name] = [cells[0].text_content().strip(), *figures]
    return rows


def docx_tables(data: bytes) -> list[list[list[str]]]:
    tables = docx.Document(io.BytesIO(data)).tables
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in tables]


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def xlsx_sheets(data: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def xlsx_formats(data: bytes, sheet_index: int, row: int) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[sheet_index]
    return [cell.number_format for cell in sheet[row]]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
