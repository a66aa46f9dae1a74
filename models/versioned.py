"""Writing a ledger's records so that nothing is ever lost: new rows inserted, a changed row's previous
version kept in its history table, an unchanged row left alone (with the import that first brought it).

Why one helper: 两违 cases and their extension requests, 督察信访 batches and pieces, 创城回头看 rows all follow
the rule the seed states for 两违 records ("均不可删除") and the case store follows for cases. Rows are
compared on their canonical values (`columns`, and the link lists); the raw cells, import and row number are
where the values came from, not part of them. Runs inside the caller's transaction.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"
PROVENANCE = ("raw", "import_id", "row_no")


@dataclass(frozen=True)
class LinkTable:
    """A many-to-many list of a record (a petition piece's types): `field` in the record's values is a tuple,
    stored one row per value in `table` (the record's keys + `column`), in the tuple's order."""

    field: str
    table: str
    column: str


@dataclass(frozen=True)
class VersionedTable:
    table: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]  # the values compared: a difference in any of them is a change
    history: str  # the table holding previous versions: keys + replaced_at, replaced_by_import, old (JSON)
    provenance: tuple[str, ...] = PROVENANCE  # written with the values, not compared
    links: tuple[LinkTable, ...] = ()

    @property
    def stored(self) -> tuple[str, ...]:
        return (*self.keys, *self.columns, *self.provenance)


def _where(keys: tuple[str, ...]) -> str:
    return " AND ".join(f"{k} = ?" for k in keys)


def _read_links(db, spec: VersionedTable, key: list) -> dict[str, tuple]:
    out = {}
    for link in spec.links:
        rows = db.execute(f"SELECT {link.column} FROM {link.table} WHERE {_where(spec.keys)} ORDER BY rowid", key)
        out[link.field] = tuple(r[0] for r in rows.fetchall())
    return out


def _write_links(db, spec: VersionedTable, key: list, values: dict) -> None:
    for link in spec.links:
        db.execute(f"DELETE FROM {link.table} WHERE {_where(spec.keys)}", key)
        marks = ", ".join("?" for _ in (*spec.keys, link.column))
        db.conn.executemany(
            f"INSERT INTO {link.table}({', '.join(spec.keys)}, {link.column}) VALUES ({marks})",
            [(*key, item) for item in values[link.field]],
        )


def _old_json(old: dict) -> str:
    """The previous version, self-describing: its raw cells as an object again."""
    if isinstance(old.get("raw"), str):
        with contextlib.suppress(ValueError):
            old = old | {"raw": json.loads(old["raw"])}
    return json.dumps(old, ensure_ascii=False)


def upsert_versioned(db, spec: VersionedTable, values: dict, *, import_id: int, now: str) -> str:
    """Write one record (`values` holds every stored column and link field); returns INSERTED, UPDATED or
    UNCHANGED. An update first copies the whole previous row (and its links) into the history table."""
    key = [values[k] for k in spec.keys]
    old_row = db.execute(f"SELECT {', '.join(spec.stored)} FROM {spec.table} WHERE {_where(spec.keys)}", key).fetchone()
    columns = ", ".join(spec.stored)
    if old_row is None:
        marks = ", ".join("?" for _ in spec.stored)
        db.execute(f"INSERT INTO {spec.table}({columns}) VALUES ({marks})", [values[c] for c in spec.stored])
        _write_links(db, spec, key, values)
        return INSERTED
    old = dict(zip(spec.stored, old_row, strict=True)) | _read_links(db, spec, key)
    same = all(old[c] == values[c] for c in spec.columns) and all(
        old[link.field] == tuple(values[link.field]) for link in spec.links
    )
    if same:
        return UNCHANGED
    db.execute(
        f"INSERT INTO {spec.history}({', '.join(spec.keys)}, replaced_at, replaced_by_import, old)"
        f" VALUES ({', '.join('?' for _ in spec.keys)}, ?, ?, ?)",
        [*key, now, import_id, _old_json(old)],
    )
    changed = (*spec.columns, *spec.provenance)
    db.execute(
        f"UPDATE {spec.table} SET {', '.join(f'{c} = ?' for c in changed)} WHERE {_where(spec.keys)}",
        [*(values[c] for c in changed), *key],
    )
    _write_links(db, spec, key, values)
    return UPDATED


def history(db, spec: VersionedTable, key: list) -> list[dict]:
    """A record's previous versions, oldest first: {"replaced_at", "replaced_by_import", "old": {...}}. A key
    shorter than the table's gives the versions of every record under it (a case's extension requests)."""
    where = _where(spec.keys[: len(key)])
    rows = db.execute(
        f"SELECT replaced_at, replaced_by_import, old FROM {spec.history} WHERE {where} ORDER BY id", key
    ).fetchall()
    return [{"replaced_at": at, "replaced_by_import": by, "old": json.loads(old)} for at, by, old in rows]
