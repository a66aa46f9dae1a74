"""Read-only queries behind the GUI's tables: the case browser, one case's record, the import history.

Why here and not in ui/: the GUI holds no SQL (architecture.md). The case browser reads one page at a time
by keyset (``case_no > last``), never OFFSET, so each read stays a short index range scan even at a million
rows — the GUI may then run it on the UI thread through a read-only connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from models.periods import Period, month_period
from models.records import raw_dict

if TYPE_CHECKING:  # the GUI imports this module at start-up, and sqlite_utils is slow to import
    import sqlite_utils

# Columns the case table shows, in order (labels: models.records.FIELD_LABELS).
LIST_COLUMNS: tuple[str, ...] = (
    "case_no",
    "kind",
    "minor",
    "unit",
    "reported_at",
    "filed_at",
    "deadline_at",
    "disposed_at",
    "closed_at",
    "stage",
    "address",
    "description",
)

# The names the statistics give a blank source or channel (models.stats): a filter on one selects the blanks.
UNNAMED = {"source": "未注明来源", "channel": "未注明渠道"}

# Which timestamp a period filter applies to.
DATE_FIELDS = ("filed_at", "reported_at")  # both indexed


@dataclass(frozen=True)
class CaseQuery:
    """The case browser's filters; every part optional. `numbers` restricts to an explicit list (drill-down)."""

    period: Period | None = None
    date_field: str = "filed_at"
    unit: str | None = None
    units: tuple[str, ...] = ()
    source: str | None = None
    channel: str | None = None
    kind: str | None = None
    minor: str | None = None
    stage: str | None = None
    search: str | None = None
    include_cancelled: bool = False
    numbers: tuple[str, ...] | None = field(default=None, compare=False)


