"""WCAG 2.1 contrast of a union's accent colour (app/site/contrast.py)."""

import pytest

from app.site.contrast import TINTS, check_accent, contrast_ratio, darker, format_ratio, parse_hex, relative_luminance


def test_luminance_and_ratio_match_known_values():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey passing AA
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")  # either order
    assert contrast_ratio("#ffffff", "#1d4f91") > 8


@pytest.mark.parametrize(("value", "expected"), [
    ("#1D4F91", "#1d4f91"), (" #abc ", "#aabbcc"), ("#fff", "#ffffff"),
    ("1d4f91", None), ("#12345", None), ("#ggg000", None), ("blue", None), ("", None), (None, None),
    ("rgb(0,0,0)", None), ("#1d4f91;}", None),
])
def test_only_hex_colours_parse(value, expected):
    assert parse_hex(value) == expected


def test_dark_accents_pass():
    assert check_accent("#1d4f91") == []  # white on it and it on white both pass
    assert check_accent("#767676") == []
    assert check_accent("#0b3d91") == []


def test_yellow_is_refused_with_the_measured_ratio():
    problems = check_accent("#ffcc00")
    assert problems and "#ffcc00" in problems[0] and "1.5:1" in problems[0] and "4.5:1" in problems[0]


def test_just_below_the_threshold_is_refused_and_not_shown_as_passing():
    problems = check_accent("#777777")
    assert problems and "4.47:1" in problems[0]
    assert format_ratio(4.478) == "4.47" and format_ratio(1.51) == "1.5" and format_ratio(8.14) == "8.1"


@pytest.mark.parametrize("value", ["blue", "#12", "", "javascript:alert(1)", "#1d4f91; color: red"])
def test_bad_input_is_a_message_not_an_exception(value):
    problems = check_accent(value)
    assert len(problems) == 1 and "#" in problems[0]


def test_the_darker_shade_reads_on_the_light_panels():
    for accent in ("#1d4f91", "#767676", "#b0122d", "#0f6b6b"):
        shade = darker(accent)
        assert relative_luminance(shade) < relative_luminance(accent)
        assert all(contrast_ratio(shade, tint) >= 4.5 for tint in TINTS)
