"""Cell values of the supervision ledgers (督察信访 §9, 创城回头看 §10), after an importer's generic coercion.

The importer reads a cell and turns dates into ``date`` / ISO text; these helpers then apply the ledgers'
own rules (blank words, multi-value separators) and raise :class:`CellValueError` naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from models.errors import CellValueError

# A cell's values are separated by any of these (domain.md §9), full or half width, or a line break.
SEPARATORS = re.compile(r"[、，,；;/／\r\n]+")
BLANK_TEXTS = frozenset({"", "-", "—", "--", "／", "/", "无"})


def cell_text(value: object) -> str:
    """The cell as stripped text ("" for None)."""
    return "" if value is None else str(value).strip()


def is_blank(value: object) -> bool:
    return cell_text(value) in BLANK_TEXTS


def optional_text(value: object) -> str | None:
    """A free-text cell (a unit, a result, a description): stripped, blank words → None, no NFKC (names keep
    their full-width brackets)."""
    return None if is_blank(value) else cell_text(value)


def split_cell(value: object) -> list[str]:
    """The words of a multi-value cell: split on 、，,；;/ and line breaks, trimmed, blanks dropped.
    A list (from a data file rather than a spreadsheet) is taken as already split."""
    parts = value if isinstance(value, list | tuple) else SEPARATORS.split(cell_text(value))
    return [word.strip() for word in map(str, parts) if word.strip()]


def as_date(value: object, field: str, label: str) -> date | None:
    """A date cell → date. Accepts date, datetime and ISO text ("2021-12-14", "2021-12-14 09:30:00": what the
    importer's date coercion yields); blank → None; anything else names the field's ``label``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_blank(value):
        return None
    try:
        return datetime.fromisoformat(unicodedata.normalize("NFKC", cell_text(value))).date()
    except ValueError:
        raise CellValueError(field, f"{label}「{cell_text(value)}」不是日期", cell_text(value)) from None
