"""URL helpers."""

import re
from urllib.parse import urlparse

MAX_ID = 2**31 - 1  # the database's integer keys: a larger id is never found (and must not reach a query)


def safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after sign-in (no open redirects)."""
    if not target:
        return None
    parts = urlparse(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def parse_id(text: str | None) -> int | None:
    """A database id given in a query string ('?period=12'): None unless 1 to 10 ASCII digits up to MAX_ID."""
    if text is None or not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > MAX_ID:
        return None
    return int(text)
