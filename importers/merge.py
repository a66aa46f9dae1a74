"""Merging the child's staged rows into the store in one transaction: new cases counted, changed ones kept
in case_history, unchanged ones left alone, rejected rows and the import's record written, then COMMIT."""

from __future__ import annotations

from pathlib import Path

from importers import headers as hdr
from importers.audit import now_text, open_import_row, record_outcome
from importers.child import chunk_path
from importers.child_runner import ImportCancelled
from importers.report import ImportReport
from models.quality import infer_disposed, inferred_text
from models.records import CASE_FIELDS
from models.workcalendar import fill_missing_deadlines

_FIELDS = list(CASE_FIELDS)
_STORE_COLS = [*_FIELDS, "cancelled", "deadline_source", "raw", "row_no"]


def _raw_cells(raw: str) -> str:
    """SQL: a stored raw row as a JSON array of cell texts (rows imported before schema 3 hold an object)."""
    as_array = f"(SELECT json_group_array(value) FROM json_each({raw}))"
    return f"CASE WHEN json_type({raw}) = 'object' THEN {as_array} ELSE {raw} END"


def _changed(old: str, new: str) -> str:
    """SQL: the incoming row differs from the stored one (a computed deadline or an inferred 处置时间 is not a
    change)."""
    parts = [f"{old}.{c} IS NOT {new}.{c}" for c in _FIELDS if c not in ("deadline_at", "disposed_at")]
    parts += [
        f"{old}.cancelled IS NOT {new}.cancelled",
        f"{old}.raw IS NOT {new}.raw AND {_raw_cells(f'{old}.raw')} IS NOT {new}.raw",
    ]
    same_deadline = f"{old}.deadline_at IS {new}.deadline_at"
    parts.append(f"NOT ({same_deadline} OR ({new}.deadline_at IS NULL AND {old}.deadline_source = 'limit'))")
    same_disposed = f"{old}.disposed_at IS {new}.disposed_at"  # nor is a 处置时间 inferred from 结案时间
    parts.append(f"NOT ({same_disposed} OR ({new}.disposed_at IS NULL AND {old}.disposed_source = 'inferred'))")
    return "(" + " OR ".join(parts) + ")"


# history keeps the previous row self-describing: its raw cells as {header: text} again. The outer json()
# marks the value as JSON for json_object(): SQLite >= 3.45 drops that mark on a value leaving a subquery
# or CASE, and would store the object as an escaped string.
_RAW_OBJECT = (
    "json(CASE WHEN json_type(c.raw) = 'object' THEN c.raw ELSE (SELECT json_group_object("
    "COALESCE(h.value, '列' || (r.key + 1)), r.value) FROM json_each(c.raw) r LEFT JOIN json_each("
    "(SELECT raw_headers FROM main.imports i WHERE i.id = c.import_id)) h ON h.key = r.key) END)"
)
_OLD_JSON = (
    "json_object("
    + ", ".join(f"'{c}', c.{c}" for c in [*_FIELDS, "deadline_source", "disposed_source", "cancelled"])
    + f", 'raw', {_RAW_OBJECT}, 'import_id', c.import_id, 'row_no', c.row_no)"
)
_HISTORY = (
    f"INSERT INTO main.case_history(case_no, replaced_at, replaced_by_import, old) SELECT c.case_no, ?, ?, {_OLD_JSON}"
    " FROM {chunk}.rows r JOIN main.cases c ON c.case_no = r.case_no"
    f" WHERE {_changed('c', 'r')}"
)
_UPSERT = (
    f"INSERT INTO main.cases({', '.join(_STORE_COLS)}, import_id) SELECT {', '.join(_STORE_COLS)}, ?"
    " FROM {chunk}.rows WHERE 1 ON CONFLICT(case_no) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in [*_STORE_COLS, "import_id"])
    + f" WHERE {_changed('cases', 'excluded')}"
)


_NO_DEADLINE = (
    "SELECT case_no FROM {chunk}.rows WHERE deadline_at IS NULL AND dispatched_at IS NOT NULL AND cancelled = 0"
)


