"""The canonical case fields (domain.md §3) and their kinds, shared by importers, store and views."""

from __future__ import annotations

import json

from models.labels import FIELD_LABELS  # noqa: F401 - the labels of these fields live in the one table

# field -> kind: text | datetime | int | flag
CASE_FIELDS: dict[str, str] = {
    "case_no": "text",
    "source": "text",
    "channel": "text",
    "kind": "text",
    "major_code": "text",
    "major": "text",
    "minor_code": "text",
    "minor": "text",
    "detail": "text",
    "description": "text",
    "district": "text",
    "street": "text",
    "community": "text",
    "grid": "text",
    "address": "text",
    "unit": "text",
    "reported_at": "datetime",
    "filed_at": "datetime",
    "dispatched_at": "datetime",
    "deadline_at": "datetime",
    "disposed_at": "datetime",
    "closed_at": "datetime",
    "stage": "text",
    "rework_count": "int",
    "returned_count": "int",  # 回退: a unit sent the dispatch back (not 返工, a failed disposal sent back)
    "returned_unit": "text",
}

KINDS = ("部件", "事件")


def raw_dict(db, raw: str | None, import_id: int | None) -> dict[str, str]:
    """The original row as {header: cell text}. Imports store a JSON array of cell texts with the header
    list once in imports.raw_headers (schema 3, a third of the bytes per case); older rows hold an object."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {"原始内容": raw or ""}
    if isinstance(value, dict):
        return value
    row = db.execute("SELECT raw_headers FROM imports WHERE id = ?", (import_id,)).fetchone()
    headers = json.loads(row[0]) if row and row[0] else []
    headers += [f"列{i}" for i in range(len(headers) + 1, len(value) + 1)]
    return {h: "" if v is None else str(v) for h, v in zip(headers, value, strict=False)}


def raw_row(db, case_no: str) -> dict[str, str] | None:
    """One case's original row as {header: cell text}, or None for an unknown case number."""
    row = db.execute("SELECT raw, import_id FROM cases WHERE case_no = ?", (case_no,)).fetchone()
    return None if row is None else raw_dict(db, row[0], row[1])
