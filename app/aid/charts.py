"""Bar charts drawn on the server as accessible inline SVG (a title, a description, and the same figures in
a table beside them); widths are integer pixels computed from integer amounts, never floats."""

import itertools

from markupsafe import Markup, escape

WIDTH, LABEL, BAR_AREA, BAR, GAP = 720, 220, 380, 14, 10
_ids = itertools.count(1)
_FILL = {"bar-a": "#1f6f8b", "bar-b": "#d9822b"}  # distinguishable in greyscale too


def grouped_bars(title: str, description: str, rows: list[tuple[str, int, int]], legend: tuple[str, str],
                 fmt, table_id: str | None = None) -> Markup:
    """Two bars per row (e.g. committed and disbursed), lengths proportional to the integer values."""
    uid = f"chart-{next(_ids)}"
    peak = max([max(a, b) for _label, a, b in rows] + [1])
    height = 30 + len(rows) * (2 * BAR + GAP) + 10
    described = f"{uid}-title {uid}-desc"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" font-size="12" aria-labelledby="{described}"'
             + (f' aria-details="{escape(table_id)}"' if table_id else "") + ">",
             f'<title id="{uid}-title">{escape(title)}</title>', f'<desc id="{uid}-desc">{escape(description)}</desc>',
             f'<rect x="{LABEL}" y="4" width="12" height="12" class="bar-a" fill="#1f6f8b"/>'
             f'<text x="{LABEL + 18}" y="15">{escape(legend[0])}</text>',
             f'<rect x="{LABEL + 200}" y="4" width="12" height="12" class="bar-b" fill="#d9822b"/>'
             f'<text x="{LABEL + 218}" y="15">{escape(legend[1])}</text>']
    y = 30
    for label, first, second in rows:
        parts.append(f'<text x="{LABEL - 6}" y="{y + BAR + 4}" text-anchor="end" data-label="{escape(label)}">'
                     f'<title>{escape(label)}</title>{escape(_short(label))}</text>')
        for value, css, name in ((first, "bar-a", legend[0]), (second, "bar-b", legend[1])):
            length = value * BAR_AREA // peak
            parts.append(f'<rect x="{LABEL}" y="{y}" width="{max(length, 1) if value else 0}" height="{BAR}" '
                         f'class="{css}" fill="{_FILL[css]}" data-value="{value}">'
                         f'<title>{escape(label)} – {escape(name)}: {escape(fmt(value))}</title></rect>'
                         f'<text x="{LABEL + length + 4}" y="{y + BAR - 3}" class="value">{escape(fmt(value))}</text>')
            y += BAR
        y += GAP
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute value above is escaped


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
