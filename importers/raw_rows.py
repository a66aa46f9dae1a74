"""The parser child's writer for the ledger streams (两违, 督察信访, 创城回头看): rows as JSON cell lists.

Why not the case path's compiled converter: a ledger is hundreds or thousands of rows, and each ledger has
its own pure conversion functions in models/ (lw_cases, petitions, rectify). So the child only reads and
stages: every row below the header goes to the staging file's ``cells`` table with its row number, blank and
totals rows are skipped as for cases, and the parent converts the rows, rejecting bad ones with their
column (importers.ledger). Cells keep their JSON kind (text, number, bool); a date or date-time cell becomes
ISO text, which every date reader of the app accepts.
"""

from __future__ import annotations

import json
from datetime import datetime

import apsw

from importers import headers as hdr
from importers import values as val

BATCH = 1000


def json_cell(value: object) -> object:
    """A reader's cell as a JSON value: text, whole numbers as int, dates as ISO text, blank as ""."""
    if value is None or type(value) is str or type(value) is bool or type(value) is int:
        return "" if value is None else value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, datetime):
        try:
            return val.datetime_text(value)  # Excel's float noise rounded to the second
        except val.ValueProblem:
            return val.raw_text(value)
    return val.raw_text(value)


class RawRowWriter:
    """Stages the rows below the header as (row number, JSON cell list); the same face as the case path's
    Extractor for importers.child.extract (add, flush, writer.start/close, the counts)."""

    def __init__(self, job: dict, conn: apsw.Connection, header_cells: list, mapping: hdr.Mapping, _chunk_sizes):
        self.conn = conn
        self.width = len(header_cells)
        self.key_col = mapping.columns.get(job.get("key_field") or "")
        self.rows: list[tuple[int, str]] = []
        self.skipped: list[tuple[int, str]] = []
        self.written = 0
        self.rejected_rows = 0  # the parent rejects rows; the child only skips blank and totals rows
        self.writer = self
        conn.execute("CREATE TABLE cells (row_no INTEGER PRIMARY KEY, cells TEXT NOT NULL)")

    def start(self) -> None:
        """Rows are written on the reading thread: a ledger is small."""

    def close(self) -> None:
        """Nothing runs beside the reading thread."""

    def add(self, row_no: int, cells: list) -> None:
        if not any(c not in ("", None) for c in cells):
            self.skipped.append((row_no, "空行"))
            return
        key = cells[self.key_col] if self.key_col is not None and self.key_col < len(cells) else None
        no_key = key in ("", None) or (type(key) is str and key.strip().startswith(hdr.TOTAL_WORDS))
        why = hdr.totals_or_note_row(cells, []) if no_key else None
        if why is not None:
            self.skipped.append((row_no, why))
            return
        out = [json_cell(c) for c in cells[: self.width]]
        out += [""] * (self.width - len(out))
        self.rows.append((row_no, json.dumps(out, ensure_ascii=False)))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.conn.executemany("INSERT INTO cells(row_no, cells) VALUES (?, ?)", self.rows)
            self.written += len(self.rows)
            self.rows = []
