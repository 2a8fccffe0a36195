"""Money without floats: integer minor units per ISO currency, VND equivalents at a dated rate.

An amount is an `int` in the currency's minor unit (VND, KRW and JPY have none; USD and EUR have cents).
Rates are `Decimal` VND per one major unit. Every conversion says how it rounds; nothing here ever
passes through a float, and a float handed in is refused rather than silently made exact-looking.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

import sqlalchemy as sa
from babel.numbers import format_decimal

# ISO 4217 minor-unit exponents of the currencies the aid registry takes.
CURRENCIES: dict[str, int] = {"VND": 0, "USD": 2, "EUR": 2, "KRW": 0, "JPY": 0}
# Enough digits that no product or quotient of realistic amounts and rates is ever rounded implicitly.
_EXACT = Context(prec=60, rounding=ROUND_HALF_UP)


class MoneyError(ValueError):
    """An amount, currency or rate that cannot be money (unknown currency, float, too many decimals…)."""


def exponent(currency: str) -> int:
    try:
        return CURRENCIES[currency]
    except KeyError:
        raise MoneyError(f"unsupported currency {currency!r}") from None


def to_decimal(value) -> Decimal:
    """A Decimal from an int, a Decimal or a string such as '24230.5'; floats and junk are refused."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"{value!r}: money never goes through a float; pass a string or a Decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not a number") from None
    else:
        raise MoneyError(f"{value!r} is not a number")
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite number")
    return result


def _round_to_int(value: Decimal, rounding: str) -> int:
    return int(value.quantize(Decimal(1), rounding=rounding))


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: `minor` units of `currency` (VND 31_500_000_000, USD 130_000_000 = 1.3 M)."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise MoneyError(f"minor units must be an int, not {type(self.minor).__name__}")
        exponent(self.currency)

    @classmethod
    def of(cls, amount, currency: str, rounding: str | None = None) -> "Money":
        """From major units ('1.5' USD -> 150 cents). More decimals than the currency has is an error,
        unless `rounding` (e.g. decimal.ROUND_HALF_UP) says how to drop them."""
        scaled = to_decimal(amount).scaleb(exponent(currency))
        if scaled != scaled.to_integral_value():
            if rounding is None:
                raise MoneyError(f"{amount} has more decimals than {currency} allows")
            return cls(_round_to_int(scaled, rounding), currency)
        return cls(int(scaled), currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(0, currency)

    @classmethod
    def total(cls, amounts, currency: str) -> "Money":
        """The sum of several amounts of one currency (zero for none)."""
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    @property
    def amount(self) -> Decimal:
        """Major units, exactly (Decimal('1300000.00') for USD 130_000_000 minor)."""
        return Decimal(self.minor).scaleb(-exponent(self.currency))

    def _same(self, other) -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}; convert first")
        return other

    def __add__(self, other):
        other = self._same(other)
        return other if other is NotImplemented else Money(self.minor + other.minor, self.currency)

    def __sub__(self, other):
        other = self._same(other)
        return other if other is NotImplemented else Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.minor, self.currency)

    def __lt__(self, other) -> bool:
        return self.minor < self._same(other).minor

    def __le__(self, other) -> bool:
        return self.minor <= self._same(other).minor

    def __mul__(self, factor):
        if isinstance(factor, bool) or not isinstance(factor, int):
            return NotImplemented  # a fractional factor needs an explicit rounding: use scaled()
        return Money(self.minor * factor, self.currency)

    __rmul__ = __mul__

    def scaled(self, factor, rounding: str = ROUND_HALF_UP) -> "Money":
        """This amount times a Decimal factor, rounded to a whole minor unit as `rounding` says."""
        with localcontext(_EXACT):
            return Money(_round_to_int(Decimal(self.minor) * to_decimal(factor), rounding), self.currency)

    def convert(self, currency: str, rate, rounding: str = ROUND_HALF_UP) -> "Money":
        """Into `currency` at `rate` (units of `currency` per one major unit of self.currency)."""
        rate = to_decimal(rate)
        if rate <= 0:
            raise MoneyError("an exchange rate must be positive")
        with localcontext(_EXACT):
            value = Decimal(self.minor).scaleb(exponent(currency) - exponent(self.currency)) * rate
            return Money(_round_to_int(value, rounding), currency)

    def to_vnd(self, rate, rounding: str = ROUND_HALF_UP) -> "Money":
        """The VND equivalent at `rate` VND per one major unit (1 for VND itself)."""
        if self.currency == "VND":
            return self
        return self.convert("VND", rate, rounding)

    def from_vnd_to(self, currency: str, rate, rounding: str = ROUND_HALF_UP) -> "Money":
        """A VND amount expressed in `currency`, given `rate` VND per one major unit of it."""
        if self.currency != "VND":
            raise MoneyError("from_vnd_to() converts VND amounts only")
        if currency == "VND":
            return self
        rate = to_decimal(rate)
        if rate <= 0:
            raise MoneyError("an exchange rate must be positive")
        with localcontext(_EXACT):
            return Money(_round_to_int(Decimal(self.minor).scaleb(exponent(currency)) / rate, rounding), currency)

    def __str__(self) -> str:
        return format_full(self)


