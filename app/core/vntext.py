"""Vietnamese text for search and slugs: one normalisation used on both databases."""

import re
import unicodedata

from slugify import slugify as _slugify

_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits: "_" and "%" are never words


def fold_char(char: str) -> str:
    """One NFC character without its diacritics, lower-cased: 'Ệ' -> 'e', 'Đ' -> 'd'. Always one character."""
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold(text: str) -> str:
    """Text compared without diacritics or case, however it was typed (composed or decomposed).

    The result has exactly one character per character of `unicodedata.normalize('NFC', text)`, so
    a match found in the folded text marks the same span of the NFC original.
    """
    return "".join(fold_char(c) for c in unicodedata.normalize("NFC", text or ""))


def terms(query: str, limit: int = 8) -> list[str]:
    """The distinct folded words of a search query, in order, at most `limit` of them."""
    seen: list[str] = []
    for word in _WORD.findall(fold(query)):
        if word not in seen:
            seen.append(word)
    return seen[:limit]


def slugify(text: str, max_length: int = 120) -> str:
    """'Chức năng, nhiệm vụ' -> 'chuc-nang-nhiem-vu'."""
    return _slugify(fold(text), max_length=max_length, word_boundary=True) or "muc"


def plain_text(html: str) -> str:
    """Text of sanitised HTML, for search and descriptions (tags dropped, entities decoded, spaces collapsed)."""
    import html as html_lib

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html or "", flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()
