"""Exact published numbers: Decimal, half-up, two places (never Python's banker's round())."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value: Decimal | int | str) -> Decimal:
    """Round half-up to two decimal places."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage rounded half-up to 2 places; None (shown "—") for a zero denominator."""
    if not denominator:
        return None
    return q2(Decimal(numerator) * HUNDRED / Decimal(denominator))


def fmt2(value: Decimal | None) -> str | None:
    """A two-decimal string for JSON ("96.26", "100.00"), or None."""
    return None if value is None else str(q2(value))


_DIGITS = "零一二三四五六七八九"
_POWERS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_numeral(n: int) -> str:
    """1–9999 as written in Chinese prose: 八, 十二, 二十, 一百零一, 一千零一十 (第八批, 第十二批).

    Numbers 10–19 drop the leading 一 (十二, not 一十二), as documents write them.
    """
    if not 1 <= n <= 9999:
        raise ValueError(f"chinese_numeral: {n} outside 1–9999")
    out, gap, rest = [], False, n
    for power, word in _POWERS:
        digit, rest = divmod(rest, power)
        if digit:
            if gap and out:
                out.append("零")
            out.append(_DIGITS[digit] + word)
            gap = False
        else:
            gap = True
    if rest:
        if gap and out:
            out.append("零")
        out.append(_DIGITS[rest])
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def parse_chinese_numeral(text: str) -> int:
    """The inverse of :func:`chinese_numeral` (also 〇, 两 and 一十); ValueError when it is not a numeral."""
    plain = text.replace("〇", "零").replace("两", "二")
    plain = plain[1:] if plain.startswith("一十") else plain
    total, digit = 0, None
    for char in plain:
        if char in _DIGITS:
            digit = _DIGITS.index(char)
            continue
        power = {"十": 10, "百": 100, "千": 1000}.get(char)
        if power is None:
            raise ValueError(f"not a Chinese numeral: {text}")
        total += (1 if digit is None else digit) * power
        digit = None
    total += digit or 0
    if not 1 <= total <= 9999 or chinese_numeral(total) != plain:
        raise ValueError(f"not a Chinese numeral: {text}")
    return total