def parse_amount(text: str, currency: str) -> Money:
    """An amount as people type it, exactly: '1.800.000.000' and '1,800,000,000' (thousands),
    '12,5' or '12.5' (decimals, if the currency has them), '1.234,56' and '1,234.56'."""
    return Money.of(parse_decimal(text, exponent(currency)), currency)


def parse_decimal(text: str, decimals: int) -> Decimal:
    """A non-negative number as people type it, with at most `decimals` decimals (see parse_amount).

    One separator followed by exactly three digits groups thousands; followed by fewer digits it marks
    decimals. Anything else raises MoneyError.
    """
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"\d[\d.,]*", raw) or raw[-1] in ".,":
        raise MoneyError(f"{text!r} is not an amount")
    separators = [c for c in raw if c in ".,"]
    whole, fraction = raw, ""
    if separators:
        last = separators[-1]
        head, _, tail = raw.rpartition(last)
        mixed = len(set(separators)) == 2
        if mixed or (separators.count(last) == 1 and len(tail) != 3):
            if mixed and head.count(last):
                raise MoneyError(f"{text!r} is not an amount")
            whole, fraction = head, tail
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1 and (len({c for c in whole if c in ".,"}) > 1 or not 1 <= len(groups[0]) <= 3
                            or any(len(g) != 3 for g in groups[1:])):
        raise MoneyError(f"{text!r} is not an amount")
    if len(fraction) > decimals:
        raise MoneyError(f"{text!r} has more than {decimals} decimals")
    return Decimal("".join(groups) + ("." + fraction if fraction else ""))


# --- formatting --------------------------------------------------------------------------------

_SCALES = {
    "vi": ((10**9, "tỷ"), (10**6, "triệu")),
    "en": ((10**9, "billion"), (10**6, "million")),
}


def _lang(locale) -> str:
    return "en" if str(locale or "vi").startswith("en") else "vi"


def _number(value: Decimal, locale) -> str:
    """Babel formats Decimals exactly: 1.353,5 in Vietnamese, 1,353.5 in English."""
    digits = max(0, -value.as_tuple().exponent) if value != value.to_integral_value() else 0
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_lang(locale), decimal_quantization=False)


def round_significant(value: Decimal, digits: int = 3) -> Decimal:
    """`value` to `digits` significant digits, half up, trailing zeros dropped (1.30 -> 1.3)."""
    if value == 0:
        return Decimal(0)
    with localcontext(_EXACT):
        quantum = Decimal(1).scaleb(value.adjusted() - digits + 1)
        rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded.normalize() if rounded != rounded.to_integral_value() else Decimal(int(rounded))


def format_full(money: Money, locale="vi") -> str:
    """Every digit: '31.500.000.000 ₫', '1.300.041,27 USD' (in English '1,300,041.27 USD')."""
    if money.currency == "VND":
        return f"{_number(money.amount, locale)} ₫"
    exp = exponent(money.currency)
    text = format_decimal(money.amount, format="#,##0" + ("." + "0" * exp if exp else ""),
                          locale=_lang(locale), decimal_quantization=True)
    return f"{text} {money.currency}"


def format_words(money: Money, locale="vi", digits: int = 3) -> str:
    """Readable size: '31,5 tỷ đồng', '1,3 triệu USD', '1,24 triệu USD' (3 significant digits);
    below a million every digit is shown ('200.000 đồng')."""
    lang = _lang(locale)
    unit = ("đồng" if lang == "vi" else "VND") if money.currency == "VND" else money.currency
    value, scales = money.amount, _SCALES[lang]
    for index, (size, word) in enumerate(scales):
        if abs(value) >= size:
            shown = round_significant(value / size, digits)
            if abs(shown) >= 1000 and index > 0:  # 999,7 triệu rounds to 1 tỷ, not 1.000 triệu
                size, word = scales[index - 1]
                shown = round_significant(value / size, digits)
            return f"{_number(shown, lang)} {word} {unit}"
    return f"{_number(value, lang)} {unit}"


def growth_percent(current: int, previous: int) -> Decimal | None:
    """Year-on-year change in percent, one decimal, half up (None when there is nothing to compare)."""
    if previous <= 0:
        return None
    with localcontext(_EXACT):
        return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None, locale="vi", signed: bool = True) -> str:
    """'+91,1 %' in Vietnamese, '+91.1%' in English; '—' when there is no value."""
    if value is None:
        return "—"
    sign = "+" if signed and value > 0 else ""
    text = format_decimal(value, format="#,##0.0", locale=_lang(locale))
    return f"{sign}{text} %" if _lang(locale) == "vi" else f"{sign}{text}%"


# --- storage -----------------------------------------------------------------------------------

class ExactDecimal(sa.types.TypeDecorator):
    """NUMERIC on PostgreSQL; a string on SQLite, whose NUMERIC is a float and would lose digits."""

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int = 24, scale: int = 6, **kwargs):
        self.precision, self.scale = precision, scale
        super().__init__(precision=precision, scale=scale, asdecimal=True)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(self.precision + 2))
        return dialect.type_descriptor(sa.Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = to_decimal(value).quantize(Decimal(1).scaleb(-self.scale), context=_EXACT)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else to_decimal(value if isinstance(value, Decimal) else str(value))
