"""督察信访 batches and pieces in the store: the tables' shapes for writing, and the reads the figures use.

Why a module: `petitions list|stats|report` and the 督察信访 page count the same stored pieces with the pure
functions of models.petition_report; this is where they come from. A piece's handover date is its batch's.
"""

from __future__ import annotations

from datetime import date

from models.petition_report import Batch, PetitionError, batch_paragraph, batch_rows, petition_stats
from models.petitions import Piece
from models.versioned import LinkTable, VersionedTable, history

BATCHES = VersionedTable(
    "petition_batches", ("batch",), ("handed_over", "body"), "petition_batch_history", provenance=("import_id",)
)
PIECES = VersionedTable(
    "petition_pieces",
    ("batch", "piece_no"),
    ("duplicate", "unit", "deadline", "deadline_days", "closed_on", "result", "content"),
    "petition_piece_history",
    links=(
        LinkTable("types", "petition_piece_types", "type"),
        LinkTable("regions", "petition_piece_regions", "region"),
    ),
)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load_batches(db) -> list[Batch]:
    """Every batch, by number."""
    rows = db.execute("SELECT batch, handed_over, body FROM petition_batches ORDER BY batch").fetchall()
    return [Batch(number, date.fromisoformat(day), body) for number, day, body in rows]


def load_batch(db, number: int) -> Batch | None:
    return next((b for b in load_batches(db) if b.number == number), None)


def _links(db, table: str, column: str) -> dict[tuple[int, str], tuple[str, ...]]:
    out: dict[tuple[int, str], list[str]] = {}
    for batch, piece_no, value in db.execute(f"SELECT batch, piece_no, {column} FROM {table} ORDER BY rowid"):
        out.setdefault((batch, piece_no), []).append(value)
    return {key: tuple(values) for key, values in out.items()}


def load_pieces(db, batch: int | None = None) -> list[Piece]:
    """The stored pieces (of one batch, or all), duplicates included, in batch and piece-number order."""
    types = _links(db, "petition_piece_types", "type")
    regions = _links(db, "petition_piece_regions", "region")
    where, params = ("WHERE p.batch = ?", [batch]) if batch is not None else ("", [])
    rows = db.execute(
        "SELECT p.batch, b.handed_over, p.piece_no, p.duplicate, p.unit, p.deadline, p.deadline_days, p.closed_on,"
        " p.result, p.content FROM petition_pieces p JOIN petition_batches b ON b.batch = p.batch"
        f" {where} ORDER BY p.batch, p.piece_no",
        params,
    ).fetchall()
    return [
        Piece(
            batch=number,
            handed_over=date.fromisoformat(handed_over),
            piece_no=piece_no,
            types=types.get((number, piece_no), ()),
            regions=regions.get((number, piece_no), ()),
            duplicate=bool(duplicate),
            unit=unit,
            deadline=_day(deadline),
            deadline_days=days,
            closed_on=_day(closed_on),
            result=result,
            content=content,
        )
        for number, handed_over, piece_no, duplicate, unit, deadline, days, closed_on, result, content in rows
    ]


def has_petitions(db) -> bool:
    return db.execute("SELECT 1 FROM petition_batches LIMIT 1").fetchone() is not None


def batch_list(db, as_of: date) -> list[dict]:
    """`petitions list` and the page's batch list: one line per batch, newest first (models.petition_report)."""
    return batch_rows(load_batches(db), load_pieces(db), as_of=as_of)


def stats(db, *, as_of: date, batch: int | None = None) -> dict:
    """`petitions stats --json`: one batch, or across all batches (batch None)."""
    if batch is not None and load_batch(db, batch) is None:
        raise PetitionError(_unknown_batch(db, batch))
    return petition_stats(load_pieces(db, batch), as_of=as_of, batch=batch)


def paragraph(db, batch: int) -> str:
    """`petitions report --batch N`: the batch paragraph in the seed's words (domain.md §9)."""
    found = load_batch(db, batch)
    if found is None:
        raise PetitionError(_unknown_batch(db, batch))
    return batch_paragraph(found, load_pieces(db, batch))


def piece_history(db, batch: int, piece_no: str) -> list[dict]:
    """A piece's previous versions (a re-import that changed it), oldest first."""
    return history(db, PIECES, [batch, piece_no])


def _unknown_batch(db, batch: int) -> str:
    known = "、".join(f"第 {b.number} 批" for b in load_batches(db)) or "（尚未导入任何批次）"
    return f"没有第 {batch} 批督察信访件；已导入：{known}"
