"""创城回头看 rows in the store: the table's shape for writing, and the reads the figures and the sheet use.

Why a module: `rectify stats|export` and the 创城回头看 page take the same stored rows through the pure
functions of models.rectify. A row is identified by (问题编号, 回头看日期); a problem's row without a round
is stored with an empty 回头看日期.
"""

from __future__ import annotations

from datetime import date

from models.rectify import RectifyRow, rectify_stats
from models.versioned import VersionedTable, history

NO_ROUND = ""  # rectify_rows.checked_on of a problem's row that records no 回头看 round
ROWS = VersionedTable(
    "rectify_rows",
    ("problem_no", "checked_on"),
    ("inspected_on", "site", "district", "category", "description", "unit", "due_on", "result"),
    "rectify_row_history",
)
_DATES = ("inspected_on", "due_on", "checked_on")


def load_rows(db) -> list[RectifyRow]:
    """Every stored ledger row, in problem and round order."""
    names = ("problem_no", *ROWS.columns, "checked_on")
    rows = db.execute(f"SELECT {', '.join(names)} FROM rectify_rows ORDER BY problem_no, checked_on").fetchall()
    out = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        for name in _DATES:
            values[name] = date.fromisoformat(values[name]) if values[name] else None
        out.append(RectifyRow(**values))
    return out


def has_rectify_rows(db) -> bool:
    return db.execute("SELECT 1 FROM rectify_rows LIMIT 1").fetchone() is not None


def stats(db, *, as_of: date) -> dict:
    """`rectify stats --json` at the as-of date (models.rectify.rectify_stats over the stored rows)."""
    return rectify_stats(load_rows(db), as_of=as_of)


def row_history(db, problem_no: str) -> list[dict]:
    """The previous versions of a problem's rows (a re-import that changed them), oldest first."""
    return history(db, ROWS, [problem_no])
