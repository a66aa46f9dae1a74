"""`petitions import FILE --batch N --date D`: a 督察信访 batch through the generic ledger path (domain.md §9).

The batch comes from the command line; a file whose own 批次 / 移交日期 column says otherwise is refused, and
so is a batch already stored with another handover date. An unknown type or region word is a rejected row
naming the word; duplicates (是否重复) are kept. Re-importing a batch replaces nothing silently: a changed
piece keeps its previous version, and stored pieces the new file lacks stay as they were.
"""

from __future__ import annotations

from datetime import date

from importers.ledger import Accepted, LedgerStream, WriteCounts
from models.errors import CellValueError
from models.petition_store import BATCHES, PIECES, load_batch
from models.petitions import PetitionVocabulary, load_petition_vocabulary, make_piece
from models.versioned import upsert_versioned


class PetitionStream(LedgerStream):
    name = "petitions"
    label = "督察信访台账"
    key_field = "piece_no"
    date_fields = ("handed_over", "deadline", "closed_on")

    def __init__(self, batch: int, handed_over: date, body: str | None = None, vocab: PetitionVocabulary | None = None):
        self.batch = batch
        self.handed_over = handed_over
        self.body = body.strip() if body and body.strip() else None
        self.vocab = vocab or load_petition_vocabulary()
        self.stored_body: str | None = None

    def params(self) -> dict:
        return {"batch": self.batch, "date": self.handed_over.isoformat(), "body": self.body}

    def prepare(self, db) -> str | None:
        stored = load_batch(db, self.batch)
        if stored is None:
            self.stored_body = None
            return None
        if stored.handed_over != self.handed_over:
            return (
                f"第 {self.batch} 批已导入，移交日期为 {stored.handed_over}，与本次给出的 {self.handed_over} 不一致"
                "（同一批次的移交日期不能改变；如是新的一批，请用新的批次号）"
            )
        self.stored_body = stored.body
        return None

    def convert_row(self, cells: dict[str, object], row_no: int, state: dict):
        piece = make_piece(cells, batch=self.batch, handed_over=self.handed_over, vocab=self.vocab)
        seen = state.setdefault("seen", {})
        first = seen.setdefault(piece.piece_no, row_no)
        if first != row_no:
            raise CellValueError("piece_no", f"举报件编号「{piece.piece_no}」与第 {first} 行重复", piece.piece_no)
        return piece

    def write(self, db, rows: list[Accepted], import_id: int, now: str) -> WriteCounts:
        body = self.body or self.stored_body or self.vocab.default_body
        batch = {"batch": self.batch, "handed_over": self.handed_over.isoformat(), "body": body}
        upsert_versioned(db, BATCHES, batch | {"import_id": import_id}, import_id=import_id, now=now)
        counts = WriteCounts()
        for row in rows:
            record = row.record.record()
            values = {name: record[name] for name in (*PIECES.keys, *PIECES.columns)}
            values |= {"duplicate": int(record["duplicate"]), "types": record["types"], "regions": record["regions"]}
            values |= {"raw": row.raw_json, "import_id": import_id, "row_no": row.row_no}
            counts.add(upsert_versioned(db, PIECES, values, import_id=import_id, now=now))
        stored = {n for (n,) in db.execute("SELECT piece_no FROM petition_pieces WHERE batch = ?", (self.batch,))}
        kept = len(stored - {row.record.piece_no for row in rows})
        duplicates = sum(1 for row in rows if row.record.duplicate)
        counts.notes.append(f"第 {self.batch} 批，{self.handed_over.month}月{self.handed_over.day}日移交，{body}")
        if duplicates:
            counts.notes.append(f"其中重复件 {duplicates} 件（保留，不计数）")
        if kept:
            counts.notes.append(f"本批另有 {kept} 件已导入的举报件不在本文件中，保留不变")
        return counts
