"""Content HTML is sanitised on save with nh3 against one allow-list, then rendered as-is.

No scripts, styles, event handlers or forms; links only to http(s), mailto and tel, and relative paths; every link
gets rel="noopener noreferrer". The one frame allowed is a video player of the allow-list (YouTube through its
privacy-enhanced domain, Vimeo with do-not-track): any YouTube or Vimeo address is rewritten to that player's embed
address, every other iframe is dropped whole. Pasted Word markup (mso styles, o:p, conditional comments, <xml>) goes.
"""

import re
from urllib.parse import parse_qs, urlsplit

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "blockquote", "q", "cite", "abbr", "code", "pre", "span",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a", "img", "figure", "figcaption", "iframe",
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
    "iframe": {"src", "title", "width", "height", "allowfullscreen"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Where an embedded player may come from (the CSP's frame-src names the same hosts).
EMBED_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_EMBED_ATTRIBUTES = {"loading": "lazy", "referrerpolicy": "strict-origin-when-cross-origin",
                     "sandbox": "allow-scripts allow-same-origin allow-presentation allow-popups",
                     "allow": "fullscreen; picture-in-picture"}
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_EMPTY_FRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)
_UNTITLED_FRAME = re.compile(r"<iframe(?![^>]*\stitle=)")


def embed_url(address: str) -> str | None:
    """The allow-listed player address for a YouTube or Vimeo video address (watch, short, embed, player links), or
    None for anything else."""
    try:
        parts = urlsplit((address or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", ""):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    video = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(path) == 2 and path[0] in ("embed", "shorts", "live"):
            video = path[1]
    elif host == "youtu.be" and len(path) == 1:
        video = path[0]
    if video is not None:
        return f"https://www.youtube-nocookie.com/embed/{video}" if _VIDEO_ID.fullmatch(video) else None
    if host in ("vimeo.com", "player.vimeo.com"):
        digits = path[-1] if path else ""
        if digits.isdigit() and (host == "vimeo.com" and len(path) == 1 or path[:1] == ["video"]):
            return f"https://player.vimeo.com/video/{digits}?dnt=1"
    return None


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "iframe":
        if name == "src":
            return embed_url(value)
        if name in ("width", "height"):
            return value if value.isdigit() and len(value) <= 4 else None
    return value


def clean_html(html: str | None) -> str:
    """The allowed subset of `html` (an empty string for None)."""
    if not html:
        return ""
    cleaned = nh3.clean(html, tags=set(ALLOWED_TAGS), clean_content_tags={"script", "style", "xml", "template"},
                        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}, attribute_filter=_attribute,
                        set_tag_attribute_values={"iframe": dict(_EMBED_ATTRIBUTES)}, url_schemes=set(URL_SCHEMES),
                        link_rel="noopener noreferrer", strip_comments=True)
    # a frame needs a name for screen readers (WCAG 4.1.2): the video's own title when given
    return _UNTITLED_FRAME.sub('<iframe title="Video"', _EMPTY_FRAME.sub("", cleaned)).strip()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def plain_line(text: str | None) -> str | None:
    """A title as plain text on one line: control characters out, spaces collapsed (markup is escaped on output,
    never interpreted, so `<` stays a character)."""
    if text is None:
        return None
    return " ".join(_CONTROL.sub(" ", text).split())
