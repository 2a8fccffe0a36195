"""Content HTML is sanitised on save with nh3 against one allow-list, then rendered as-is.

No scripts, styles, event handlers, iframes or forms; links only to http(s), mailto and tel, and
relative paths; every link gets rel="noopener noreferrer".
"""

import re

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "blockquote", "q", "cite", "abbr", "code", "pre", "span",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean_html(html: str | None) -> str:
    """The allowed subset of `html` (an empty string for None)."""
    if not html:
        return ""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer", strip_comments=True).strip()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def plain_line(text: str | None) -> str | None:
    """A title as plain text on one line: control characters out, spaces collapsed (markup is escaped on output,
    never interpreted, so `<` stays a character)."""
    if text is None:
        return None
    return " ".join(_CONTROL.sub(" ", text).split())
