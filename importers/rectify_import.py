"""`rectify import FILE`: the 创城回头看 ledger through the generic ledger path (domain.md §10).

One row per problem per 回头看 round; a round is (问题编号, 回头看日期), and a second row for the same round in
one file is a rejected row. An unknown result or district word, a date with no result (or the reverse) and a
re-check before the inspection are rejected rows naming their column. A round a later file changes keeps
its previous version.
"""

from __future__ import annotations

from importers.ledger import Accepted, LedgerStream, WriteCounts
from models.errors import CellValueError
from models.rectify import RectifyVocabulary, load_rectify_vocabulary, make_row
from models.rectify_store import NO_ROUND, ROWS
from models.versioned import upsert_versioned


class RectifyStream(LedgerStream):
    name = "rectify"
    label = "创城回头看台账"
    key_field = "problem_no"
    date_fields = ("inspected_on", "due_on", "checked_on")

    def __init__(self, vocab: RectifyVocabulary | None = None):
        self.vocab = vocab or load_rectify_vocabulary()

    def convert_row(self, cells: dict[str, object], row_no: int, state: dict):
        row = make_row(cells, self.vocab)
        seen = state.setdefault("seen", {})
        first = seen.setdefault(row.key, row_no)
        if first != row_no:
            when = f"回头看日期 {row.checked_on}" if row.checked_on else "无回头看日期"
            raise CellValueError("checked_on", f"问题 {row.problem_no} 的这一轮（{when}）与第 {first} 行重复")
        return row

    def write(self, db, rows: list[Accepted], import_id: int, now: str) -> WriteCounts:
        counts = WriteCounts()
        for row in rows:
            values = row.record.record()
            values["checked_on"] = values["checked_on"] or NO_ROUND
            values |= {"raw": row.raw_json, "import_id": import_id, "row_no": row.row_no}
            counts.add(upsert_versioned(db, ROWS, values, import_id=import_id, now=now))
        problems = len({row.record.problem_no for row in rows})
        rounds = sum(1 for row in rows if row.record.checked_on)
        counts.notes.append(f"问题 {problems} 个，回头看记录 {rounds} 条")
        return counts
