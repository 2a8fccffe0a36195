"""WCAG 2.1 colour contrast for a union's accent colour (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).

The accent is the background of white text (the masthead, the menu, buttons) and the colour of links and headings
on white: both must reach 4.5:1 (level AA for normal text), so `check_accent` measures both."""

import math
import re

from flask_babel import gettext as _

AA_NORMAL = 4.5
WHITE = "#ffffff"
TEXT_ON_ACCENT = WHITE  # the masthead's and the buttons' text
PAGE_BACKGROUND = WHITE  # what links and headings stand on
# The light panels that carry accent-coloured text (the footer, tags, notes): the darker shade must read on them.
TINTS = ("#e8eef9", "#f1f3f6")
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_hex(value: str | None) -> str | None:
    """'#rrggbb' (lower case) for '#rrggbb' or '#rgb' written by hand (spaces around allowed); None otherwise."""
    match = _HEX.fullmatch((value or "").strip())
    if match is None:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def rgb(hex_colour: str) -> tuple[int, int, int]:
    colour = parse_hex(hex_colour)
    if colour is None:
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def to_hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in (red, green, blue))


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    r, g, b = (_linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter colour's luminance over the darker's: 1 to 21."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker_ = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker_ + 0.05)


def format_ratio(ratio: float) -> str:
    """One decimal, never rounded up to the threshold: 4.47 shows as 4.47, not 4.5."""
    shown = f"{ratio:.1f}"
    if ratio < AA_NORMAL <= float(shown):
        shown = f"{math.floor(ratio * 100) / 100:.2f}"
    return shown


def darker(hex_colour: str, amount: float = 0.2) -> str:
    """The hover shade: `amount` towards black, then darker still until it reads on the light panels (AA)."""
    r, g, b = rgb(hex_colour)
    factor = 1 - amount
    shade = to_hex(r * factor, g * factor, b * factor)
    while factor > 0 and any(contrast_ratio(shade, tint) < AA_NORMAL for tint in TINTS):
        factor -= 0.05
        shade = to_hex(r * factor, g * factor, b * factor)
    return shade


def check_accent(value: str | None) -> list[str]:
    """What is wrong with `value` as an accent colour (empty when it may be used)."""
    colour = parse_hex(value)
    if colour is None:
        return [_("“%(value)s” is not a colour: write it as # followed by six hexadecimal digits, e.g. #1d4f91.",
                  value=(value or "").strip()[:20])]
    problems = []
    on_accent = contrast_ratio(TEXT_ON_ACCENT, colour)
    if on_accent < AA_NORMAL:
        problems.append(_("White text on %(colour)s has a contrast of %(ratio)s:1; WCAG AA needs at least 4.5:1.",
                          colour=colour, ratio=format_ratio(on_accent)))
    on_white = contrast_ratio(colour, PAGE_BACKGROUND)
    # Contrast is symmetric: with white on both sides the two figures are one, and saying it twice helps nobody.
    if on_white < AA_NORMAL and not (problems and format_ratio(on_white) == format_ratio(on_accent)):
        problems.append(_("Links in %(colour)s on white have a contrast of %(ratio)s:1; WCAG AA needs at least 4.5:1.",
                          colour=colour, ratio=format_ratio(on_white)))
    return problems
