"""Money: integer minor units, exact conversion at a dated rate, explicit rounding, VN formats."""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from app.core.money import (
    CURRENCIES,
    ExactDecimal,
    Money,
    MoneyError,
    format_full,
    format_percent,
    format_words,
    growth_percent,
    round_significant,
    to_decimal,
)


def test_minor_unit_exponents():
    assert CURRENCIES == {"VND": 0, "USD": 2, "EUR": 2, "KRW": 0, "JPY": 0}
    assert Money.of("1.5", "USD") == Money(150, "USD")
    assert Money.of(1_800_000_000, "VND") == Money(1_800_000_000, "VND")
    assert Money.of("1000", "JPY").minor == 1000
    assert Money.of("0.01", "EUR").minor == 1
    assert Money(130_000_000, "USD").amount == Decimal("1300000.00")


@pytest.mark.parametrize("bad", [1.5, 0.1, float("nan"), True, "abc", "inf", None, [1]])
def test_floats_and_junk_are_refused(bad):
    with pytest.raises(MoneyError):
        Money.of(bad, "USD")


def test_minor_must_be_an_int_and_currency_known():
    with pytest.raises(MoneyError):
        Money(1.0, "VND")
    with pytest.raises(MoneyError):
        Money(Decimal(1), "VND")
    with pytest.raises(MoneyError, match="unsupported currency"):
        Money(1, "GBP")


def test_too_many_decimals_needs_an_explicit_rounding():
    with pytest.raises(MoneyError, match="more decimals"):
        Money.of("1.005", "USD")
    with pytest.raises(MoneyError):
        Money.of("0.5", "VND")
    assert Money.of("1.005", "USD", rounding=ROUND_HALF_UP).minor == 101
    assert Money.of("1.005", "USD", rounding=ROUND_HALF_EVEN).minor == 100
    assert Money.of("1.009", "USD", rounding=ROUND_DOWN).minor == 100


def test_arithmetic_is_exact_and_currency_safe():
    # 0.1 + 0.2 is the classic float trap; in minor units it is exactly 0.30
    assert Money.of("0.1", "USD") + Money.of("0.2", "USD") == Money.of("0.3", "USD")
    assert Money(10, "VND") - Money(15, "VND") == Money(-5, "VND")
    assert -Money(3, "KRW") == Money(-3, "KRW")
    assert Money(7, "EUR") * 3 == 3 * Money(7, "EUR") == Money(21, "EUR")
    assert Money.total([Money(1, "VND"), Money(2, "VND")], "VND") == Money(3, "VND")
    assert Money.total([], "USD") == Money(0, "USD")
    assert Money(1, "VND") < Money(2, "VND")
    with pytest.raises(MoneyError, match="cannot combine"):
        Money(1, "VND") + Money(1, "USD")
    with pytest.raises(TypeError):
        Money(1, "VND") * Decimal("1.5")  # fractional factors go through scaled() with a rounding
    with pytest.raises(TypeError):
        Money(1, "VND") + 1


def test_big_sums_stay_exact():
    # a float would lose the last unit: 2**53 + 1 is not representable as a double
    big = Money(2**53, "VND") + Money(1, "VND")
    assert big.minor == 9_007_199_254_740_993
    assert Money(10**17 + 1, "USD").to_vnd("24230.5").minor == (10**17 + 1) * 242305 // 1000


def test_scaled_rounds_as_told():
    assert Money(5, "VND").scaled("0.5").minor == 3  # 2.5 half up
    assert Money(5, "VND").scaled("0.5", ROUND_HALF_EVEN).minor == 2
    assert Money(-5, "VND").scaled("0.5").minor == -3


def test_conversion_to_vnd_at_a_rate():
    assert Money.of("1", "USD").to_vnd("24230") == Money(24_230, "VND")
    assert Money.of("22179", "USD").to_vnd("24230") == Money(537_397_170, "VND")
    assert Money.of("0.01", "USD").to_vnd("24230.5") == Money(242, "VND")  # 242.305 -> 242
    assert Money.of("0.03", "USD").to_vnd("24230.5") == Money(727, "VND")  # 726.915 -> 727
    assert Money(1_000_000, "KRW").to_vnd("18.52") == Money(18_520_000, "VND")
    assert Money(3, "KRW").to_vnd("18.5") == Money(56, "VND")  # 55.5 half up
    assert Money(3, "KRW").to_vnd("18.5", ROUND_HALF_EVEN) == Money(56, "VND")
    assert Money(1, "KRW").to_vnd("18.5", ROUND_DOWN) == Money(18, "VND")
    assert Money(100, "JPY").to_vnd("165.37") == Money(16_537, "VND")
    assert Money.of("2500.75", "EUR").to_vnd("26105.25") == Money(65_282_704, "VND")  # 65_282_703.9375
    assert Money(5, "VND").to_vnd("999") == Money(5, "VND")  # VND needs no rate


