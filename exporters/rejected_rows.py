"""Write one import's rejected rows (row, column, reason, original cells) to a CSV the office can fix.

UTF-8 with BOM so Excel on Windows opens the Chinese text correctly; the original row's cells follow the
reason so the user sees exactly what the platform exported.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import sqlite_utils

from exporters.saving import write_file
from models.browse import rejected_rows


def write_rejected_rows(db: sqlite_utils.Database, import_id: int, path: Path) -> int:
    """Write the rows and return how many were written."""
    rows = rejected_rows(db, import_id)
    headers: list[str] = []
    parsed: list[dict] = []
    for row in rows:
        try:
            raw = json.loads(row["raw"]) if row["raw"] else {}
        except ValueError:
            raw = {"原始内容": row["raw"]}
        if not isinstance(raw, dict):
            raw = {"原始内容": json.dumps(raw, ensure_ascii=False)}
        parsed.append(raw)
        headers += [h for h in raw if h not in headers]

    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["行号", "列", "原因", *headers])
            for row, raw in zip(rows, parsed, strict=True):
                cells = ["" if raw.get(h) is None else str(raw.get(h)) for h in headers]
                # A leading = + - @ would turn into a formula when the CSV is opened in Excel.
                cells = ["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells]
                writer.writerow([row["row_no"], row["column"] or "", row["reason"], *cells])

    write_file(path, write)
    return len(rows)
