"""Score colours, shared by the 绩效评价 tables and meeting mode's score slides."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtGui import QColor


def grade_color(score: Decimal | None) -> QColor | None:
    """Green at full marks through yellow to red: readable on a projector, no legend needed."""
    if score is None:
        return None
    if score >= 99:
        return QColor("#cdebd3")
    if score >= 95:
        return QColor("#e6f4d7")
    if score >= 90:
        return QColor("#fff2c2")
    if score >= 80:
        return QColor("#ffdcb8")
    return QColor("#f7c4c0")


def to_decimal(text) -> Decimal | None:
    """A score, a rate or typed points as a Decimal; None when empty or not a number."""
    try:
        return None if text in (None, "") else Decimal(str(text))
    except InvalidOperation:
        return None