def test_conversion_from_vnd():
    assert Money(31_500_000_000, "VND").from_vnd_to("USD", "24230") == Money(130_004_127, "USD")
    assert Money(30_045_000_000, "VND").from_vnd_to("USD", "24230") == Money(123_999_175, "USD")
    assert Money(1, "VND").from_vnd_to("USD", "24230") == Money(0, "USD")
    with pytest.raises(MoneyError):
        Money(1, "USD").from_vnd_to("EUR", "1")


@pytest.mark.parametrize("rate", ["0", "-1", 24230.0])
def test_bad_rates_are_refused(rate):
    with pytest.raises(MoneyError):
        Money(1, "USD").to_vnd(rate)


def test_to_decimal():
    assert to_decimal("24_230.5") == Decimal("24230.5")
    assert to_decimal(7) == Decimal(7)
    with pytest.raises(MoneyError):
        to_decimal(Decimal("NaN"))


def test_round_significant():
    assert round_significant(Decimal("1.300041")) == Decimal("1.3")
    assert round_significant(Decimal("1.23999")) == Decimal("1.24")
    assert round_significant(Decimal("31.5")) == Decimal("31.5")
    assert round_significant(Decimal("801.6")) == Decimal(802)
    assert round_significant(Decimal("1.005")) == Decimal("1.01")  # half up, not banker's
    assert round_significant(Decimal(0)) == 0


def test_format_words_vietnamese():
    assert format_words(Money(31_500_000_000, "VND")) == "31,5 tỷ đồng"
    assert format_words(Money(130_004_127, "USD")) == "1,3 triệu USD"
    assert format_words(Money(123_999_175, "USD")) == "1,24 triệu USD"
    assert format_words(Money(1_800_000_000, "VND")) == "1,8 tỷ đồng"
    assert format_words(Money(309_000_000, "VND")) == "309 triệu đồng"
    assert format_words(Money(999_700_000, "VND")) == "1 tỷ đồng"  # rounding moves up a scale
    assert format_words(Money(200_000, "VND")) == "200.000 đồng"
    assert format_words(Money(50_025, "USD")) == "500,25 USD"
    assert format_words(Money(0, "VND")) == "0 đồng"


def test_format_words_english():
    assert format_words(Money(31_500_000_000, "VND"), "en") == "31.5 billion VND"
    assert format_words(Money(130_004_127, "USD"), "en") == "1.3 million USD"


def test_format_full():
    assert format_full(Money(31_500_000_000, "VND")) == "31.500.000.000 ₫"
    assert format_full(Money(130_004_127, "USD")) == "1.300.041,27 USD"
    assert format_full(Money(123_450, "EUR"), "en") == "1,234.50 EUR"
    assert format_full(Money(-1_000, "VND")) == "-1.000 ₫"
    assert format_full(Money(5_000_000, "KRW")) == "5.000.000 KRW"
    assert str(Money(1_000, "VND")) == "1.000 ₫"


def test_growth_percent():
    assert growth_percent(31_500_000_000, 16_480_000_000) == Decimal("91.1")
    assert format_percent(growth_percent(31_500_000_000, 16_480_000_000)) == "+91,1 %"
    assert format_percent(Decimal("91.1"), "en") == "+91.1%"
    assert growth_percent(1, 0) is None
    assert format_percent(None) == "—"
    assert growth_percent(5, 10) == Decimal("-50.0")
    assert growth_percent(10_005, 10_000) == Decimal("0.1")  # 0.05 half up


def test_exact_decimal_column_round_trips_every_digit(app):
    from app.extensions import db

    table = sa.Table("_money_probe", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("rate", ExactDecimal(24, 6)))
    with db.engine.begin() as conn:
        table.create(conn)
        try:
            conn.execute(table.insert(), [{"id": 1, "rate": Decimal("123456789012345678.123456")},
                                          {"id": 2, "rate": "18.52"}])
            rows = dict(conn.execute(sa.select(table.c.id, table.c.rate)).all())
        finally:
            table.drop(conn)
    assert rows[1] == Decimal("123456789012345678.123456")
    assert rows[2] == Decimal("18.52")
    assert isinstance(rows[2], Decimal)