def history_sql(chunk: str) -> str:
    """INSERT of the previous versions of the stored cases that the rows of attached `chunk` change
    (parameters: replaced_at, replaced_by_import); its rowcount is the number of updated cases."""
    return _HISTORY.replace("{chunk}", chunk)


class Merger:
    """Merges the child's row chunks as they are announced, in one transaction opened by the first chunk
    (the store is not locked while the child is still loading the workbook), so the merge of one chunk
    overlaps with the child converting the next. Each chunk file is ATTACHed (allowed inside a transaction;
    DETACH is not, so they are detached after COMMIT or ROLLBACK)."""

    def __init__(self, db, report: ImportReport, audit: dict, staging: Path, progress, cancel):
        self.db, self.conn = db, db.conn
        self.report, self.audit, self.staging = report, audit, staging
        self.progress, self.cancel = progress, cancel
        self.import_id: int | None = None
        self.attached: list[str] = []
        self.now = now_text()
        self.merged = self.inserted = self.updated = 0
        self.no_deadline: list[str] = []  # dispatched cases the file gives no deadline (domain.md §5)

    def _attach(self, name: str, path: Path) -> None:
        self.conn.execute(f"ATTACH DATABASE ? AS {name}", (str(path),))
        self.attached.append(name)

    def _begin(self) -> None:
        if self.import_id is not None:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self.import_id = open_import_row(self.conn, self.audit, self.report)

    def chunk(self, index: int) -> None:
        """Merge rows-<index>.db: keep the old versions of changed cases, then one set-based upsert (a per-row
        ON CONFLICT DO UPDATE from Python is 2.2× slower even with no conflict); the upsert's row count less the
        history's is the number of new cases."""
        if self.cancel is not None and self.cancel():
            raise ImportCancelled
        name = f"chunk{index}"
        self._attach(name, chunk_path(self.staging, index))
        self._begin()
        conn = self.conn
        updated = conn.execute(history_sql(name), (self.now, self.import_id)).rowcount
        written = conn.execute(_UPSERT.replace("{chunk}", name), (self.import_id,)).rowcount  # inserted + updated
        self.updated += updated
        self.inserted += written - updated
        self.merged += conn.execute(f"SELECT COALESCE(MAX(rid), 0) FROM {name}.rows").fetchone()[0]
        self.no_deadline += [r[0] for r in conn.execute(_NO_DEADLINE.replace("{chunk}", name))]
        if self.progress:
            self.progress(self.merged, None, f"写入「{self.report.file_name}」")

    def finish(self, meta: dict, mapping) -> None:
        """Rejected rows, remembered mapping, deadlines and the counts, then COMMIT."""
        self._begin()
        conn, report, import_id = self.conn, self.report, self.import_id
        self._attach("staging", self.staging)
        conn.execute(
            "INSERT INTO main.rejected_rows(import_id, row_no, column_name, reason, raw)"
            " SELECT ?, row_no, column_name, reason, raw FROM staging.rejected ORDER BY rowid",
            (import_id,),
        )
        if mapping is not None:
            hdr.save_mapping(self.db, meta.get("headers") or [], mapping)
        # domain.md §5, joins our transaction
        report.warnings = fill_missing_deadlines(self.db, import_id, case_nos=self.no_deadline)
        inferred = infer_disposed(self.db, import_id)  # domain.md §4 "Missing facts", joins it too
        if inferred:
            report.warnings.append(inferred_text(inferred))
        if self.progress:
            self.progress(self.merged, self.merged, f"写入「{report.file_name}」")
        if self.cancel is not None and self.cancel():
            raise ImportCancelled
        report.import_id = import_id
        report.rows_read = int(meta.get("rows_read") or 0)
        report.inserted, report.updated = self.inserted, self.updated
        report.unchanged = int(meta.get("staged") or 0) - self.inserted - self.updated
        report.rejected = int(meta.get("rejected") or 0)
        report.skipped_rows = [tuple(s) for s in meta.get("skipped") or []]
        report.message = report.summary_text()
        record_outcome(conn, import_id, report, meta)
        conn.execute("COMMIT")
        self.close()

    def close(self) -> None:
        """Roll back if still open, detach every chunk (always runs)."""
        conn = self.conn
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        for name in self.attached:
            conn.execute(f"DETACH DATABASE {name}")
        self.attached = []
