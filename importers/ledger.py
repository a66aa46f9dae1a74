"""The generic import path for the supervision ledgers (两违, 督察信访, 创城回头看): convert and write.

The case path is tuned for half a million rows (a compiled row converter, chunked staging, SQL merge); a
ledger is small and has its own pure conversion functions in models/. Both share everything around that
(importers.pipeline: hashing and duplicate detection, sniffing and the guards, the parser child and its
header search through the stream's editable aliases, refusals logged, cancel). Here the parent reads the
child's staged cell rows, hands each row to the stream's converter — a bad row becomes a rejected row with
its row, column and reason — and writes the accepted records, the rejected rows and the import's record in
one transaction.

A stream plugs in by subclassing :class:`LedgerStream`: its name (imports.stream), the field that identifies
a row (totals rows are told by it being blank), `convert_row` (cells → a record, raising CellValueError
naming the field) and `write` (records → the store, through models.versioned so nothing is ever lost).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from importers import headers as hdr
from importers import values as val
from importers.audit import now_text, open_import_row, record_outcome
from importers.child_runner import ImportCancelled, rejection_text
from importers.report import ImportReport, ProgressFn
from models.errors import CellValueError, ImportRefused

CHECK_EVERY = 500  # rows between progress reports and cancel checks


@dataclass
class Accepted:
    """A converted row: its record (the stream's type) and the original cells as {header: text}."""

    row_no: int
    record: object
    raw: dict[str, str]

    @property
    def raw_json(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False)


@dataclass
class WriteCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. "延期申请 12 条（新增 12）"

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class LedgerStream:
    """A ledger's plug-in points. Subclasses set the class attributes and implement convert_row and write."""

    name: str = ""  # imports.stream and the header tables' stream
    label: str = ""  # what the summary calls the file: 两违案件台账
    key_field: str = ""  # the field every data row fills (a blank one with 合计 in the row is a totals row)
    date_fields: tuple[str, ...] = ()  # text dates in these columns are read as the case importer reads them

    def params(self) -> dict | None:
        """The import's own arguments, kept in imports.params (the petitions' batch and date)."""
        return None

    def prepare(self, db) -> str | None:
        """A reason to refuse the whole file before any row is read (else None)."""
        return None

    def convert_row(self, cells: dict[str, object], row_no: int, state: dict) -> object:
        """The row's mapped cells (field → JSON cell value) → a record; CellValueError for a bad row. `state`
        is a dict private to this file, for rules across rows (a case's rows, a repeated number)."""
        raise NotImplementedError

    def write(self, db, rows: list[Accepted], import_id: int, now: str) -> WriteCounts:
        """Write the accepted rows inside the import's transaction."""
        raise NotImplementedError


def text_dates(cells: dict[str, object], names: tuple[str, ...]) -> dict[str, object]:
    """Text dates in the named cells as canonical text ("2021/12/14" → "2021-12-14 00:00:00"), so the ledgers'
    pure functions see what a date cell gives; text that is not a date is left for them to judge (a 办理时限
    of "15天" is a day count)."""
    out = dict(cells)
    for name in names:
        value = out.get(name)
        if isinstance(value, str) and value.strip() not in val.NULL_TEXTS:
            with contextlib.suppress(val.ValueProblem):
                out[name] = val.datetime_text(value)
    return out


def _staged_rows(staging: Path) -> list[tuple[int, list]]:
    conn = sqlite3.connect(str(staging))
    try:
        rows = conn.execute("SELECT row_no, cells FROM cells ORDER BY row_no").fetchall()
    finally:
        conn.close()
    return [(row_no, json.loads(cells)) for row_no, cells in rows]


def _raw_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def import_ledger(
    db,
    stream: LedgerStream,
    report: ImportReport,
    audit: dict,
    staging: Path,
    meta: dict,
    *,
    strict: bool = False,
    mapping: dict[str, str] | None = None,
    progress: ProgressFn | None = None,
    cancel: Callable[[], bool] | None = None,
) -> None:
    """Convert the staged rows and write them in one transaction; fills `report` (raises ImportRefused,
    ImportCancelled: nothing is written then)."""
    file_name = report.file_name
    refusal = stream.prepare(db)
    if refusal:
        raise ImportRefused(file_name, refusal)
    headers, keys = meta["headers"], meta["raw_headers"]
    columns: dict[str, int] = meta["columns"]
    labels = hdr.load_header_config(db, stream.name).labels
    column_names = {name: headers[col] or keys[col] for name, col in columns.items()}
    accepted: list[Accepted] = []
    rejected: list[tuple[int, str, str, str]] = []
    state: dict = {}
    staged = _staged_rows(staging)
    for done, (row_no, cells) in enumerate(staged, start=1):
        raw = dict(zip(keys, (_raw_text(c) for c in cells), strict=False))
        mapped = text_dates({name: cells[col] for name, col in columns.items()}, stream.date_fields)
        try:
            record = stream.convert_row(mapped, row_no, state)
        except CellValueError as exc:
            column = column_names.get(exc.field) or labels.get(exc.field, exc.field)
            if exc.refuses_file:
                raise ImportRefused(file_name, rejection_text(row_no, column, str(exc))) from None
            rejected.append((row_no, column, str(exc), json.dumps(raw, ensure_ascii=False)))
        else:
            accepted.append(Accepted(row_no, record, raw))
        if done % CHECK_EVERY == 0:
            if cancel is not None and cancel():
                raise ImportCancelled
            if progress:
                progress(done, len(staged), f"核对「{file_name}」")
    if strict and rejected:
        first = rejection_text(*rejected[0][:3])
        raise ImportRefused(file_name, f"有 {len(rejected)} 行被拒（--strict 模式），{first}")
    _write(db, stream, report, audit, meta, accepted, rejected, mapping, cancel)


def _write(db, stream, report, audit, meta, accepted, rejected, mapping, cancel) -> None:
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        import_id = open_import_row(conn, audit, report)
        counts = stream.write(db, accepted, import_id, now_text())
        conn.executemany(
            "INSERT INTO rejected_rows(import_id, row_no, column_name, reason, raw) VALUES (?,?,?,?,?)",
            [(import_id, *r) for r in rejected],
        )
        if mapping is not None:
            hdr.save_mapping(db, meta.get("headers") or [], mapping, stream.name)
        if cancel is not None and cancel():
            raise ImportCancelled
        report.import_id = import_id
        report.rows_read = int(meta.get("rows_read") or 0)
        report.inserted, report.updated, report.unchanged = counts.inserted, counts.updated, counts.unchanged
        report.notes = counts.notes
        report.rejected = len({r[0] for r in rejected})
        report.skipped_rows = [tuple(s) for s in meta.get("skipped") or []]
        report.message = report.summary_text()
        record_outcome(conn, import_id, report, meta)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
