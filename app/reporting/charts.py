"""The dashboards' charts: server-drawn accessible SVG (app.aid.charts), each with a table of the same figures."""

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from app.aid.charts import grouped_bars
from app.core.money import Money, format_words
from app.reporting.formats import format_figure

_UNION_PREFIXES = ("Liên hiệp các tổ chức hữu nghị ", "Liên hiệp ")
_UNION_SUFFIX = " Union of Friendship Organizations"


def short_label(name: str) -> str:
    """A union's name without the words every union's name shares: 'tỉnh Hải Dương' (a bar's label)."""
    for prefix in _UNION_PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name.removesuffix(_UNION_SUFFIX)


def short_figure(value: int, unit: str) -> str:
    """A figure short enough for a bar's label: '31,5 tỷ đồng' for VND."""
    if unit == "VND":
        return format_words(Money(value, "VND"), str(get_locale()))
    return format_figure(value, unit)


def aid_chart(years: list[tuple], table_id: str):
    rows = [(str(year), committed or 0, disbursed or 0) for year, committed, disbursed in years
            if committed is not None or disbursed is not None]
    if not rows:
        return None
    return grouped_bars(_("Aid committed and disbursed by year"),
                        _("Bar chart of aid committed and disbursed in VND for each annual period; the table below "
                          "gives every figure."), rows, (_("Committed"), _("Disbursed")),
                        lambda value: short_figure(value, "VND"), table_id)


def contribution_chart(title: str, parts: list[tuple], unit: str, table_id: str):
    return grouped_bars(title, _("Bar chart of each part's figure; the table below gives every figure and its "
                                 "share of the total."),
                        [(short_label(label), max(value, 0)) for label, value, _share in parts], (_("Figure"),),
                        lambda value: short_figure(value, unit), table_id)


def completeness_chart(parts: list[tuple], table_id: str):
    rows = [(label, c.expected, c.submitted, c.accepted) for label, c in parts]
    return grouped_bars(_("Reports expected, submitted and accepted"),
                        _("Bar chart of the reports expected, submitted and accepted; the table below gives every "
                          "figure."), rows, (_("Expected"), _("Submitted"), _("Accepted")), format_decimal, table_id)
