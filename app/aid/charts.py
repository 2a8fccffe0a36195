"""Bar charts drawn on the server as accessible inline SVG (a title, a description, and the same figures in
a table beside them); widths are integer pixels computed from integer amounts, never floats."""

import itertools

from markupsafe import Markup, escape

WIDTH, LABEL, BAR_AREA, BAR, GAP = 720, 220, 380, 14, 10
_ids = itertools.count(1)
_FILL = {"bar-a": "#1f6f8b", "bar-b": "#d9822b", "bar-c": "#6b7480"}  # distinguishable in greyscale too
LEGEND_STEP = 160


def grouped_bars(title: str, description: str, rows: list[tuple], legend: tuple[str, ...],
                 fmt, table_id: str | None = None) -> Markup:
    """One bar per series in each row (e.g. committed and disbursed), lengths proportional to the integer values.
    rows: (label, value of the first series, value of the second…); legend: one name per series (at most three)."""
    uid = f"chart-{next(_ids)}"
    classes = list(_FILL)[:len(legend)]
    peak = max([value for row in rows for value in row[1:]] + [1])
    height = 30 + len(rows) * (len(legend) * BAR + GAP) + 10
    described = f"{uid}-title {uid}-desc"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" font-size="12" aria-labelledby="{described}"'
             + (f' aria-details="{escape(table_id)}"' if table_id else "") + ">",
             f'<title id="{uid}-title">{escape(title)}</title>', f'<desc id="{uid}-desc">{escape(description)}</desc>']
    for index, (name, css) in enumerate(zip(legend, classes, strict=True)):
        x = LABEL + index * LEGEND_STEP
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" class="{css}" fill="{_FILL[css]}"/>'
                     f'<text x="{x + 18}" y="15">{escape(name)}</text>')
    y = 30
    for label, *values in rows:
        parts.append(f'<text x="{LABEL - 6}" y="{y + BAR + 4}" text-anchor="end" data-label="{escape(label)}">'
                     f'<title>{escape(label)}</title>{escape(_short(label))}</text>')
        for value, css, name in zip(values, classes, legend, strict=True):
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
