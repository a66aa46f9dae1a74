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