def _where(q: CaseQuery) -> tuple[str, list]:
    clauses, params = [], []
    if q.period is not None:
        if q.date_field not in DATE_FIELDS:
            raise ValueError(f"unknown date field {q.date_field}")
        clauses.append(f"{q.date_field} >= ? AND {q.date_field} < ?")
        params += [q.period.start_text, q.period.end_text]
    if not q.include_cancelled:
        clauses.append("cancelled = 0")
    # With a reported_at range, "+unit" keeps SQLite on the date index (the unit index would need a sort
    # of the unit's whole history).
    unit_col = "unit" if q.period is None or q.date_field == "filed_at" else "+unit"
    if q.unit:
        clauses.append(f"{unit_col} = ?")
        params.append(q.unit)
    if q.units:
        clauses.append(f"{unit_col} IN ({','.join('?' for _ in q.units)})")
        params += list(q.units)
    for column in ("source", "channel", "kind", "minor", "stage"):
        value = getattr(q, column)
        if value and value == UNNAMED.get(column):
            clauses.append(f"{column} IS NULL")
        elif value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if q.search:
        text = q.search.strip()
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(case_no = ? OR address LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')")
        params += [text, like, like]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order_column(q: CaseQuery) -> str | None:
    """Rows come in the period's date order (an index range, no sort); without a period, by case number."""
    return q.date_field if q.period is not None else None


def reads_lazily(q: CaseQuery) -> bool:
    """Whether each 200-row page is a short index range read, fit for the UI thread. Anything that may walk
    many rows to find 200 matches goes to the worker instead: a text search, filters without a period, or
    filters on a 上报时间 range (idx_cases_reported holds no unit, so a sparse unit walks much of the month)."""
    if q.numbers is not None:
        return True
    if q.search:
        return False
    narrowed = any((q.unit, q.units, q.source, q.channel, q.kind, q.minor, q.stage))
    if not narrowed:
        return True
    return q.period is not None and q.date_field == "filed_at"


def count_cases(db: sqlite_utils.Database, q: CaseQuery) -> int:
    """How many cases match (for the "共 N 件" label; may take a few hundred ms on a million rows)."""
    if q.numbers is not None:
        return len(q.numbers)
    where, params = _where(q)
    return db.execute(f"SELECT COUNT(*) FROM cases{where}", params).fetchone()[0]


def fetch_page(db: sqlite_utils.Database, q: CaseQuery, after: tuple | None, limit: int = 200) -> list[tuple]:
    """The next `limit` rows (LIST_COLUMNS) after the row `after` (keyset paging, never OFFSET)."""
    where, params = _where(q)
    order = _order_column(q)
    if after is not None:
        where = (where + " AND " if where else " WHERE ") + (f"({order}, case_no) > (?, ?)" if order else "case_no > ?")
        params += [after[LIST_COLUMNS.index(order)], after[0]] if order else [after[0]]
    order_by = f"{order}, case_no" if order else "case_no"
    sql = f"SELECT {', '.join(LIST_COLUMNS)} FROM cases{where} ORDER BY {order_by} LIMIT ?"
    return [tuple(r) for r in db.execute(sql, [*params, limit]).fetchall()]


def matching_numbers(db: sqlite_utils.Database, q: CaseQuery, limit: int = 200_000) -> list[str]:
    """The case numbers a searching query matches, in browse order (run on the worker, then shown lazily)."""
    where, params = _where(q)
    order = _order_column(q)
    order_by = f"{order}, case_no" if order else "case_no"
    rows = db.execute(f"SELECT case_no FROM cases{where} ORDER BY {order_by} LIMIT ?", [*params, limit])
    return [r[0] for r in rows.fetchall()]


def restrict_numbers(db: sqlite_utils.Database, numbers: list[str], q: CaseQuery) -> list[str]:
    """The given case numbers that also meet q's filters (unit, kind, stage, search, …), in the given order.

    Why: a light filter yields a list of numbers from the core; the case page's other filters (a search,
    a stage) must still narrow that list instead of being silently dropped. q.period applies too, so pass
    a query without one to keep open cases filed in earlier periods."""
    where, params = _where(q)
    keep: set[str] = set()
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        inside = f"case_no IN ({','.join('?' for _ in chunk)})"
        sql = f"SELECT case_no FROM cases{where} AND {inside}" if where else f"SELECT case_no FROM cases WHERE {inside}"
        keep.update(r[0] for r in db.execute(sql, [*params, *chunk]).fetchall())
    return [n for n in numbers if n in keep]


def figure_numbers(db: sqlite_utils.Database, period: Period, figure: str, q: CaseQuery | None = None) -> list[str]:
    """The cases behind a figure (a tile, a bar, a light), narrowed by the browser's filters: q's unit (or
    units), kind and minor select with the figure; a search or a stage then narrow the list (restrict_numbers)."""
    from models.drilldown import case_numbers  # it imports sqlite_utils, which this module defers

    q = q or CaseQuery()
    units = list(q.units) if q.units else None
    numbers = case_numbers(db, period, figure, unit=q.unit, units=units, kind=q.kind, minor=q.minor)
    if q.search or q.stage:
        numbers = restrict_numbers(db, numbers, replace(q, period=None, numbers=None))
    return numbers


def fetch_numbers(db: sqlite_utils.Database, numbers: list[str]) -> list[tuple]:
    """Rows (LIST_COLUMNS) for explicit case numbers, in the order given; unknown numbers are skipped."""
    found: dict[str, tuple] = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        sql = f"SELECT {', '.join(LIST_COLUMNS)} FROM cases WHERE case_no IN ({','.join('?' for _ in chunk)})"
        for row in db.execute(sql, chunk).fetchall():
            found[row[0]] = tuple(row)
    return [found[n] for n in numbers if n in found]


def case_record(db: sqlite_utils.Database, case_no: str) -> dict | None:
    """Every stored field of one case, plus the original row (`raw`) parsed from JSON."""
    cursor = db.execute("SELECT * FROM cases WHERE case_no = ?", (case_no,))
    row = cursor.fetchone()
    if row is None:
        return None
    record = dict(zip([d[0] for d in cursor.description], row, strict=True))
    record["raw"] = raw_dict(db, record.get("raw"), record.get("import_id"))
    record["import_file"] = (
        db.execute("SELECT file_name FROM imports WHERE id = ?", (record["import_id"],)).fetchone() or [None]
    )[0]
    return record


def case_history(db: sqlite_utils.Database, case_no: str) -> list[dict]:
    """Earlier versions of a case replaced by later imports, oldest first (who changed what, when)."""
    rows = db.execute(
        """SELECT h.replaced_at, h.replaced_by_import, i.file_name, h.old FROM case_history h
           LEFT JOIN imports i ON i.id = h.replaced_by_import WHERE h.case_no = ? ORDER BY h.id""",
        (case_no,),
    ).fetchall()
    out = []
    for replaced_at, import_id, file_name, old in rows:
        try:
            previous = json.loads(old)
        except ValueError:
            previous = {"old": old}
        out.append({"replaced_at": replaced_at, "import_id": import_id, "file_name": file_name, "old": previous})
    return out


def distinct_values(db: sqlite_utils.Database, column: str) -> list[str]:
    """The values a filter combo offers (stage, kind, minor, unit), most frequent first."""
    if column not in ("stage", "kind", "minor", "unit", "district", "source", "channel"):
        raise ValueError(f"no filter on column {column}")
    rows = db.execute(
        f"SELECT {column} FROM cases WHERE {column} IS NOT NULL AND {column} <> ''"
        f" GROUP BY {column} ORDER BY COUNT(*) DESC, {column}"
    ).fetchall()
    return [r[0] for r in rows]


def has_cases(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM cases LIMIT 1").fetchone() is not None


def latest_case_month(db: sqlite_utils.Database) -> Period | None:
    """The latest month with a filed case (else with an accepted record): where the console opens."""
    for column in ("filed_at", "reported_at"):
        # "IS NOT NULL" lets MAX read the end of a partial index (idx_cases_filed_stats) instead of scanning
        row = db.execute(f"SELECT MAX({column}) FROM cases WHERE {column} IS NOT NULL AND cancelled = 0").fetchone()
        if row and row[0]:
            return month_period(int(row[0][:4]), int(row[0][5:7]))
    return None


def month_has_cases(db: sqlite_utils.Database, period: Period) -> bool:
    row = db.execute(
        "SELECT 1 FROM cases WHERE reported_at >= ? AND reported_at < ? LIMIT 1", (period.start_text, period.end_text)
    ).fetchone()
    return row is not None


def months_with_cases(db: sqlite_utils.Database) -> list[str]:
    """The months (YYYY-MM, ascending) in which a case was reported or filed: one index seek per month found,
    so a store of a million cases answers in a few milliseconds."""
    found: set[str] = set()
    for column in ("reported_at", "filed_at"):
        after = ""
        while True:
            row = db.execute(
                f"SELECT MIN({column}) FROM cases WHERE {column} >= ? AND cancelled = 0", (after,)
            ).fetchone()
            if not row or not row[0]:
                break
            month = row[0][:7]
            found.add(month)
            year, number = int(month[:4]), int(month[5:7])
            after = f"{year + (number == 12):04d}-{1 if number == 12 else number + 1:02d}"
    return sorted(found)


IMPORT_COLUMNS = (
    "id",
    "stream",
    "params",
    "file_name",
    "started_at",
    "outcome",
    "rows_read",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "sha256",
    "message",
)


def import_history(db: sqlite_utils.Database, limit: int = 500) -> list[dict]:
    """The import audit (table imports), newest first."""
    rows = db.execute(f"SELECT {', '.join(IMPORT_COLUMNS)} FROM imports ORDER BY id DESC LIMIT ?", (limit,))
    return [dict(zip(IMPORT_COLUMNS, r, strict=True)) for r in rows.fetchall()]


def rejected_rows(db: sqlite_utils.Database, import_id: int) -> list[dict]:
    """One import's rejected rows with their reasons (cli.md: row, column and why)."""
    rows = db.execute(
        "SELECT row_no, column_name, reason, raw FROM rejected_rows WHERE import_id = ? ORDER BY row_no, id",
        (import_id,),
    ).fetchall()
    return [{"row_no": r[0], "column": r[1], "reason": r[2], "raw": r[3]} for r in rows]
