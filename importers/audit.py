"""The import audit (table `imports`): one row per attempt, written the same way by every stream's path.

An accepted file's row is opened inside the import's transaction and completed with its counts before
COMMIT; a refused or cancelled file's attempt is logged on its own (cli.md: the attempt itself is kept for
audit).
"""

from __future__ import annotations

import json
from datetime import datetime

from importers.report import ImportReport
from models.store import transaction


def now_text() -> str:
    return datetime.now().isoformat(" ", "seconds")


def open_import_row(conn, audit: dict, report: ImportReport) -> int:
    """The accepted file's `imports` row (outcome ok), inside the caller's transaction; returns its id."""
    return conn.execute(
        "INSERT INTO imports(file_name, file_path, size, sha256, format, encoding, started_at, outcome, stream,"
        " params) VALUES (?,?,?,?,?,?,?, 'ok', ?, ?)",
        (
            audit["file_name"],
            audit["file_path"],
            audit["size"],
            audit["sha256"],
            report.format,
            report.encoding,
            audit["started_at"],
            report.stream,
            audit.get("params"),
        ),
    ).lastrowid


def record_outcome(conn, import_id: int, report: ImportReport, meta: dict) -> None:
    """Complete the row with what the child found and what the merge wrote (report's counts and message)."""
    conn.execute(
        "UPDATE imports SET sheet=?, header_row=?, mapping=?, skipped_rows=?, raw_headers=?, rows_read=?,"
        " inserted=?, updated=?, unchanged=?, rejected=?, finished_at=?, message=? WHERE id=?",
        (
            meta.get("sheet"),
            meta.get("header_row"),
            json.dumps(meta.get("mapping") or {}, ensure_ascii=False),
            json.dumps(meta.get("skipped") or [], ensure_ascii=False),
            json.dumps(meta.get("raw_headers") or [], ensure_ascii=False),
            report.rows_read,
            report.inserted,
            report.updated,
            report.unchanged,
            report.rejected,
            now_text(),
            report.message,
            import_id,
        ),
    )


def log_attempt(db, audit: dict, report: ImportReport, outcome: str) -> int:
    """A refused or cancelled attempt (outcome), in its own transaction: nothing else of the file is written,
    yet the history shows it was tried (拒收 / 已取消)."""
    with transaction(db):
        return db.conn.execute(
            "INSERT INTO imports(file_name, file_path, size, sha256, format, encoding, started_at, finished_at,"
            " outcome, message, stream, params) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                audit["file_name"],
                audit["file_path"],
                audit.get("size"),
                audit.get("sha256"),
                report.format,
                report.encoding,
                audit["started_at"],
                now_text(),
                outcome,
                report.message,
                report.stream,
                audit.get("params"),
            ),
        ).lastrowid
