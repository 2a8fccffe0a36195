"""A minimal, valid one-page PDF for demo document files (no dependency: the format is small)."""

import unicodedata
from datetime import UTC, datetime


def _ascii(line: str) -> str:
    """Vietnamese without its marks: the standard Helvetica font has no glyphs for them."""
    decomposed = unicodedata.normalize("NFKD", line.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("–", "-").replace("—", "-").encode("ascii", "replace").decode("ascii")


def _escape(line: str) -> str:
    ascii_line = _ascii(line)
    return ascii_line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """An A4 page showing `lines` in Helvetica, with a correct cross-reference table."""
    text = ["BT", "/F1 12 Tf", "15 TL", "56 780 Td"]
    for i, line in enumerate(lines):
        text.append(f"({_escape(line)}) Tj" if i == 0 else f"T* ({_escape(line)}) Tj")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# A TrueType font with Vietnamese glyphs, for documents whose text keeps its diacritics (searchable as written).
TTF_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
             "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
             "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def vietnamese_font() -> str | None:
    from pathlib import Path

    return next((path for path in TTF_FONTS if Path(path).is_file()), None)


def vietnamese_pdf(heading: list[str], paragraphs: list[str]) -> bytes | None:
    """An A4 PDF (fpdf2) with a real text layer in Vietnamese: `heading` lines centred, then `paragraphs`
    wrapped. None when fpdf2 or a TTF font with Vietnamese glyphs is missing (the caller falls back)."""
    font = vietnamese_font()
    try:
        from fpdf import FPDF
    except ImportError:
        return None
    if font is None:
        return None
    pdf = FPDF(format="A4")
    pdf.set_creator("LHHN demo")
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))  # the same bytes on every run
    pdf.add_page()
    pdf.add_font("Viet", fname=font)
    pdf.set_font("Viet", size=13)
    for line in heading:
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Viet", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())
